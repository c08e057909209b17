"""TicketWorkflow: one durable workflow per ticket (id `ticket-<ticket_id>`, queue `tickets`).

Deterministic: every side effect is an activity called by name, time comes from
`workflow.now()`. Update handlers only change state and wake the main loop; the main loop is
the single place that runs NLP, sends replies and projects state into SQL, so projection
writes never race each other.
"""

import contextlib
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.actions import (
        ActionResult,
        AssignRequest,
        CustomerMessage,
        EscalateRequest,
        NoteRequest,
        ReopenRequest,
        ReplyRequest,
        ResolveRequest,
    )
    from domain.collaboration_actions import CollaborationEvent, CollaborationOpened, CollaborationRequest
    from domain.csat import SUBMIT_CSAT_UPDATE, CsatSubmission
    from domain.ids import TICKET_WORKFLOW
    from domain.sla import SlaPolicy, SlaTarget
    from domain.status import IllegalTransition, TicketStatus, check_transition
    from domain.ticket import (
        DeliveryState,
        Direction,
        TicketInput,
        TicketMessage,
        TicketResult,
        TicketState,
        raise_priority,
    )
    from workflows import ticket_collaboration as collab
    from workflows import ticket_conversation as conversation
    from workflows import ticket_csat as csat
    from workflows import ticket_intake as intake
    from workflows import ticket_routing as routing
    from workflows import ticket_sla as sla
    from workflows import ticket_steps as steps
    from workflows.patches import FLUSH_MARKS_PATCH, SEARCH_ATTRIBUTES_ONCE_PATCH, PatchGate
    from workflows.search_attributes import (
        SLA_BREACHED,
        TICKET_ASSIGNEE,
        TICKET_INTENT,
        TICKET_LANGUAGE,
        TICKET_PRIORITY,
        TICKET_STATUS,
        SearchAttributeUpdate,
    )
    from workflows.sla_clock import SlaClocks

CONTINUE_AS_NEW_AFTER_EVENTS = 8000


def invalid(message: str) -> ApplicationError:
    return ApplicationError(message, type="InvalidAction", non_retryable=True)


