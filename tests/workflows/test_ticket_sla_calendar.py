"""Business-calendar SLAs driven through days of time in seconds.

These tests move the server clock to real weekdays (a Friday before a US holiday, a Manila
Saturday), so they run on their own time-skipping server and leave the shared one alone.
"""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest, CustomerMessage, NoteRequest, ReplyRequest
from domain.ids import ActivityName
from domain.nlp import RequestDomain
from domain.sla import EscalationRole, EscalationStep, SlaPolicy, SlaTarget
from domain.status import TicketStatus
from domain.ticket import Customer, CustomerTier, Direction
from routing.business_time import BusinessTime
from store.agents import set_presence
from store.sla_policies import US_EASTERN, PolicyMatch, get_policy, publish_policy
from tests.helpers.fake_activities import FakeBackend, fake_workers
from tests.routing.demo_profiles import demo_agents, demo_teams
from tests.workflows.sla_support import (
    kinds,
    next_weekday_at,
    seeded_store,
    snapshot,
    start,
    store_workers,
    ticket_input,
    travel_to,
    wait_for,
    wait_status,
)
from workflows.search_attributes import SLA_BREACHED
from workflows.ticket import TicketWorkflow

NY = ZoneInfo("America/New_York")
MANILA = ZoneInfo("Asia/Manila")
HOUR = 3600
US_HOLIDAYS = holidays.country_holidays("US")


def friday_before_monday_holiday(d: datetime) -> bool:
    return d.date() not in US_HOLIDAYS and (d.date() + timedelta(days=3)) in US_HOLIDAYS


async def test_vip_first_response_breach_across_weekend_and_us_holiday(ts_env: WorkflowEnvironment,
                                                                       tmp_path: Path) -> None:
    sessions = seeded_store(tmp_path)
    with sessions.begin() as session:
        vip = get_policy(session, "vip")
        assert vip is not None
        # The Americas VIP desk: first response in 2 business hours of US Eastern time.
        publish_policy(session, vip.model_copy(update={"policy_id": "vip-us", "calendar_id": "us_eastern"}),
                       PolicyMatch(tier="vip", channel="email"))
    backend = FakeBackend(language="en", domain=RequestDomain.BILLING)
    friday = next_weekday_at(await ts_env.get_current_time(), 4, 16, 0, NY, friday_before_monday_holiday)
    await travel_to(ts_env, friday)
    async with store_workers(ts_env.client, backend, sessions) as queue:
        inp = ticket_input(customer=Customer(email="cfo@example.com", tier=CustomerTier.VIP), sla=None,
                           subject="Invoice", body="Our invoice shows the wrong amount.")
        handle = await start(ts_env.client, queue, inp)
        state = await wait_status(ts_env, handle, TicketStatus.PROCESSING)
        assert state.sla_policy is not None and state.sla_policy.policy_id == "vip-us"
        assert state.sla.calendar is not None and state.sla.calendar.calendar_id == "us_eastern"
        assert state.assignee == "sofia.garcia"  # in New York hours, billing, strong English
        state = await wait_for(ts_env, handle,
                               lambda s: not s.sla.clocks[SlaTarget.FIRST_REPLY].needs_deadline,
                               "business deadline computed")
        first = state.sla.clocks[SlaTarget.FIRST_REPLY]
        # The assignment brought the first-reply deadline: no separate deadline activity ran.
        history = await handle.fetch_history()
        scheduled = [e.activity_task_scheduled_event_attributes.activity_type.name for e in history.events
                     if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED]
        assert ActivityName.ASSIGN_TICKET in scheduled and ActivityName.COMPUTE_SLA_DEADLINES not in scheduled
        assert first.started_at <= state.timeline[-1].at
        tuesday = friday.date() + timedelta(days=4)
        due = first.deadline.astimezone(NY)
        # One hour on Friday, then Saturday, Sunday and the Monday holiday pass: Tuesday 10:00.
        assert (due.date(), due.hour, due.minute) == (tuesday, 10, 0)
        assert first.warn_at.astimezone(NY).strftime("%H:%M") == "09:36"

        holiday = friday + timedelta(days=3)
        await travel_to(ts_env, holiday.replace(hour=12))  # Monday noon, a public holiday: no time counts
        state = await snapshot(handle)
        assert not state.sla_breached and "sla_warning" not in kinds(state)
        await travel_to(ts_env, datetime(tuesday.year, tuesday.month, tuesday.day, 9, 40, tzinfo=NY))
        state = await snapshot(handle)
        assert kinds(state, "sla") == ["sla_warning"]
        await travel_to(ts_env, datetime(tuesday.year, tuesday.month, tuesday.day, 10, 1, tzinfo=NY))
        state = await snapshot(handle)
        assert state.sla_breached and kinds(state, "sla") == ["sla_warning", "sla_breach"]
        breach = next(e for e in state.timeline if e.kind == "sla_breach")
        assert breach.data["target"] == "first_reply" and breach.at >= first.deadline
        assert [e.data["to"] for e in state.timeline if e.kind == "escalation"] == ["sofia.garcia"]
        described = await handle.describe()
        assert described.typed_search_attributes.get(SLA_BREACHED) is True
        await handle.terminate()


