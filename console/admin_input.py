"""Admin form input -> validated domain objects, and domain objects -> form text.

The text forms are the ones `lingodesk agents import` reads (routing/agent_import.py), so an
admin types in the console what they would write in a CSV: languages `th:5;zh:4`, lists
`after_sales;logistics`, hours `mon-fri 09:00-12:00,13:00-18:00; sat 10:00-14:00`.
Every problem is collected and raised once as `AdminInputError` for the page to list.
"""

from datetime import date
from typing import Any

from pydantic import ValidationError

from domain.calendar import BusinessCalendar
from domain.nlp import RequestDomain
from domain.routing import AgentProfile, TeamProfile
from domain.sla import EscalationRole, EscalationStep, SlaPolicy, SlaTarget
from domain.ticket import Channel, CustomerTier, Priority
from routing.agent_import import DAYS, _check_zone, parse_agent, parse_hours, parse_list

ROLES = ("agent", "supervisor", "manager")
PRIORITIES = tuple(p.value for p in Priority)
TIERS = tuple(t.value for t in CustomerTier)
CHANNELS = tuple(c.value for c in Channel)


class AdminInputError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, ValidationError):
        return [f"{'.'.join(str(p) for p in e['loc']) or 'value'}: {e['msg']}" for e in exc.errors()]
    return [str(exc)]


def format_languages(languages: dict[str, int]) -> str:
    return ";".join(f"{k}:{v}" for k, v in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0])))


def format_hours(hours: dict[int, list[tuple[str, str]]]) -> str:
    """Weekday shifts as `mon-fri 09:00-18:00; sat 10:00-14:00` (consecutive equal days merged)."""
    groups: list[tuple[int, int, str]] = []
    for day in sorted(hours):
        shifts = ",".join(f"{a}-{b}" for a, b in hours[day])
        if not shifts:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == shifts:
            groups[-1] = (groups[-1][0], day, shifts)
        else:
            groups.append((day, day, shifts))
    return "; ".join(f"{DAYS[a]}{'' if a == b else '-' + DAYS[b]} {s}" for a, b, s in groups)


