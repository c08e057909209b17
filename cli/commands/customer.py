"""`lingodesk customer export|erase EMAIL`: GDPR/PIPL access and erasure requests (docs/security.md).

lingodesk customer export alice@example.com > alice.json      # everything, as JSON
lingodesk customer export alice@example.com --files-to ./alice-files   # plus copies of the files
lingodesk customer erase alice@example.com --by dpo-jane --yes           # rows, files, histories
"""

import argparse
import asyncio
import getpass
import json
import sys
from pathlib import Path

from runtime.settings import Settings, get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("customer", help="export or erase everything about a customer (GDPR/PIPL)")
    cmds = p.add_subparsers(dest="customer_command", required=True)
    exp = cmds.add_parser("export", help="print everything about the customer as JSON")
    exp.add_argument("email")
    exp.add_argument("--by", default=None, help="who asks (audited); default: the OS user")
    exp.add_argument("--files-to", type=Path, default=None, help="also copy raw mails and attachments here")
    exp.add_argument("--no-temporal", action="store_true", help="store only; skip workflow histories")
    exp.set_defaults(func=run_export)
    era = cmds.add_parser("erase", help="delete the customer's rows, files and workflow histories")
    era.add_argument("email")
    era.add_argument("--by", default=None, help="who erases (audited); default: the OS user")
    era.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    era.set_defaults(func=run_erase)


def _sessions(settings: Settings):  # type: ignore[no-untyped-def]
    from store.migrate import migrated_sessions

    return migrated_sessions(settings.database_url)


def _file_roots(settings: Settings) -> list[Path]:
    from channels.email.config import mail_store_dir

    return [mail_store_dir(settings), settings.data_dir]


def run_export(args: argparse.Namespace) -> int:
    from runtime.client import connect
    from security.customer_data import UnknownCustomer, export_customer

    settings = get_settings()
    actor = args.by or getpass.getuser()

    async def go() -> str:
        client = None if args.no_temporal else await connect(settings)
        doc = await export_customer(_sessions(settings), client, args.email, actor, args.files_to)
        return doc.model_dump_json(indent=2)

    try:
        print(asyncio.run(go()))
    except UnknownCustomer as exc:
        print(f"unknown customer: {exc}", file=sys.stderr)
        return 1
    return 0


def run_erase(args: argparse.Namespace) -> int:
    from runtime.client import connect
    from security.customer_data import UnknownCustomer, erase_customer

    settings = get_settings()
    actor = args.by or getpass.getuser()
    if not args.yes:
        answer = input(f"Erase every ticket, message, file and history of {args.email}? Type 'erase': ")
        if answer.strip() != "erase":
            print("nothing erased", file=sys.stderr)
            return 1

    async def go():  # type: ignore[no-untyped-def]
        return await erase_customer(
            _sessions(settings),
            await connect(settings),
            args.email,
            actor,
            _file_roots(settings),
            translation_memory=settings.data_dir / "translation_memory.sqlite3",
        )

    try:
        outcome = asyncio.run(go())
    except UnknownCustomer as exc:
        print(f"unknown customer: {exc}", file=sys.stderr)
        return 1
    if outcome.already_erased:
        last = outcome.previous[-1]
        print(
            f"already erased on {last.erased_at.isoformat()} by {last.erased_by} (record {last.erasure_id});"
            " nothing left to erase"
        )
        return 0
    assert outcome.record is not None
    print(json.dumps(outcome.record.model_dump(mode="json"), indent=2))
    return 0