async def test_waiting_on_customer_pauses_business_time(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend(language="en", domain=RequestDomain.BILLING)
    policy = SlaPolicy(close_grace_s=60, calendar=US_EASTERN,  # an explicit policy wins over the store
                       targets_s={SlaTarget.ASSIGN: 1800, SlaTarget.FIRST_REPLY: HOUR,
                                  SlaTarget.RESOLUTION: 8 * HOUR})
    friday = next_weekday_at(await ts_env.get_current_time(), 4, 10, 0, NY,
                             lambda d: all(d.date() + timedelta(days=i) not in US_HOLIDAYS for i in range(6)))
    await travel_to(ts_env, friday)
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input(sla=policy))
        # The policy entry is written in the same workflow task that finishes receiving the ticket.
        await wait_for(ts_env, handle, lambda s: "policy" in kinds(s), "policy resolved")
        assert backend.routing.resolve_requests[0].policy == policy
        await handle.execute_update(TicketWorkflow.assign,
                                    AssignRequest(agent_id="sofia.garcia", by="james.miller"))
        await handle.execute_update(TicketWorkflow.reply,
                                    ReplyRequest(agent_id="sofia.garcia", text="请提供发票号。"))
        state = await wait_for(ts_env, handle, lambda s: s.awaiting_customer, "reply sent")
        clock = state.sla.clocks[SlaTarget.RESOLUTION]
        paused_at, old_deadline = clock.paused_at, clock.deadline
        assert paused_at is not None and old_deadline.astimezone(NY).strftime("%a %H:%M") == "Mon 10:00"

        monday = friday + timedelta(days=3)
        await travel_to(ts_env, monday.replace(hour=9, minute=30))
        state = await snapshot(handle)
        assert "sla_warning" not in kinds(state)  # the warning time (Friday 16:24) passed while paused
        resumed_at = await ts_env.get_current_time()
        await handle.signal(TicketWorkflow.customer_message, CustomerMessage(text="Invoice INV-2291."))
        state = await wait_for(ts_env, handle, lambda s: s.sla.clocks[SlaTarget.RESOLUTION].paused_at is None
                               and not s.sla.clocks[SlaTarget.RESOLUTION].needs_deadline, "resumed")
        clock = state.sla.clocks[SlaTarget.RESOLUTION]
        bt = BusinessTime(US_EASTERN)
        left = bt.between(paused_at, old_deadline)
        assert abs(left - 8 * HOUR) < 60
        expected = bt.add(resumed_at, left)
        assert abs((clock.deadline - expected).total_seconds()) < 5  # resumed when the signal was handled
        assert clock.deadline.astimezone(NY).strftime("%a %H") == "Tue 09"  # not Thursday, as wall time would
        await travel_to(ts_env, monday.replace(hour=16, minute=0))
        assert kinds(await snapshot(handle), "sla") == ["sla_warning"]
        await travel_to(ts_env, (monday + timedelta(days=1)).replace(hour=9, minute=31))
        state = await snapshot(handle)
        assert kinds(state, "sla") == ["sla_warning", "sla_breach"]
        assert [e.data["target"] for e in state.timeline if e.kind.startswith("sla")] == ["resolution"] * 2
        await handle.terminate()


