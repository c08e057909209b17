"""`lingodesk web`: serve the customer intake form and status pages (a long-running process).

LINGODESK_STATUS_SECRET=... lingodesk web --host 0.0.0.0 --port 8080
lingodesk web --new-secret      # print a fresh secret for LINGODESK_STATUS_SECRET
"""

import argparse
import sys

from runtime.settings import Settings, get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("web", help="serve the customer intake form and status pages")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--root-path", default="", help="URL prefix when served behind a reverse proxy")
    p.add_argument("--new-secret", action="store_true", help="print a new status-link secret and exit")
    p.set_defaults(func=run)


def build_app(settings: Settings, root_path: str = ""):  # type: ignore[no-untyped-def]
    from channels.csat_gateway import LazyTemporalCsat
    from channels.csat_link import CsatLinkSigner
    from channels.gateway import LazyTemporalTickets
    from channels.signing import load_secret, signer_from_settings
    from channels.web.app import WebConfig, create_app
    from runtime.client import connect
    from store.migrate import migrated_sessions

    try:
        signer = signer_from_settings(settings)
    except (ValueError, OSError) as exc:
        raise SystemExit(f"LINGODESK_STATUS_SECRET / LINGODESK_STATUS_SECRET_FILE: {exc}") from exc
    if signer is None:
        raise SystemExit(
            "set LINGODESK_STATUS_SECRET or LINGODESK_STATUS_SECRET_FILE (lingodesk web --new-secret)"
        )
    config = WebConfig(
        public_url=settings.public_url,
        show_agent_names=settings.status_show_agent_names,
        internal_language=settings.internal_language,
    )
    sessions = migrated_sessions(settings.database_url)  # the pages read the ticket tables
    tickets = LazyTemporalTickets(lambda: connect(settings))
    csat_signer = CsatLinkSigner(load_secret(settings) or b"")  # same secret, another purpose tag
    return create_app(
        sessions, signer, config, tickets, root_path=root_path,
        csat=LazyTemporalCsat(lambda: connect(settings)), csat_signer=csat_signer,
    )


def run(args: argparse.Namespace) -> int:
    if args.new_secret:
        from channels.signing import new_secret

        print(new_secret())
        return 0
    import uvicorn

    app = build_app(get_settings(), args.root_path)
    # No access log: status URLs carry a bearer token that must not end up in log files.
    uvicorn.run(
        app, host=args.host, port=args.port, access_log=False, proxy_headers=True, root_path=args.root_path
    )
    print("web server stopped", file=sys.stderr)
    return 0
