"""Auto-assignment and the escalation chain on the time-skipping server (fake store, real scoring)."""

from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from domain.actions import AssignRequest
from domain.nlp import RequestDomain
from domain.routing import AgentProfile
from domain.sla import EscalationRole, EscalationStep, SlaPolicy, SlaTarget
from domain.status import TicketStatus
from tests.helpers.fake_activities import FakeBackend, fake_workers
from tests.routing.demo_profiles import demo_agents, demo_teams
from tests.workflows.sla_support import kinds, snapshot, start, ticket_input, wait_for, wait_status
from workflows.search_attributes import SLA_BREACHED
from workflows.ticket import TicketWorkflow


def thai_backend(online: bool = True) -> FakeBackend:
    backend = FakeBackend(language="th", domain=RequestDomain.AFTER_SALES)
    backend.routing.agents = demo_agents(presence="online" if online else "offline")
    backend.routing.teams = demo_teams()
    return backend


async def test_matching_agent_gets_the_ticket_and_the_why_is_recorded(ts_env: WorkflowEnvironment) -> None:
    backend = thai_backend()
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input())
        state = await wait_status(ts_env, handle, TicketStatus.PROCESSING)
        assert state.assignee == "somchai.k" and state.team == "manila"
        decision = next(e for e in state.timeline if e.kind == "assignment_decision")
        assert decision.actor == "router"
        assert decision.data["candidate_1"] == "somchai.k"
        assert "th 5/5" in str(decision.data["candidate_1_why"])
        assert "skill after_sales" in str(decision.data["candidate_1_why"])
        assert decision.data["not_eligible_does_not_speak_th"] == len(demo_agents()) - 2
        assert "picked somchai.k" in decision.summary
        assigned = next(e for e in state.timeline if e.kind == "assigned")
        assert assigned.actor == "router" and assigned.data["manual"] is False
        assert SlaTarget.ASSIGN not in state.sla.clocks and SlaTarget.FIRST_REPLY in state.sla.clocks
        assert backend.routing.assign_requests[0].language == "th"

        # A supervisor moves it: recorded as a manual reassignment, and the router never overrides it.
        move = AssignRequest(agent_id="nguyen.an", by="maria.santos", reason="customer asked")
        await handle.execute_update(TicketWorkflow.assign, move)
        state = await snapshot(handle)
        moved = next(e for e in state.timeline if e.kind == "reassigned")
        assert moved.actor == "maria.santos" and moved.data == {"from": "somchai.k", "to": "nguyen.an",
                                                               "reason": "customer asked", "manual": True}
        assert state.reassigned and state.routing.manual and state.assignee == "nguyen.an"
        await handle.terminate()


async def test_nobody_online_escalates_at_30_minutes_then_assigns_when_someone_comes_online(
        ts_env: WorkflowEnvironment) -> None:
    backend = thai_backend(online=False)
    policy = SlaPolicy(close_grace_s=60, target_chains={SlaTarget.ASSIGN: [
        EscalationStep(role=EscalationRole.SUPERVISOR, after_breach_s=0),
        EscalationStep(role=EscalationRole.MANAGER, after_breach_s=1800)]})
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input(sla=policy))
        state = await wait_for(ts_env, handle, lambda s: "assignment_pending" in kinds(s), "pending recorded")
        assert state.status is TicketStatus.PENDING_ASSIGNMENT and state.assignee is None
        assert state.team == "manila"  # in the Thai team's queue while nobody can take it
        pending = next(e for e in state.timeline if e.kind == "assignment_pending")
        assert pending.data["not_eligible_offline"] == 1

        await ts_env.sleep(timedelta(minutes=25))
        state = await snapshot(handle)
        assert kinds(state, "sla") == ["sla_warning"] and not state.sla_breached
        assert [n.recipients for n in backend.notifications if n.kind == "sla_warning"] == [["maria.santos"]]
        asked = len(backend.routing.assign_requests)
        assert asked >= 5  # retried every 5 minutes meanwhile
        assert kinds(state).count("assignment_pending") == 1  # retries that change nothing are not logged

        await ts_env.sleep(timedelta(minutes=6))
        state = await snapshot(handle)
        assert state.sla_breached and kinds(state, "sla") == ["sla_warning", "sla_breach"]
        escalation = next(e for e in state.timeline if e.kind == "escalation")
        assert (escalation.data["role"], escalation.data["to"]) == ("supervisor", "maria.santos")
        assert state.priority == "high"
        assert [n.recipients for n in backend.notifications if n.kind == "escalation"] == [["maria.santos"]]
        described = await handle.describe()
        assert described.typed_search_attributes.get(SLA_BREACHED) is True

        # Somchai comes online; the console/CLI nudges pending tickets: assigned without waiting.
        backend.routing.agent("somchai.k").presence = "online"
        await handle.signal(TicketWorkflow.retry_assignment)
        state = await wait_status(ts_env, handle, TicketStatus.PROCESSING)
        assert state.assignee == "somchai.k"
        await ts_env.sleep(timedelta(minutes=40))
        state = await snapshot(handle)
        assert [e.data["role"] for e in state.timeline if e.kind == "escalation"] == ["supervisor"]
        await handle.terminate()


