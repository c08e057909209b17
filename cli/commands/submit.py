"""`lingodesk submit`: start a ticket from the command line and print its id."""

import argparse
import asyncio
import json
import sys
from pathlib import Path

from domain.ticket import Channel, Customer, TicketInput
from runtime.client import connect
from runtime.tickets import new_ticket_id, start_ticket


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("submit", help="start a ticket; prints its id")
    p.add_argument("--json", help="a TicketInput JSON file, or - for stdin (other flags are then ignored)")
    p.add_argument("--ticket-id", help="idempotency key; default: a new id")
    p.add_argument("--subject", default="")
    p.add_argument("--body", help="message text (default: read stdin)")
    p.add_argument("--email", default="")
    p.add_argument("--name", default="")
    p.add_argument("--country")
    p.add_argument("--tier", choices=["standard", "vip"], default="standard")
    p.add_argument("--channel", choices=[c.value for c in Channel], default=Channel.API.value)
    p.set_defaults(func=run)


def build_input(args: argparse.Namespace) -> TicketInput:
    if args.json:
        raw = sys.stdin.read() if args.json == "-" else Path(args.json).read_text(encoding="utf-8")
        return TicketInput.model_validate(json.loads(raw))
    body = args.body if args.body is not None else sys.stdin.read()
    return TicketInput(
        ticket_id=args.ticket_id or new_ticket_id(),
        channel=Channel(args.channel),
        customer=Customer(email=args.email, name=args.name, country=args.country, tier=args.tier),
        subject=args.subject,
        body=body,
    )


def run(args: argparse.Namespace) -> int:
    ticket = build_input(args)

    async def go() -> tuple[str, bool]:
        return await start_ticket(await connect(), ticket)

    ticket_id, created = asyncio.run(go())
    print(ticket_id)
    if not created:
        print(f"ticket {ticket_id} already exists; nothing started", file=sys.stderr)
    return 0
