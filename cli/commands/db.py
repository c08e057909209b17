"""`lingodesk db upgrade|seed`: migrate the store and load demo data."""

import argparse

from runtime.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="database migrations and demo data")
    p.add_argument("action", choices=["upgrade", "seed"])
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from store.migrate import upgrade

    url = get_settings().database_url
    upgrade(url)
    if args.action == "seed":
        from store.db import make_engine, make_session_factory
        from store.seed import seed_demo

        counts = seed_demo(make_session_factory(make_engine(url)))
        print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    else:
        print("database at head")
    return 0