async def test_escalation_chain_agent_then_supervisor_with_reassign_then_manager(
        ts_env: WorkflowEnvironment) -> None:
    backend = thai_backend()
    backend.routing.agents.append(AgentProfile(agent_id="ploy.c", team_id="manila",
                                               languages={"th": 4, "zh": 4}, presence="online", capacity=8))
    policy = SlaPolicy(close_grace_s=60, targets_s={SlaTarget.ASSIGN: 1800, SlaTarget.FIRST_REPLY: 3600},
                       chain=[EscalationStep(role=EscalationRole.AGENT, raise_priority=False),
                              EscalationStep(role=EscalationRole.SUPERVISOR, after_breach_s=600,
                                             reassign=True),
                              EscalationStep(role=EscalationRole.MANAGER, after_breach_s=1200)])
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input(sla=policy))
        state = await wait_status(ts_env, handle, TicketStatus.PROCESSING)
        assert state.assignee == "somchai.k"
        await ts_env.sleep(timedelta(minutes=61))
        state = await snapshot(handle)
        assert [(e.data["role"], e.data["to"]) for e in state.timeline if e.kind == "escalation"] == [
            ("agent", "somchai.k")]
        assert state.priority == "normal"  # the agent's own reminder does not raise priority
        await ts_env.sleep(timedelta(minutes=10))
        state = await snapshot(handle)
        assert state.assignee == "ploy.c" and state.reassigned and not state.routing.manual
        moved = next(e for e in state.timeline if e.kind == "reassigned")
        assert moved.actor == "escalation" and moved.data["from"] == "somchai.k"
        await ts_env.sleep(timedelta(minutes=10))
        state = await snapshot(handle)
        steps = [(e.data["role"], e.data["to"]) for e in state.timeline if e.kind == "escalation"]
        assert steps == [("agent", "somchai.k"), ("supervisor", "maria.santos"), ("manager", "li.wei")]
        assert state.priority == "urgent" and state.escalation_level == 3
        escalations = [n.recipients for n in backend.notifications if n.kind == "escalation"]
        assert escalations == [["somchai.k"], ["maria.santos", "somchai.k"], ["li.wei", "ploy.c"]]
        await handle.terminate()


async def test_manual_assignment_is_never_overridden(ts_env: WorkflowEnvironment) -> None:
    backend = thai_backend(online=False)
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input())
        await wait_for(ts_env, handle, lambda s: "assignment_pending" in kinds(s), "pending recorded")
        await handle.execute_update(TicketWorkflow.assign, AssignRequest(agent_id="wang.lei", by="zhang.min"))
        for a in backend.routing.agents:
            a.presence = "online"
        await handle.signal(TicketWorkflow.retry_assignment)
        await ts_env.sleep(timedelta(minutes=20))
        state = await snapshot(handle)
        assert state.assignee == "wang.lei" and state.routing.manual and not state.reassigned
        assert kinds(state).count("assigned") == 1 and "assignment_decision" not in kinds(state)
        await handle.terminate()


async def test_unspoken_language_routes_through_translation_and_flags_it(ts_env: WorkflowEnvironment) -> None:
    backend = thai_backend()
    backend.language = "fi"
    backend.domain = RequestDomain.TECHNICAL_SUPPORT
    async with fake_workers(ts_env.client, backend) as queue:
        inp = ticket_input(body="Laite ei käynnisty päivityksen jälkeen.")
        handle = await start(ts_env.client, queue, inp)
        state = await wait_status(ts_env, handle, TicketStatus.PROCESSING)
        assert state.assignee == "wang.lei"
        assert state.routing.translation_fallback and state.needs_triage
        assert any("no agent speaks fi" in r for r in state.triage_reasons)
        assert "routing_fallback" in kinds(state)
        await handle.terminate()


async def test_unresolvable_sla_falls_back_to_wall_clock_and_says_so(ts_env: WorkflowEnvironment) -> None:
    backend = thai_backend(online=False)
    backend.routing.fail_resolve = True
    async with fake_workers(ts_env.client, backend) as queue:
        handle = await start(ts_env.client, queue, ticket_input(sla=None))
        state = await wait_for(ts_env, handle, lambda s: "assignment_pending" in kinds(s), "pending recorded")
        assert "deadline_fallback" in kinds(state) and state.sla.calendar is None
        assign = state.sla.clocks[SlaTarget.ASSIGN]
        assert (assign.deadline - assign.started_at).total_seconds() == 30 * 60
        await handle.terminate()
