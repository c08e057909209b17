"""`lingodesk worker`: the same as `python worker.py`."""

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("worker", help="run the Temporal workers")
    p.add_argument("--only", choices=["tickets", "nlp"], help="run one task queue only")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import worker

    return worker.main(["--only", args.only] if args.only else [])
