"""`lingodesk users add|list|disable|enable`: console sign-ins (scrypt-hashed, in the store).

The password is read from stdin with `--password-stdin` (scripts) or prompted without echo;
it never appears on the command line, where `ps` and shell history would keep it.
"""

import argparse
import getpass
import sys

from runtime.settings import get_settings

ROLES = ["agent", "department", "supervisor", "admin"]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("users", help="console users (sign-in, roles)")
    actions = p.add_subparsers(dest="users_action", required=True)
    add = actions.add_parser("add", help="create a user or replace its password and role")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", default="", help="display name")
    add.add_argument("--agent-id", default=None, help="the agents row this person works as")
    add.add_argument("--department", default=None, help="department id (role department)")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    actions.add_parser("list", help="list users")
    for name in ("disable", "enable"):
        q = actions.add_parser(name, help=f"{name} a user (disable also ends their sessions)")
        q.add_argument("username")
    p.set_defaults(func=run)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise SystemExit("passwords differ")
    return first


def run(args: argparse.Namespace) -> int:
    from store.db import make_engine, make_session_factory
    from store.users import UserError, ensure_console_tables, list_users, set_active, upsert_user

    engine = make_engine(get_settings().database_url)
    ensure_console_tables(engine)
    sessions = make_session_factory(engine)
    try:
        if args.users_action == "add":
            user = upsert_user(
                sessions, args.username, _password(args), args.role, args.name, args.agent_id, args.department
            )
            print(f"saved {user.username} ({user.role})")
        elif args.users_action == "list":
            for u in list_users(sessions):
                links = ", ".join(
                    x
                    for x in (
                        u.agent_id and f"agent {u.agent_id}",
                        u.department_id and f"department {u.department_id}",
                    )
                    if x
                )
                print(f"{u.username}\t{u.role}\t{'active' if u.active else 'disabled'}\t{links}")
        else:
            set_active(sessions, args.username, args.users_action == "enable")
            print(f"{args.username} {args.users_action}d")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
