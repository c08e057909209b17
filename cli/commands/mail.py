"""`lingodesk mail`: the e-mail channel as a long-running process, and one-off imports.

lingodesk mail run                       # every mailbox in LINGODESK_MAILBOXES_FILE
lingodesk mail run --mailbox support     # only some of them
lingodesk mail run --smtp-listen 127.0.0.1:2525   # an SMTP receiver without a file
lingodesk mail import message.eml ...    # ingest saved mails once (tests, migrations)
lingodesk mail rejected                  # mail that could not become a ticket, and why
"""

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from runtime.settings import Settings, get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("mail", help="receive e-mail (IMAP polling, SMTP receiver) into tickets")
    actions = p.add_subparsers(dest="mail_action", required=True)
    run_p = actions.add_parser("run", help="poll IMAP mailboxes and run SMTP receivers until stopped")
    run_p.add_argument("--mailbox", action="append", default=[], help="only this mailbox (repeatable)")
    run_p.add_argument("--smtp-listen", metavar="HOST:PORT", help="also receive SMTP here (mailbox 'smtp')")
    run_p.set_defaults(func=run)
    imp = actions.add_parser("import", help="ingest .eml files once")
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--mailbox", default="import")
    imp.set_defaults(func=import_files)
    rej = actions.add_parser("rejected", help="list rejected mail with the reason")
    rej.add_argument("--limit", type=int, default=50)
    rej.set_defaults(func=list_rejected)


def _sessions(settings: Settings):  # type: ignore[no-untyped-def]
    from store.migrate import migrated_sessions

    return migrated_sessions(settings.database_url)  # inbound_emails, rejected_emails, mailbox_cursors


def _ingestor(settings: Settings):  # type: ignore[no-untyped-def]
    from channels.email.config import build_ingestor
    from channels.gateway import LazyTemporalTickets
    from runtime.client import connect

    sessions = _sessions(settings)
    # Connects on first use: receivers start (and answer 451) while Temporal is still down.
    return sessions, build_ingestor(
        settings, sessions, LazyTemporalTickets(lambda: connect(settings)), lambda: connect(settings)
    )


async def serve(settings: Settings, names: list[str], smtp_listen: str | None) -> int:
    from channels.email.config import MailboxConfig, load_mailboxes
    from channels.email.imap_poller import ImapPoller
    from channels.email.smtp_receiver import start_smtp_receiver

    mailboxes = load_mailboxes(settings.mailboxes_file) if settings.mailboxes_file else []
    if smtp_listen:
        host, _, port = smtp_listen.rpartition(":")
        mailboxes.append(MailboxConfig(name="smtp", kind="smtp", host=host or "127.0.0.1", port=int(port)))
    if names:
        mailboxes = [m for m in mailboxes if m.name in names]
    if not mailboxes:
        print("no mailboxes: set LINGODESK_MAILBOXES_FILE or use --smtp-listen", file=sys.stderr)
        return 2
    sessions, ingestor = _ingestor(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    servers = [await start_smtp_receiver(ingestor, m) for m in mailboxes if m.kind == "smtp"]
    pollers = [ImapPoller(m, ingestor, sessions) for m in mailboxes if m.kind == "imap"]
    tasks = [asyncio.create_task(p.run_forever(stop)) for p in pollers]
    logging.getLogger("lingodesk.mail").info("mail channel running: %s", ", ".join(m.name for m in mailboxes))
    await stop.wait()
    for server in servers:
        server.close()
        await server.wait_closed()
    await asyncio.gather(*tasks)
    return 0


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # aiosmtpd logs every SMTP command with the peer's addresses at INFO; keep its warnings only.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    return asyncio.run(serve(get_settings(), args.mailbox, args.smtp_listen))


def import_files(args: argparse.Namespace) -> int:
    async def go() -> int:
        _, ingestor = _ingestor(get_settings())
        for path in args.files:
            outcome = await ingestor.ingest(path.read_bytes(), args.mailbox)
            print(f"{path}\t{outcome.action}\t{outcome.ticket_id or '-'}\t{outcome.reason}")
        return 0

    return asyncio.run(go())


def list_rejected(args: argparse.Namespace) -> int:
    from store.email_threads import rejected

    with _sessions(get_settings())() as session:
        for row in rejected(session, args.limit):
            when = f"{row.created_at:%Y-%m-%d %H:%M}"
            print(f"{when}\t{row.mailbox}\t{row.size}\t{row.reason}\t{row.raw_path or '-'}")
    return 0
