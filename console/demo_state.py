"""Demo tickets as the workflow would hold them (`TicketState`), and demo collaboration tasks.

DEMO PROJECTION DATA only: see console/demo_seed.py.
"""

from datetime import datetime, timedelta
from typing import Any

from console.demo_data import DEMO_TASKS, HOSTILE_BODY
from domain.nlp import AppliedTerm, Classification, LanguageDetection, RequestDomain, TranslationState
from domain.sla import SlaClock, SlaTarget
from domain.status import TicketStatus
from domain.ticket import (
    Channel,
    Customer,
    DeliveryState,
    Direction,
    Priority,
    TicketMessage,
    TicketState,
    TimelineEvent,
)


def _clock(target: str, started: int, deadline: int, now: datetime) -> SlaClock:
    start, end = now + timedelta(minutes=started), now + timedelta(minutes=deadline)
    return SlaClock(
        target=SlaTarget(target),
        started_at=start,
        deadline=end,
        warn_at=start + (end - start) * 0.8,
        warned=now >= start + (end - start) * 0.8,
        breached=end <= now,
    )


def _message(
    seq: int, spec: tuple[Any, ...], lang: str, customer: str, agent: str, now: datetime, unavailable: bool
) -> TicketMessage:
    direction, text, translated, terms, minutes = spec
    inbound = direction == "inbound"
    if direction == "note":
        state = TranslationState.NOT_NEEDED
    elif unavailable and translated is None:
        state = TranslationState.UNAVAILABLE
    else:
        state = (
            TranslationState.NOT_NEEDED
            if lang == "zh" and translated is None
            else TranslationState.TRANSLATED
        )
    return TicketMessage(
        seq=seq,
        direction=Direction(direction),
        author=customer if inbound else agent,
        original_text=text,
        language=lang if inbound else "zh",
        translated_text=translated,
        translation_language=("zh" if inbound else lang) if direction != "note" else "",
        translation_state=state,
        engine="demo" if translated else "",
        model_id="demo-projection",
        applied_terms=[AppliedTerm(source=s, target=t) for s, t in terms],
        created_at=now + timedelta(minutes=minutes),
        delivery=DeliveryState.SENT if direction == "outbound" else DeliveryState.NONE,
        delivery_detail="no translation model for this language pair"
        if state is TranslationState.UNAVAILABLE
        else "",
    )


def demo_state(spec: dict[str, Any], now: datetime) -> TicketState:
    """One demo ticket as the workflow would hold it."""
    name, email, country = spec["customer"]
    created = now + timedelta(minutes=spec["created"])
    subject, subject_zh = spec["subject"]
    status = TicketStatus(spec["status"])
    unavailable = bool(spec.get("unavailable"))
    state = TicketState(
        ticket_id=spec["id"],
        status=status,
        channel=Channel(spec["channel"]),
        customer=Customer(name=name, email=email, country=country),
        subject=subject,
        subject_translated=subject_zh,
        priority=Priority(spec["priority"]),
        language=spec["lang"],
        detection=LanguageDetection(
            language=spec["lang"], confidence=spec["conf"], reliable=spec["conf"] >= 0.5, method="demo"
        ),
        classification=Classification(
            domain=RequestDomain(spec["domain"]), confidence=0.8, reliable=True, industry=spec.get("industry")
        ),
        needs_triage=bool(spec.get("triage")),
        triage_reasons=["low language confidence"] if spec.get("triage") else [],
        assignee=spec["assignee"],
        team=spec["team"],
        assignment_count=1 if spec["assignee"] else 0,
        sla_breached=bool(spec.get("breached")),
        escalation_level=spec.get("escalation", 0),
        created_at=created,
        updated_at=now + timedelta(minutes=max(m[4] for m in spec["messages"])),
        resolution=spec.get("resolution"),
    )
    for target, (started, deadline) in spec["clocks"].items():
        state.sla.clocks[SlaTarget(target)] = _clock(target, started, deadline, now)
    for i, m in enumerate(spec["messages"], start=1):
        state.messages.append(_message(i, m, spec["lang"], email, spec["assignee"] or "", now, unavailable))
    events = [
        ("demo", "DEMO PROJECTION DATA: no workflow runs for this ticket", "system", 0),
        ("created", f"Ticket received via {spec['channel']}", "customer", 0),
        ("language_detected", f"Language {spec['lang']} ({spec['conf']:.2f})", "system", 0),
    ]
    if spec["assignee"]:
        events.append(("assigned", f"Assigned to {spec['assignee']}", "router", 2))
    if spec.get("breached"):
        events.append(("sla_breach", "SLA breached", "system", 30))
    if status is TicketStatus.CLOSED:
        state.closed_at = state.resolved_at = state.updated_at
        events.append(("status", "Resolved: invoice reissued", spec["assignee"] or "system", 120))
    for seq, (kind, summary, actor, minutes) in enumerate(events, start=1):
        state.timeline.append(
            TimelineEvent(
                seq=seq, at=created + timedelta(minutes=minutes), kind=kind, actor=actor, summary=summary
            )
        )
    return state


def hostile_spec() -> dict[str, Any]:
    """A ticket whose text is HTML/Markdown/JS: the console must show it as text."""
    return {
        "id": "DEMO-0666",
        "lang": "en",
        "conf": 0.9,
        "domain": "other",
        "industry": None,
        "status": "processing",
        "priority": "normal",
        "assignee": "wang.lei",
        "team": "shenzhen",
        "channel": "web",
        "customer": ("<b>Mallory</b>", "mallory@example.com", "US"),
        "created": -10,
        "subject": (HOSTILE_BODY, HOSTILE_BODY),
        "messages": [("inbound", HOSTILE_BODY, HOSTILE_BODY, [("**bold**", "<i>term</i>")], -10)],
        "clocks": {"first_reply": (-10, 230)},
    }


def demo_task_requests(now: datetime) -> list[Any]:
    """Collaboration tasks as the task workflow would record them; [] without that module."""
    try:
        from domain.collaboration_actions import CollaborationTask, RecordCollaborationTaskRequest
    except ImportError:
        return []
    out = []
    for spec in DEMO_TASKS:
        created = now + timedelta(minutes=spec["created"])
        task = CollaborationTask(
            task_id=f"ticket-{spec['ticket']}-task-{spec['no']}",
            ticket_id=spec["ticket"],
            task_no=spec["no"],
            department=spec["department"],
            department_name=spec["department_name"],
            assignee=spec["assignee"],
            requested_by=spec["by"],
            agent=spec["by"],
            question=spec["question"],
            context=spec["context"],
            status=spec["status"],
            created_at=created,
            updated_at=created,
            deadline=now + timedelta(minutes=spec["deadline"]),
            result=spec.get("result"),
            closed_at=created + timedelta(minutes=30) if spec["status"] == "done" else None,
            overdue=spec["deadline"] < 0 and spec["status"] == "open",
        )
        out.append(RecordCollaborationTaskRequest(task=task, version=1))
    return out
