"""Parse agent/team files for `lingodesk agents import` (CSV: agents; YAML: `teams:` and `agents:`).

Compact text forms, the same in both formats:
    languages      "de:5;fr:4;zh:3"            (YAML may also give a mapping)
    domains        "after_sales;logistics"     (YAML may also give a list)
    working_hours  "mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00"  (YAML: or a weekday mapping)
Every problem is reported with its row, and nothing is imported from a file with errors.
"""

import csv
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, Field, ValidationError

from domain.calendar import BusinessCalendar, parse_hhmm
from domain.routing import AgentProfile, Presence, TeamProfile

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class ImportProblem(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class ImportBundle(BaseModel):
    teams: list[TeamProfile] = Field(default_factory=list)
    agents: list[AgentProfile] = Field(default_factory=list)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]


def parse_languages(value: Any) -> dict[str, int]:
    if isinstance(value, dict):
        return {str(k).strip(): int(v) for k, v in value.items()}
    out: dict[str, int] = {}
    for part in _split(str(value or "")):
        code, _, level = part.partition(":")
        lvl = int(level) if level.strip() else 3
        if not 1 <= lvl <= 5:
            raise ValueError(f"proficiency of {code} must be 1..5, got {lvl}")
        out[code.strip()] = lvl
    return out


def parse_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return _split(str(value or ""))


def _days(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.lower().split(","):
        first, _, last = part.strip().partition("-")
        a = DAYS.index(first[:3])
        b = DAYS.index(last[:3]) if last else a
        out.extend(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
    return out


def parse_hours(value: Any) -> dict[int, list[tuple[str, str]]]:
    """`"mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00"` or a weekday mapping."""
    if isinstance(value, dict):
        return BusinessCalendar(hours=value).hours
    hours: dict[int, list[tuple[str, str]]] = {}
    for group in (g.strip() for g in str(value or "").split(";") if g.strip()):
        days, _, ranges = group.partition(" ")
        if not ranges.strip():
            raise ValueError(f"working hours {group!r} need days and times, e.g. 'mon-fri 09:00-18:00'")
        for day in _days(days):
            for rng in ranges.split(","):
                start, _, end = rng.strip().partition("-")
                parse_hhmm(start)
                parse_hhmm(end)
                hours.setdefault(day, []).append((start.strip(), end.strip()))
    return hours


def _check_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc
    return name


def parse_agent(raw: dict[str, Any]) -> AgentProfile:
    data = {k: v for k, v in raw.items() if v not in (None, "")}
    data["languages"] = parse_languages(data.get("languages"))
    data["domains"] = parse_list(data.get("domains"))
    data["industries"] = parse_list(data.get("industries"))
    data["working_hours"] = parse_hours(data.get("working_hours"))
    if "timezone" in data:
        _check_zone(str(data["timezone"]))
    if isinstance(data.get("active"), str):
        data["active"] = data["active"].strip().lower() not in ("0", "false", "no", "n")
    data.setdefault("presence", Presence.OFFLINE)
    if data["presence"] not in (Presence.ONLINE, Presence.AWAY, Presence.OFFLINE):
        raise ValueError(f"presence must be online, away or offline, got {data['presence']!r}")
    return AgentProfile.model_validate(data)


def parse_team(raw: dict[str, Any]) -> TeamProfile:
    data = {k: v for k, v in raw.items() if v not in (None, "")}
    data["languages"] = parse_list(data.get("languages"))
    data["domains"] = parse_list(data.get("domains"))
    _check_zone(str(data.setdefault("timezone", "Asia/Shanghai")))
    calendar = dict(data.get("calendar") or {})
    if calendar:
        # `{calendar_id: us_eastern}` alone refers to a named calendar (store/calendars.py).
        if "hours" in calendar:
            calendar["hours"] = parse_hours(calendar["hours"])
        calendar.setdefault("timezone", data["timezone"])
        calendar.setdefault("calendar_id", data.get("team_id", "team"))
    data["calendar"] = BusinessCalendar.model_validate(calendar) if calendar else None
    return TeamProfile.model_validate(data)


def _collect(rows: list[dict[str, Any]], kind: str, parse: Any, out: list[Any], problems: list[str]) -> None:
    seen: set[str] = set()
    key = "agent_id" if kind == "agent" else "team_id"
    for n, raw in enumerate(rows, start=1):
        try:
            item = parse(raw)
        except (ValueError, ValidationError) as exc:
            problems.append(f"{kind} {n} ({raw.get(key, '?')}): {exc}")
            continue
        ident = getattr(item, key)
        if ident in seen:
            problems.append(f"{kind} {n}: duplicate {key} {ident}")
        seen.add(ident)
        out.append(item)


def parse_text(text: str, fmt: str) -> ImportBundle:
    problems: list[str] = []
    bundle = ImportBundle()
    if fmt == "csv":
        rows = [dict(r) for r in csv.DictReader(io.StringIO(text))]
        _collect(rows, "agent", parse_agent, bundle.agents, problems)
    else:
        doc = yaml.safe_load(text) or {}
        if isinstance(doc, list):
            doc = {"agents": doc}
        if not isinstance(doc, dict):
            raise ImportProblem(["YAML must be a mapping with `teams:` and/or `agents:`, or an agent list"])
        _collect(list(doc.get("teams") or []), "team", parse_team, bundle.teams, problems)
        _collect(list(doc.get("agents") or []), "agent", parse_agent, bundle.agents, problems)
    if problems:
        raise ImportProblem(problems)
    return bundle


def parse_file(path: Path) -> ImportBundle:
    fmt = "csv" if path.suffix.lower() == ".csv" else "yaml"
    return parse_text(path.read_text(encoding="utf-8-sig"), fmt)