def _domains(text: str, problems: list[str]) -> list[str]:
    known = {d.value for d in RequestDomain}
    out = parse_list(text)
    unknown = [d for d in out if d not in known]
    if unknown:
        problems.append(f"unknown request domain(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return out


def agent_from_form(form: dict[str, Any], teams: list[str]) -> AgentProfile:
    """The agent form (compact text fields) as a validated `AgentProfile`."""
    problems: list[str] = []
    agent_id = str(form.get("agent_id") or "").strip()
    if not agent_id:
        problems.append("agent id is required")
    team = form.get("team_id") or None
    if team is not None and team not in teams:
        problems.append(f"unknown team {team!r}")
    if form.get("role") not in ROLES:
        problems.append(f"role must be one of {', '.join(ROLES)}")
    capacity = form.get("capacity")
    if not isinstance(capacity, int) or not 0 <= capacity <= 500:
        problems.append("capacity must be a whole number 0..500")
    _domains(str(form.get("domains") or ""), problems)
    agent: AgentProfile | None = None
    try:
        agent = parse_agent({**form, "agent_id": agent_id, "team_id": team})
        if not agent.languages:
            problems.append("at least one language is required, e.g. th:5;zh:4")
    except (ValueError, ValidationError) as exc:
        problems.extend(_messages(exc))
    if problems or agent is None:
        raise AdminInputError(problems)
    return agent


def team_from_form(form: dict[str, Any], agents: list[str], calendar_ids: list[str]) -> TeamProfile:
    """Routing rules (languages, domains), supervisor, manager and the calendar reference."""
    problems: list[str] = []
    team_id = str(form.get("team_id") or "").strip()
    if not team_id:
        problems.append("team id is required")
    languages = parse_list(form.get("languages"))
    if not languages:
        problems.append("routing rule: at least one language is required")
    domains = _domains(str(form.get("domains") or ""), problems)
    for role in ("supervisor", "manager"):
        who = form.get(role) or None
        if who is not None and who not in agents:
            problems.append(f"{role} {who!r} is not an agent")
    timezone = str(form.get("timezone") or "").strip()
    try:
        _check_zone(timezone)
    except ValueError as exc:
        problems.append(str(exc))
    calendar_ref = form.get("calendar_id") or None
    calendar: BusinessCalendar | None = form.get("inline_calendar")
    if calendar_ref is not None:
        if calendar_ref not in calendar_ids:
            problems.append(f"unknown calendar {calendar_ref!r}")
        calendar = BusinessCalendar(calendar_id=calendar_ref, timezone=timezone or "UTC")
    if problems:
        raise AdminInputError(problems)
    try:
        return TeamProfile(
            team_id=team_id,
            name=str(form.get("name") or team_id),
            timezone=timezone,
            languages=languages,
            domains=domains,
            supervisor=form.get("supervisor") or None,
            manager=form.get("manager") or None,
            calendar=calendar,
        )
    except ValidationError as exc:
        raise AdminInputError(_messages(exc)) from exc


def _dates(text: str, what: str, problems: list[str]) -> list[date]:
    out: list[date] = []
    for part in parse_list(text):
        try:
            out.append(date.fromisoformat(part))
        except ValueError:
            problems.append(f"{what}: {part!r} is not a date (YYYY-MM-DD)")
    return sorted(set(out))


def calendar_from_form(form: dict[str, Any]) -> BusinessCalendar:
    """Time zone, working days/hours (split shifts), holiday country, closures, worked holidays."""
    problems: list[str] = []
    calendar_id = str(form.get("calendar_id") or "").strip()
    if not calendar_id:
        problems.append("calendar id is required")
    timezone = str(form.get("timezone") or "").strip()
    try:
        _check_zone(timezone)
    except ValueError as exc:
        problems.append(str(exc))
    hours: dict[int, list[tuple[str, str]]] = {}
    try:
        hours = parse_hours(form.get("hours"))
        if not hours:
            problems.append("working hours are required, e.g. 'mon-fri 09:00-12:00,13:00-18:00'")
    except (ValueError, IndexError) as exc:
        problems.append(f"working hours: {exc}" if str(exc) else "working hours: unknown weekday")
    country = str(form.get("country") or "").strip().upper() or None
    if country is not None:
        import holidays

        if country not in holidays.list_supported_countries():
            problems.append(f"holiday country {country!r} is not supported by the holidays package")
    closures = _dates(str(form.get("closures") or ""), "closures", problems)
    working = _dates(str(form.get("working_holidays") or ""), "working holidays", problems)
    if problems:
        raise AdminInputError(problems)
    try:
        return BusinessCalendar(
            calendar_id=calendar_id,
            name=str(form.get("name") or calendar_id),
            timezone=timezone,
            hours=hours,
            country=country,
            subdivision=str(form.get("subdivision") or "").strip() or None,
            closures=closures,
            working_holidays=working,
        )
    except ValidationError as exc:
        raise AdminInputError(_messages(exc)) from exc


_DELAY_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_STEP_FLAGS = ("raise", "reassign")


def format_chain(chain: list[EscalationStep]) -> str:
    """One step per line, `role delay [raise] [reassign]`, e.g. `supervisor 30m raise`."""
    lines = []
    for step in chain:
        delay = step.after_breach_s
        unit = next((u for u in ("d", "h", "m") if delay and delay % _DELAY_UNITS[u] == 0), "s")
        amount = delay // _DELAY_UNITS[unit] if unit != "s" else delay
        flags = [f for f, on in zip(_STEP_FLAGS, (step.raise_priority, step.reassign), strict=True) if on]
        lines.append(" ".join([step.role.value, f"{amount}{unit if delay else 'm'}", *flags]))
    return "\n".join(lines)


def parse_chain(text: str, problems: list[str]) -> list[EscalationStep]:
    """The inverse of format_chain; every bad line is reported, delays must not go backwards."""
    steps: list[EscalationStep] = []
    roles = ", ".join(r.value for r in EscalationRole)
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        where = f"escalation step {number} ({line.strip()[:40]!r})"
        if words[0] not in {r.value for r in EscalationRole}:
            problems.append(f"{where}: role must be one of {roles}")
            continue
        delay = words[1] if len(words) > 1 else ""
        unit = delay[-1:]
        if unit not in _DELAY_UNITS or not delay[:-1].isdigit():
            problems.append(f"{where}: delay after the breach like 0m, 30m, 2h or 1d")
            continue
        flags = words[2:]
        unknown = [f for f in flags if f not in _STEP_FLAGS]
        if unknown:
            problems.append(f"{where}: unknown option {unknown[0]!r} (use raise, reassign)")
            continue
        seconds = int(delay[:-1]) * _DELAY_UNITS[unit]
        if steps and seconds < steps[-1].after_breach_s:
            problems.append(f"{where}: a step cannot fire before the step above it")
            continue
        steps.append(EscalationStep(role=EscalationRole(words[0]), after_breach_s=seconds,
                                    raise_priority="raise" in flags, reassign="reassign" in flags))
    if not steps and not problems:
        problems.append("the escalation chain needs at least one step")
    return steps


def policy_from_form(base: SlaPolicy, form: dict[str, Any]) -> SlaPolicy:
    """A new version of `base`: targets in hours per node, warning share, calendar reference and,
    when the form has one, the default escalation chain (per-target chains are kept from `base`).
    """
    problems: list[str] = []
    chain = parse_chain(str(form["chain"]), problems) if "chain" in form else base.chain
    targets: dict[SlaTarget, int] = {}
    for target in SlaTarget:
        hours = form.get(f"target_{target.value}")
        if hours is None:
            continue
        if not isinstance(hours, int | float) or hours <= 0:
            problems.append(f"target {target.value} must be more than 0 hours")
            continue
        targets[target] = round(float(hours) * 3600)
    warn = form.get("warn_ratio")
    if not isinstance(warn, int | float) or not 0.05 <= float(warn) <= 0.99:
        problems.append("warning share must be between 0.05 and 0.99 (e.g. 0.8 = warn at 80%)")
    name = str(form.get("name") or "").strip()
    if not name:
        problems.append("policy name is required")
    if problems:
        raise AdminInputError(problems)
    try:
        return SlaPolicy.model_validate(
            base.model_dump()
            | {
                "name": name,
                "targets_s": {**base.targets_s, **targets},
                "warn_ratio": float(warn),  # type: ignore[arg-type]
                "calendar_id": form.get("calendar_id") or None,
                "chain": [step.model_dump() for step in chain],
            }
        )
    except ValidationError as exc:
        raise AdminInputError(_messages(exc)) from exc
