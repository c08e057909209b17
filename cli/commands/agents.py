"""`lingodesk agents import|list|presence|accuracy`: manage agents and teams, see routing figures.

lingodesk agents import team.yaml          # teams: and agents: (or a CSV of agents)
lingodesk agents import agents.csv --dry-run
lingodesk agents list --team manila
lingodesk agents presence somchai.k online  # also nudges pending tickets to retry assignment
lingodesk agents accuracy --days 30         # first-assignment accuracy for reports
"""

import argparse
import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from runtime.settings import get_settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("agents", help="agents, teams and routing figures")
    actions = p.add_subparsers(dest="agents_action", required=True)
    imp = actions.add_parser("import", help="import agents/teams from CSV or YAML")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="check the file; write nothing")
    imp.set_defaults(func=run_import)
    lst = actions.add_parser("list", help="list agents")
    lst.add_argument("--team")
    lst.set_defaults(func=run_list)
    pre = actions.add_parser("presence", help="set an agent online/away/offline")
    pre.add_argument("agent_id")
    pre.add_argument("presence", choices=["online", "away", "offline"])
    pre.add_argument("--no-nudge", action="store_true", help="do not signal pending tickets")
    pre.set_defaults(func=run_presence)
    acc = actions.add_parser("accuracy", help="share of tickets never reassigned")
    acc.add_argument("--days", type=int, default=30)
    acc.set_defaults(func=run_accuracy)


def _sessions() -> "sessionmaker[Session]":
    from store.db import make_engine, make_session_factory

    return make_session_factory(make_engine(get_settings().database_url))


def run_import(args: argparse.Namespace) -> int:
    from routing.agent_import import ImportProblem, parse_file
    from store.agents import list_teams, save_agents, save_teams

    try:
        bundle = parse_file(args.file)
    except (ImportProblem, OSError) as exc:
        problems = exc.problems if isinstance(exc, ImportProblem) else [str(exc)]
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    sessions = _sessions()
    with sessions.begin() as session:
        known = set(list_teams(session)) | {t.team_id for t in bundle.teams}
    unknown = sorted({a.team_id for a in bundle.agents if a.team_id and a.team_id not in known})
    if unknown:
        print(f"error: unknown team(s) {', '.join(unknown)}: add them under `teams:` first", file=sys.stderr)
        return 2
    if args.dry_run:
        print(f"ok: {len(bundle.teams)} teams, {len(bundle.agents)} agents (dry run, nothing written)")
        return 0
    with sessions.begin() as session:
        teams = save_teams(session, bundle.teams)
        agents = save_agents(session, bundle.agents)
    print(f"imported {teams} teams, {agents} agents")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from store.agents import list_agents, open_loads

    with _sessions().begin() as session:
        agents = list_agents(session, team_id=args.team)
        loads = open_loads(session)
    for a in agents:
        langs = " ".join(f"{k}:{v}" for k, v in sorted(a.languages.items()))
        flag = "" if a.active else " (inactive)"
        print(
            f"{a.agent_id}\t{a.team_id or '-'}\t{a.role}\t{a.presence}\t"
            f"{loads.get(a.agent_id, 0)}/{a.capacity}\t{langs}\t{','.join(a.domains)}{flag}"
        )
    return 0


def run_presence(args: argparse.Namespace) -> int:
    from store.agents import set_presence

    with _sessions().begin() as session:
        found = set_presence(session, args.agent_id, args.presence)
    if not found:
        print(f"error: no agent {args.agent_id}", file=sys.stderr)
        return 1
    print(f"{args.agent_id} is {args.presence}")
    if args.presence == "online" and not args.no_nudge:
        from runtime.assignment import nudge_for_agent
        from runtime.client import connect

        async def nudge() -> int:
            # Only the pending tickets this agent could take (from the projection).
            return await nudge_for_agent(await connect(), _sessions(), args.agent_id)

        print(f"nudged {asyncio.run(nudge())} pending tickets")
    return 0


def run_accuracy(args: argparse.Namespace) -> int:
    from store.agents import first_assignment_accuracy

    since = datetime.now(UTC) - timedelta(days=args.days)
    with _sessions().begin() as session:
        report = first_assignment_accuracy(session, since=since)
    share = "n/a" if report.accuracy is None else f"{report.accuracy:.1%}"
    print(
        f"first-assignment accuracy (last {args.days} days): {share} "
        f"({report.never_reassigned} of {report.assigned} assigned tickets never reassigned)"
    )
    return 0