@workflow.defn(name=TICKET_WORKFLOW)
class TicketWorkflow:
    def __init__(self) -> None:
        self.state: TicketState = TicketState(ticket_id="")
        self.clocks = SlaClocks(self.state.sla, SlaPolicy())
        self._inbox: list[CustomerMessage] = []
        self._seen_message_ids: set[str] = set()
        self._dirty_messages: set[int] = set()
        self._flushed_events = 0
        self._wake = False
        self._intake_done = False
        self._retranslate_at: datetime | None = None
        self._cas_after_events = CONTINUE_AS_NEW_AFTER_EVENTS
        # Auto-assignment retries while pending (workflows/ticket_routing.py); not carried: a new
        # run simply asks the router again at once.
        self._assign_retry_at: datetime | None = None
        self._assign_nudged = False
        self.patches = PatchGate()
        self._search_attributes: list[SearchAttributeUpdate[Any]] | None = None  # this run's last upsert

    # ------------------------------------------------------------------ run
    @workflow.run
    async def run(self, inp: TicketInput) -> TicketResult:
        self._cas_after_events = inp.continue_as_new_after_events
        if inp.carried_state is not None:
            self._resume(inp.carried_state)
        else:
            await intake.intake(self, inp)
        self._intake_done = True
        self.state.accepting_actions = True

        while True:
            await self._wait_for_work()
            await conversation.process_inbox(self)
            await conversation.process_outbox(self)
            await conversation.retranslate_if_due(self)
            await csat.send_survey_if_due(self)
            await csat.process_answers(self)
            await self._tick_sla()
            await self._flush()
            if self._finished():
                break
            if self._should_continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                if not self._inbox:
                    await self._flush()
                    self.state.runs += 1
                    workflow.continue_as_new(
                        inp.model_copy(update={"carried_state": self.state, "body": "", "subject": ""})
                    )

        await workflow.wait_condition(workflow.all_handlers_finished)
        await self._flush()
        return TicketResult(
            ticket_id=self.state.ticket_id,
            status=self.state.status,
            resolution=self.state.resolution,
            messages=len(self.state.messages),
        )

    def _resume(self, carried: TicketState) -> None:
        self.state = carried
        self.clocks = SlaClocks(carried.sla, carried.sla_policy or SlaPolicy())
        self._seen_message_ids = {m.external_message_id for m in carried.messages if m.external_message_id}
        self._flushed_events = len(carried.timeline)
        self._upsert_search_attributes()

    # ---------------------------------------------------------- main loop
    async def _wait_for_work(self) -> None:
        wakeups = [
            t
            for t in (
                self.clocks.next_wakeup(),
                self._retranslate_at,
                self._close_at(),
                self._assign_retry_at,
            )
            if t
        ]
        timeout: timedelta | None = None
        if wakeups:
            timeout = max(min(wakeups) - workflow.now(), timedelta(milliseconds=1))
        with contextlib.suppress(TimeoutError):
            await workflow.wait_condition(lambda: self._wake or bool(self._inbox), timeout=timeout)
        self._wake = False
        if routing.enabled(self):
            await routing.retry_if_due(self)  # still pending: ask the router again when due or nudged

    def _finished(self) -> bool:
        close_at = self._close_at()
        return (
            close_at is not None
            and workflow.now() >= close_at
            and not self._inbox
            and not csat.unprocessed(self.state)  # an answer that raced the end is still recorded
        )

    def _close_at(self) -> datetime | None:
        if self.state.status is not TicketStatus.CLOSED or self.state.closed_at is None:
            return None
        grace = (self.state.sla_policy or SlaPolicy()).close_grace_s
        return self.state.closed_at + timedelta(seconds=grace)

    def _should_continue_as_new(self) -> bool:
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested() or info.get_current_history_length() > self._cas_after_events
        )

    async def _tick_sla(self) -> None:
        if routing.enabled(self):
            await sla.tick(self)  # business-time deadlines, chain recipients from the team, reassign
        else:
            await sla.tick_before_routing(self)

    # ------------------------------------------------------------- helpers
    def _event(
        self,
        kind: str,
        summary: str,
        actor: str = "system",
        public: bool = False,
        data: dict[str, str | int | float | bool | None] | None = None,
    ) -> None:
        s = self.state
        s.timeline.append(steps.event(s.next_event_seq(), workflow.now(), kind, summary, actor, public, data))
        s.updated_at = workflow.now()

    def _enter(self, status: TicketStatus, summary: str, actor: str = "system") -> None:
        s = self.state
        if s.status is not status:
            check_transition(s.status, status)
        previous = s.status
        s.status = status
        self._event(
            "status", summary, actor=actor, public=True, data={"from": str(previous), "to": str(status)}
        )
        self._upsert_search_attributes()

    def _reopen(self, summary: str, actor: str = "system") -> None:
        target = TicketStatus.PROCESSING if self.state.assignee else TicketStatus.PENDING_ASSIGNMENT
        self._enter(target, summary, actor)
        now = workflow.now()
        self.clocks.start(SlaTarget.NEXT_REPLY if self.state.assignee else SlaTarget.ASSIGN, now)
        self.clocks.start(SlaTarget.RESOLUTION, now)

    def _upsert_search_attributes(self) -> None:
        s = self.state
        updates: list[SearchAttributeUpdate[Any]] = [
            TICKET_STATUS.value_set(str(s.status)),
            TICKET_LANGUAGE.value_set(s.language),
            TICKET_INTENT.value_set(str(s.classification.domain)),
            TICKET_ASSIGNEE.value_set(s.assignee or ""),
            TICKET_PRIORITY.value_set(str(s.priority)),
            SLA_BREACHED.value_set(s.sla_breached),
        ]
        # An assignment used to upsert the same values twice (status change, then assignee):
        # each upsert is a history event and a visibility write on the server.
        if updates == self._search_attributes and self.patches.patched(SEARCH_ATTRIBUTES_ONCE_PATCH):
            return
        self._search_attributes = updates
        workflow.upsert_search_attributes(updates)

    async def _flush(self) -> None:
        s = self.state
        events = s.timeline[self._flushed_events :]
        messages = [m for m in s.messages if m.seq in self._dirty_messages]
        if not events and not messages and self._flushed_events:
            return
        if self.patches.patched(FLUSH_MARKS_PATCH):
            # Mark as flushed before awaiting: update handlers may add events or touch messages
            # while the write is in flight, and those must go out with the next flush.
            self._flushed_events = len(s.timeline)
            self._dirty_messages.difference_update(m.seq for m in messages)
            await steps.project(s, messages, events)
            return
        # Histories recorded before the fix: the old order (could skip events added mid-write).
        await steps.project(s, messages, events)
        self._flushed_events = len(s.timeline)
        self._dirty_messages.clear()

    def _require_open(self) -> None:
        if self.state.status is TicketStatus.CLOSED:
            raise invalid(f"ticket {self.state.ticket_id} is closed")

    def _require_intake(self) -> None:
        if not self._intake_done:
            raise invalid("ticket is still being received; try again in a moment")

    # ------------------------------------------------------------- queries
    @workflow.query(name="get_snapshot")
    def get_snapshot(self) -> TicketState:
        return self.state

    # ------------------------------------------------------------- signals
    @workflow.signal(name="customer_message")
    def customer_message(self, msg: CustomerMessage) -> None:
        if msg.message_id and msg.message_id in self._seen_message_ids:
            return  # the same e-mail delivered twice is one message
        if msg.message_id:
            self._seen_message_ids.add(msg.message_id)
        self._inbox.append(msg)

    # ------------------------------------------------------------- updates
    @workflow.update(name="assign")
    async def assign(self, req: AssignRequest) -> ActionResult:
        # A person's assignment (supervisor, console): it always wins over the router and is recorded.
        routing.apply_assignment(self, req.agent_id, req.team, req.by, req.reason, manual=True)
        return ActionResult(status=self.state.status, detail=f"assigned to {req.agent_id}")

    @assign.validator
    def validate_assign(self, req: AssignRequest) -> None:
        self._require_intake()
        self._require_open()
        if not req.agent_id.strip():
            raise invalid("agent_id is required")

    @workflow.signal(name="retry_assignment")
    def retry_assignment(self) -> None:
        """Agents came online or capacity freed up (`lingodesk agents presence`): ask the router now."""
        self._assign_nudged = True
        self._wake = True

    @workflow.update(name="reply")
    async def reply(self, req: ReplyRequest) -> ActionResult:
        s = self.state
        if req.request_id:
            for m in s.messages:
                if m.direction is Direction.OUTBOUND and m.external_message_id == f"req:{req.request_id}":
                    return ActionResult(status=s.status, detail="duplicate request", seq=m.seq)
        message = TicketMessage(
            seq=s.next_seq(),
            direction=Direction.OUTBOUND,
            author=req.agent_id,
            original_text=req.text,
            language=s.internal_language,
            created_at=workflow.now(),
            delivery=DeliveryState.HELD,
            template=req.template,
            external_message_id=f"req:{req.request_id}" if req.request_id else None,
            machine_text=req.machine_text if req.customer_text is not None else None,
        )
        if req.customer_text is not None:
            steps.apply_approved_text(message, req.customer_text, s.language)
        s.messages.append(message)
        self._dirty_messages.add(message.seq)
        self._event("reply", "Agent replied", actor=req.agent_id, data={"seq": message.seq})
        self._wake = True
        return ActionResult(
            status=s.status, detail="reply queued for translation and sending", seq=message.seq
        )

    @reply.validator
    def validate_reply(self, req: ReplyRequest) -> None:
        self._require_intake()
        self._require_open()
        if not req.text.strip():
            raise invalid("reply text is empty")
        if self.state.assignee is None:
            raise invalid("assign the ticket before replying")

    @workflow.update(name="add_note")
    async def add_note(self, req: NoteRequest) -> ActionResult:
        s = self.state
        message = TicketMessage(
            seq=s.next_seq(),
            direction=Direction.NOTE,
            author=req.author,
            original_text=req.text,
            language=s.internal_language,
            created_at=workflow.now(),
        )
        steps.mark_not_needed(message)
        s.messages.append(message)
        self._dirty_messages.add(message.seq)
        self._event("note", "Internal note added", actor=req.author, data={"seq": message.seq})
        self._wake = True
        return ActionResult(status=s.status, seq=message.seq)

    @add_note.validator
    def validate_add_note(self, req: NoteRequest) -> None:
        self._require_intake()
        if not req.text.strip():
            raise invalid("note text is empty")

    @workflow.update(name="resolve")
    async def resolve(self, req: ResolveRequest) -> ActionResult:
        s = self.state
        now = workflow.now()
        self._enter(
            TicketStatus.CLOSED, "Resolved" + (f": {req.resolution}" if req.resolution else ""), actor=req.by
        )
        s.resolution = req.resolution
        s.resolved_at = now
        s.closed_at = now
        self.clocks.stop_all()
        await collab.close_open_tasks(self, f"ticket {s.ticket_id} was resolved")
        self._wake = True
        return ActionResult(status=s.status, detail="resolved")

    @resolve.validator
    def validate_resolve(self, req: ResolveRequest) -> None:
        self._require_intake()
        self._require_open()
        try:
            check_transition(self.state.status, TicketStatus.CLOSED)
        except IllegalTransition as exc:
            raise invalid(str(exc)) from exc

    @workflow.update(name="reopen")
    async def reopen(self, req: ReopenRequest) -> ActionResult:
        s = self.state
        s.reopen_count += 1
        s.closed_at = None
        s.resolved_at = None
        self._reopen("Reopened" + (f": {req.reason}" if req.reason else ""), actor=req.by)
        self._wake = True
        return ActionResult(status=s.status, detail="reopened")

    @reopen.validator
    def validate_reopen(self, req: ReopenRequest) -> None:
        self._require_intake()
        if self.state.status is not TicketStatus.CLOSED:
            raise invalid(f"only a closed ticket can be reopened (status is {self.state.status})")

    @workflow.update(name="escalate")
    async def escalate(self, req: EscalateRequest) -> ActionResult:
        s = self.state
        s.escalation_level += 1
        if req.raise_priority:
            s.priority = raise_priority(s.priority)
        self._event(
            "escalation",
            "Escalated manually" + (f": {req.reason}" if req.reason else ""),
            actor=req.by,
            data={"level": s.escalation_level, "manual": True},
        )
        self._upsert_search_attributes()
        await steps.notify(
            s.ticket_id, "escalation", ["supervisor"], req.reason or "manual escalation", "critical"
        )
        self._wake = True
        return ActionResult(status=s.status, detail=f"escalation level {s.escalation_level}")

    @escalate.validator
    def validate_escalate(self, req: EscalateRequest) -> None:
        self._require_intake()
        self._require_open()
        if not req.by.strip():
            raise invalid("who escalates is required")

    # ------------------------------------------------------- CSAT (workflows/ticket_csat.py)
    @workflow.update(name=SUBMIT_CSAT_UPDATE)
    async def submit_csat(self, req: CsatSubmission) -> ActionResult:
        answer = csat.accept(self, req)
        return ActionResult(status=self.state.status, detail=f"rated {answer.score}")

    @submit_csat.validator
    def validate_submit_csat(self, req: CsatSubmission) -> None:
        self._require_intake()
        problem = csat.check_submission(self.state, req)
        if problem:
            raise invalid(problem)

    # ------------------------------------------- collaboration (workflows/ticket_collaboration.py)
    @workflow.update(name="request_collaboration")
    async def request_collaboration(self, req: CollaborationRequest) -> CollaborationOpened:
        return await collab.open_task(self, req)

    @request_collaboration.validator
    def validate_request_collaboration(self, req: CollaborationRequest) -> None:
        self._require_intake()
        self._require_open()
        problem = collab.check_request(self.state, req)
        if problem:
            raise invalid(problem)

    @workflow.signal(name="collaboration_event")
    async def collaboration_event(self, ev: CollaborationEvent) -> None:
        await collab.apply_event(self, ev)