async def test_policy_version_stays_with_the_ticket(ts_env: WorkflowEnvironment, tmp_path: Path) -> None:
    sessions = seeded_store(tmp_path)
    with sessions.begin() as session:
        for agent in ("lukas.meyer", "anna.schmidt", "chloe.martin"):
            set_presence(session, agent, "offline")
    backend = FakeBackend(language="de", domain=RequestDomain.AFTER_SALES)
    tuesday = next_weekday_at(await ts_env.get_current_time(), 1, 10, 0, ZoneInfo("Europe/Berlin"),
                              lambda d: d.date() not in holidays.country_holidays("DE"))
    await travel_to(ts_env, tuesday)
    async with store_workers(ts_env.client, backend, sessions) as queue:
        first = await start(ts_env.client, queue, ticket_input(sla=None, continue_as_new_after_events=40))
        await wait_for(ts_env, first, lambda s: "assignment_pending" in kinds(s), "first pending")
        with sessions.begin() as session:
            v1 = get_policy(session, "standard")
            assert v1 is not None and v1.version == 1
            v2 = v1.model_copy(update={"targets_s": v1.targets_s | {SlaTarget.FIRST_REPLY: HOUR}})
            assert publish_policy(session, v2, PolicyMatch()) == 2
        second = await start(ts_env.client, queue, ticket_input(sla=None))
        await wait_for(ts_env, second, lambda s: "assignment_pending" in kinds(s), "second pending")
        for i in range(8):  # push the first ticket through continue-as-new: the version must survive it
            await first.execute_update(TicketWorkflow.add_note,
                                       NoteRequest(author="anna.schmidt", text=f"n{i}"))
        # The test server may not answer a query sent right after continue-as-new; let the new run start.
        await ts_env.sleep(1)
        with sessions.begin() as session:
            set_presence(session, "lukas.meyer", "online")
        for handle in (first, second):
            await handle.signal(TicketWorkflow.retry_assignment)
        states = []
        for handle in (first, second):
            await wait_status(ts_env, handle, TicketStatus.PROCESSING)
            states.append(await wait_for(ts_env, handle, lambda s: not s.sla.clocks[
                SlaTarget.FIRST_REPLY].needs_deadline, "first reply deadline"))
        old, new = states
        assert old.runs >= 2
        assert old.sla_policy is not None
        assert (old.sla_policy.policy_id, old.sla_policy.version) == ("standard", 1)
        assert new.sla_policy is not None and new.sla_policy.version == 2
        berlin = BusinessTime(old.sla.calendar)  # type: ignore[arg-type]
        for state, target_s in ((old, 4 * HOUR), (new, HOUR)):
            clock = state.sla.clocks[SlaTarget.FIRST_REPLY]
            assert clock.deadline == berlin.add(clock.started_at, target_s)
        for handle in (first, second):
            await handle.terminate()


async def test_after_hours_acknowledgement_in_the_customers_language(ts_env: WorkflowEnvironment) -> None:
    backend = FakeBackend(language="th", domain=RequestDomain.AFTER_SALES)
    backend.routing.agents = demo_agents(presence="offline")
    backend.routing.teams = demo_teams()
    backend.routing.policy = SlaPolicy(policy_id="standard", calendar_id="team", close_grace_s=60,
                                       target_chains={SlaTarget.ASSIGN: [
                                           EscalationStep(role=EscalationRole.SUPERVISOR)]})
    saturday = next_weekday_at(await ts_env.get_current_time(), 5, 10, 0, MANILA,
                               lambda d: d.date() + timedelta(days=2) not in holidays.country_holidays("PH"))
    await travel_to(ts_env, saturday)
    async with fake_workers(ts_env.client, backend) as queue:
        customer = Customer(email="k.somsak@example.co.th", timezone="Asia/Bangkok")
        inp = ticket_input(sla=None, customer=customer)
        handle = await start(ts_env.client, queue, inp)
        state = await wait_for(ts_env, handle, lambda s: "auto_ack" in kinds(s), "acknowledged")
        ack = next(m for m in state.messages if m.template == "after_hours_ack")
        assert ack.direction is Direction.OUTBOUND and ack.delivery == "sent"
        assert ack.translation_language == "th" and ack.translated_text is not None
        assert ack.translated_text.startswith("ขอบคุณที่ติดต่อเรา")
        # Monday 09:00 Manila + 4 business hours (lunch 12-13) = 14:00 Manila = 13:00 in Bangkok.
        monday = (saturday + timedelta(days=2)).date()
        assert f"{monday.isoformat()} 13:00 (Asia/Bangkok, UTC+07:00)" in ack.translated_text
        assert backend.sent[0].text == ack.translated_text and backend.sent[0].language == "th"
        # Not a first response: no clock stopped or paused, nobody waits on the customer.
        assert state.first_response_at is None and not state.awaiting_customer
        assert state.sla.clocks[SlaTarget.RESOLUTION].paused_at is None
        assign = state.sla.clocks[SlaTarget.ASSIGN]
        assert assign.deadline.astimezone(MANILA) == datetime(monday.year, monday.month, monday.day, 9, 30,
                                                              tzinfo=MANILA)
        await handle.terminate()


def test_helpers_pick_real_days() -> None:
    start_at = datetime(2026, 11, 23, tzinfo=UTC)
    friday = next_weekday_at(start_at, 4, 16, 0, NY, friday_before_monday_holiday)
    assert friday.date() == date(2027, 1, 15)  # MLK Day is Monday 2027-01-18
