"""Same-named stand-ins for the activities, for workflow tests on the time-skipping server.

They record every call so tests can assert on what the workflow asked for.
"""

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import activity
from temporalio.client import Client
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from domain.channels import SendReplyRequest, SendReplyResult, SendState
from domain.collaboration_actions import (
    PlanCollaborationRequest,
    PlanCollaborationResult,
    RecordCollaborationTaskRequest,
)
from domain.csat import (
    CsatActivity,
    CsatSurveyRequest,
    CsatSurveyResult,
    RecordCsatRequest,
    RecordCsatResult,
)
from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE, ActivityName
from domain.nlp import (
    Classification,
    ClassifyRequest,
    DetectLanguageRequest,
    LanguageDetection,
    RequestDomain,
    TranslateRequest,
    TranslationResult,
    TranslationState,
)
from domain.store_io import NotifyRequest, RecordTicketRequest
from tests.helpers.routing_fakes import RoutingFake
from workflows.ticket import TicketWorkflow


@dataclass
class FakeBackend:
    language: str = "de"
    confidence: float = 0.97
    domain: RequestDomain = RequestDomain.TECHNICAL_SUPPORT
    domain_confidence: float = 0.9
    translatable: set[tuple[str, str]] = field(
        default_factory=lambda: {
            ("de", "zh"),
            ("zh", "de"),
            ("th", "zh"),
            ("zh", "th"),
            ("en", "zh"),
            ("zh", "en"),
        }
    )
    projections: list[RecordTicketRequest] = field(default_factory=list)
    notifications: list[NotifyRequest] = field(default_factory=list)
    sent: list[SendReplyRequest] = field(default_factory=list)
    translations: list[TranslateRequest] = field(default_factory=list)
    fail_send: bool = False
    # Collaboration (issue #7): department -> (head, manager, name); task projections as written.
    departments: dict[str, tuple[str, str, str]] = field(
        default_factory=lambda: {
            "logistics": ("chen.jie", "li.wei", "物流部"),
            "engineering": ("zhao.gang", "li.wei", "技术部"),
            "warehouse": ("sun.li", "li.wei", "仓库"),
            "finance": ("zhou.yan", "li.wei", "财务部"),
        }
    )
    task_projections: list[RecordCollaborationTaskRequest] = field(default_factory=list)
    # CSAT (issue #10): surveys the workflow asked for, answers it recorded.
    surveys: list[CsatSurveyRequest] = field(default_factory=list)
    csat_records: list[RecordCsatRequest] = field(default_factory=list)
    # Routing and SLA (issue #6): agents, teams, store policy; by default nobody, wall-clock time.
    routing: RoutingFake = field(default_factory=RoutingFake)

    def activities(self) -> tuple[list[Callable[..., Any]], list[Callable[..., Any]]]:
        backend = self

        @activity.defn(name=ActivityName.RECORD_TICKET)
        async def record_ticket(req: RecordTicketRequest) -> None:
            backend.projections.append(req)

        @activity.defn(name=ActivityName.NOTIFY)
        async def notify(req: NotifyRequest) -> None:
            backend.notifications.append(req)

        @activity.defn(name=ActivityName.SEND_REPLY)
        async def send_reply(req: SendReplyRequest) -> SendReplyResult:
            if backend.fail_send:
                return SendReplyResult(state=SendState.FAILED, detail="550 mailbox unavailable")
            backend.sent.append(req)
            return SendReplyResult(state=SendState.SENT, message_id=f"<{req.ticket_id}.{req.seq}@test>")

        @activity.defn(name=ActivityName.DETECT_LANGUAGE)
        async def detect_language(req: DetectLanguageRequest) -> LanguageDetection:
            return LanguageDetection(
                language=backend.language,
                confidence=backend.confidence,
                reliable=backend.confidence >= 0.5,
                method="fake",
            )

        @activity.defn(name=ActivityName.CLASSIFY_REQUEST)
        async def classify_request(req: ClassifyRequest) -> Classification:
            return Classification(
                domain=backend.domain,
                confidence=backend.domain_confidence,
                reliable=backend.domain_confidence >= 0.5,
                layer="fake",
            )

        @activity.defn(name=ActivityName.TRANSLATE_TEXT)
        async def translate_text(req: TranslateRequest) -> TranslationResult:
            backend.translations.append(req)
            if (req.source, req.target) not in backend.translatable:
                return TranslationResult(
                    state=TranslationState.UNAVAILABLE,
                    source=req.source,
                    target=req.target,
                    detail=f"no translation model for {req.source}->{req.target}",
                )
            return TranslationResult(
                state=TranslationState.TRANSLATED,
                text=f"[{req.target}] {req.text}",
                source=req.source,
                target=req.target,
                engine="fake",
                model_id="fake-1",
            )

        @activity.defn(name=ActivityName.PLAN_COLLABORATION)
        async def plan_collaboration(req: PlanCollaborationRequest) -> PlanCollaborationResult:
            if req.department not in backend.departments:
                raise ApplicationError(
                    f"unknown department {req.department!r}", type="UnknownDepartment", non_retryable=True
                )
            head, manager, name = backend.departments[req.department]
            deadline = req.requested_at + timedelta(seconds=req.deadline_s)  # wall clock: no calendar
            return PlanCollaborationResult(
                department=req.department,
                department_name=name,
                department_name_zh=name,
                assignee=req.assignee or head,
                head=head,
                manager=manager,
                deadline=deadline,
                customer_deadline_text=f"{deadline:%Y-%m-%d %H:%M} UTC",
            )

        @activity.defn(name=ActivityName.RECORD_COLLABORATION_TASK)
        async def record_collaboration_task(req: RecordCollaborationTaskRequest) -> None:
            backend.task_projections.append(req)

        @activity.defn(name=CsatActivity.SEND_SURVEY)
        async def send_csat_survey(req: CsatSurveyRequest) -> CsatSurveyResult:
            backend.surveys.append(req)
            return CsatSurveyResult(state="sent", language=req.language)

        @activity.defn(name=CsatActivity.RECORD)
        async def record_csat(req: RecordCsatRequest) -> RecordCsatResult:
            backend.csat_records.append(req)
            low = req.score <= 2
            return RecordCsatResult(low_score=low, recipients=["supervisor"] if low else [])

        tickets: list[Callable[..., Any]] = [
            send_csat_survey,
            record_csat,
            record_ticket,
            notify,
            send_reply,
            plan_collaboration,
            record_collaboration_task,
            *backend.routing.activities(),
        ]
        nlp: list[Callable[..., Any]] = [detect_language, classify_request, translate_text]
        return tickets, nlp

    def last_state(self) -> RecordTicketRequest:
        return self.projections[-1]


@asynccontextmanager
async def fake_workers(
    client: Client, backend: FakeBackend, workflows: list[type] | None = None
) -> AsyncIterator[str]:
    """Run the workflows on a unique tickets queue plus a fake NLP worker; yields the queue name."""
    tickets, nlp = backend.activities()
    suffix = uuid.uuid4().hex[:8]
    ticket_queue = f"{TICKETS_TASK_QUEUE}-{suffix}"
    async with (
        Worker(client, task_queue=ticket_queue, workflows=workflows or [TicketWorkflow], activities=tickets),
        Worker(client, task_queue=NLP_TASK_QUEUE, activities=nlp),
    ):
        yield ticket_queue
