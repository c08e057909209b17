"""One inbound mail -> a new ticket, a `customer_message` on its ticket, or a recorded reason why not.

Order of work, each step safe to repeat:
1. the raw bytes go to disk first (content-addressed), so nothing is ever lost;
2. oversized or unparseable mail is recorded in `rejected_emails` and stops there;
3. bounces and auto-replies are recorded as ignored (a bounce alerts the ticket's agent);
4. the Message-ID row in `inbound_emails` is claimed with the ticket it belongs to — found by
   threading headers or the subject token, or derived from the Message-ID for a new thread;
5. the ticket is started or signalled (both idempotent), then the row is marked delivered.
A crash or an unreachable Temporal between 4 and 5 leaves the row `pending`; the mailbox
delivers the mail again later (IMAP: not marked handled; SMTP: 451), and step 4 reuses the row.
"""

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session, sessionmaker

from channels.email.attachments import MailStore
from channels.email.models import MailKind, MalformedEmail, ParsedEmail
from channels.email.parse import parse_email
from channels.email.task_replies import TaskReplyRouter, to_update
from channels.email.threading import (
    clean_subject,
    thread_candidates,
    ticket_from_our_message_id,
    ticket_id_for_new_thread,
    ticket_ids_in_subject,
)
from channels.gateway import TicketGateway, TicketNotRunning
from domain.actions import CustomerMessage
from domain.collaboration_actions import CompleteTaskRequest
from domain.ids import DEFAULT_INTERNAL_LANGUAGE
from domain.ticket import AttachmentMeta, Channel, Customer, TicketInput
from runtime.collaboration import TaskActionRejected
from store import email_threads as threads

log = logging.getLogger("lingodesk.mail.ingest")


class IngestAction(StrEnum):
    NEW_TICKET = "new_ticket"
    FOLLOW_UP = "follow_up"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"  # bounce or auto-reply
    REJECTED = "rejected"  # oversized or malformed; raw kept on disk
    TASK_REPLY = "task_reply"  # a department's answer to a collaboration task mail


class IngestOutcome(BaseModel):
    action: IngestAction
    ticket_id: str | None = None
    message_id: str | None = None
    reason: str = ""


class IngestConfig(BaseModel):
    mail_domain: str = "lingodesk.local"
    max_message_bytes: int = 25 * 1024 * 1024
    max_attachment_bytes: int = 20 * 1024 * 1024
    # A ticket's text must fit a Temporal payload (runtime/tickets.py MAX_TICKET_INPUT_BYTES, 1 MiB):
    # a longer body is cut here, and the whole e-mail stays available as the stored original.
    max_body_bytes: int = 256 * 1024
    internal_language: str = DEFAULT_INTERNAL_LANGUAGE
    # New-thread ticket ids are <prefix><hash of the Message-ID>; one prefix per installation.
    ticket_id_prefix: str = Field("E", pattern=r"^[A-Za-z][A-Za-z0-9-]{0,15}$")


class TransientIngestError(Exception):
    """The mail is safe on disk but its ticket could not be reached now; deliver it again later."""


@dataclass
class _Plan:
    parsed: ParsedEmail
    mailbox: str
    ticket_id: str
    action: IngestAction
    received_at: datetime
    attachments: list[AttachmentMeta] = field(default_factory=list)
    follow_up_of: str | None = None
    task_id: str | None = None  # TASK_REPLY: the task the signed token names
    author: str = ""  # TASK_REPLY: who answered
    raw: tuple[str, str, int] = ("", "", 0)  # sha256, path, size: a refused task reply is recorded


class EmailIngestor:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        gateway: TicketGateway,
        store: MailStore,
        config: IngestConfig,
        task_replies: TaskReplyRouter | None = None,
    ) -> None:
        self.sessions = sessions
        self.gateway = gateway
        self.store = store
        self.config = config
        # Departments' answers to collaboration task mails (channels/email/task_replies.py).
        self.task_replies = task_replies

    async def ingest(self, raw: bytes, mailbox: str = "") -> IngestOutcome:
        prepared = await asyncio.to_thread(self._prepare, raw, mailbox)
        if isinstance(prepared, IngestOutcome):
            self._log(mailbox, prepared, len(raw))
            return prepared
        try:
            outcome = await self._deliver(prepared)
        except Exception as exc:
            log.warning(
                "mailbox=%s message_id=%s ticket=%s not delivered yet: %s",
                mailbox,
                prepared.parsed.message_id,
                prepared.ticket_id,
                type(exc).__name__,
            )
            raise TransientIngestError(
                f"ticket {prepared.ticket_id} unreachable: {type(exc).__name__}"
            ) from exc
        await asyncio.to_thread(self._finish, prepared, outcome)
        self._log(mailbox, outcome, len(raw))
        return outcome

    # ------------------------------------------------------------------ prepare
    def _prepare(self, raw: bytes, mailbox: str) -> "_Plan | IngestOutcome":
        digest, path = self.store.save_raw(raw)
        if len(raw) > self.config.max_message_bytes:
            reason = f"message too large: {len(raw)} bytes (limit {self.config.max_message_bytes})"
            return self._reject(digest, str(path), mailbox, None, reason, len(raw))
        try:
            parsed = parse_email(raw)
        except MalformedEmail as exc:
            return self._reject(digest, str(path), mailbox, None, f"malformed: {exc}", len(raw))
        except Exception as exc:  # the parser is lenient; anything else is a defect worth keeping
            return self._reject(
                digest, str(path), mailbox, None, f"unparseable: {type(exc).__name__}", len(raw)
            )
        truncate_body(parsed, self.config.max_body_bytes)
        now = datetime.now(UTC)
        base = {
            "message_id": parsed.message_id,
            "mailbox": mailbox,
            "kind": str(parsed.kind),
            "sender": parsed.from_addr[:320],
            "raw_sha256": digest,
            "raw_path": str(path),
            "size": len(raw),
            "received_at": now,
            "processed_at": None,
        }
        with self.sessions.begin() as session:
            existing = threads.find_inbound(session, parsed.message_id)
            if existing is not None and existing.state != "pending":
                return IngestOutcome(
                    action=IngestAction.DUPLICATE,
                    ticket_id=existing.ticket_id,
                    message_id=parsed.message_id,
                    reason=f"already {existing.state}",
                )
            if parsed.kind is not MailKind.MESSAGE:
                return self._ignore(session, parsed, base)
            task = self.task_replies.match(session, parsed) if self.task_replies else None
            if task is not None and task.task_id is None:
                # Forged or unknown token: recorded with the reason, never a customer ticket.
                threads.record_rejected(session, digest, mailbox, parsed.message_id, task.reason, str(path),
                                        len(raw))
                return IngestOutcome(action=IngestAction.REJECTED, message_id=parsed.message_id,
                                     reason=task.reason)
            if task is not None and existing is None:
                existing = threads.claim_inbound(session, {
                    **base, "state": "pending", "ticket_id": task.ticket_id,
                    "action": str(IngestAction.TASK_REPLY), "detail": f"task {task.task_id}"})
            if existing is not None:  # an earlier attempt claimed it and then failed to deliver
                ticket_id, action, received_at = (
                    existing.ticket_id,
                    IngestAction(existing.action),
                    existing.received_at,
                )
            else:
                parent = self._thread_parent(session, parsed)
                row = threads.claim_inbound(
                    session,
                    {
                        **base,
                        "state": "pending",
                        "ticket_id": parent or self._new_id(parsed.message_id),
                        "action": str(IngestAction.FOLLOW_UP if parent else IngestAction.NEW_TICKET),
                        "detail": "",
                    },
                )
                ticket_id, action, received_at = row.ticket_id, IngestAction(row.action), row.received_at
        assert ticket_id is not None
        metas, notes = self.store.attachment_metas(parsed.attachments, self.config.max_attachment_bytes)
        parsed.defects += notes
        return _Plan(
            parsed=parsed,
            mailbox=mailbox,
            ticket_id=ticket_id,
            action=action,
            received_at=received_at if received_at.tzinfo else received_at.replace(tzinfo=UTC),
            attachments=metas,
            task_id=task.task_id if task is not None else None,
            author=TaskReplyRouter.author(session, parsed.from_addr) if task is not None else "",
            raw=(digest, str(path), len(raw)),
        )

    def _new_id(self, message_id: str) -> str:
        return ticket_id_for_new_thread(message_id, self.config.ticket_id_prefix)

    def _thread_parent(self, session: Session, parsed: ParsedEmail) -> str | None:
        candidates = thread_candidates(parsed.in_reply_to, parsed.references)
        for message_id in candidates:
            # Our own outgoing ids name their ticket; trusted only for tickets we know of.
            ours = ticket_from_our_message_id(message_id, self.config.mail_domain)
            if ours and threads.ticket_known(session, ours):
                return ours
        found = threads.ticket_for_message_ids(session, candidates)
        if found:
            return found
        # Fallback: the token we put in every subject, for clients that drop References.
        return next(
            (t for t in ticket_ids_in_subject(parsed.subject) if threads.ticket_known(session, t)), None
        )

    def _reject(
        self, digest: str, path: str, mailbox: str, message_id: str | None, reason: str, size: int
    ) -> IngestOutcome:
        with self.sessions.begin() as session:
            threads.record_rejected(session, digest, mailbox, message_id, reason, path, size)
        return IngestOutcome(action=IngestAction.REJECTED, message_id=message_id, reason=reason)

    def _ignore(self, session: Session, parsed: ParsedEmail, base: dict[str, object]) -> IngestOutcome:
        detail = parsed.kind_reason
        ticket_id: str | None = None
        if parsed.bounce is not None:
            b = parsed.bounce
            detail = f"{detail}; {b.action} {b.status} {b.recipient}: {b.diagnostic}".strip()[:2000]
            original = b.original_message_id
            if original:
                ticket_id = ticket_from_our_message_id(
                    original, self.config.mail_domain
                ) or threads.ticket_for_message_ids(session, [original])
            if ticket_id and b.action != "delayed":
                threads.alert_bounce(
                    session,
                    parsed.message_id,
                    ticket_id,
                    f"Reply to {b.recipient or 'the customer'} bounced: {b.status} {b.diagnostic}"[:500],
                )
        threads.claim_inbound(
            session,
            {
                **base,
                "state": "ignored",
                "action": "ignored",
                "ticket_id": ticket_id,
                "detail": detail,
                "processed_at": datetime.now(UTC),
            },
        )
        return IngestOutcome(
            action=IngestAction.IGNORED,
            ticket_id=ticket_id,
            message_id=parsed.message_id,
            reason=f"{parsed.kind}: {parsed.kind_reason}",
        )

    # ------------------------------------------------------------------ deliver
    async def _deliver(self, plan: _Plan) -> IngestOutcome:
        p = plan.parsed
        if plan.action is IngestAction.TASK_REPLY and plan.task_id and self.task_replies is not None:
            return await self._deliver_task_reply(plan)
        if plan.action is IngestAction.FOLLOW_UP:
            message = CustomerMessage(
                text=p.new_text,
                subject=p.subject or None,
                message_id=p.message_id,
                received_at=plan.received_at,
                attachments=plan.attachments,
            )
            try:
                await self.gateway.add_message(plan.ticket_id, message)
                return IngestOutcome(
                    action=IngestAction.FOLLOW_UP, ticket_id=plan.ticket_id, message_id=p.message_id
                )
            except TicketNotRunning:
                # The old ticket's workflow has ended: the follow-up opens a new ticket that points back.
                plan.follow_up_of = plan.ticket_id
                plan.ticket_id = self._new_id(p.message_id)
        external = {
            "email_message_id": p.message_id,
            "mailbox": plan.mailbox,
            "content_language": p.content_language or "",
            "follow_up_of": plan.follow_up_of or "",
        }
        ticket = TicketInput(
            ticket_id=plan.ticket_id,
            channel=Channel.EMAIL,
            customer=Customer(email=p.customer_address, name=p.from_name),
            subject=clean_subject(p.subject),
            body=p.new_text,
            received_at=plan.received_at,
            attachments=plan.attachments,
            external_ids={k: v for k, v in external.items() if v},
            message_id=p.message_id,
            internal_language=self.config.internal_language,
        )
        await self.gateway.start(ticket)
        return IngestOutcome(
            action=IngestAction.NEW_TICKET,
            ticket_id=plan.ticket_id,
            message_id=p.message_id,
            reason=f"follow-up of closed ticket {plan.follow_up_of}" if plan.follow_up_of else "",
        )

    async def _deliver_task_reply(self, plan: _Plan) -> IngestOutcome:
        assert plan.task_id is not None and self.task_replies is not None
        update = to_update(plan.parsed, plan.author or plan.parsed.from_addr, plan.attachments)
        base = IngestOutcome(action=IngestAction.TASK_REPLY, ticket_id=plan.ticket_id,
                             message_id=plan.parsed.message_id)
        try:
            result = await self.task_replies.deliver(plan.task_id, update)
        except TaskActionRejected as exc:  # the task refused (closed, ended): recorded, the mail kept
            return base.model_copy(update={"action": IngestAction.REJECTED, "reason": str(exc)})
        kind = "complete_task" if isinstance(update, CompleteTaskRequest) else "comment"
        return base.model_copy(update={"reason": f"{kind} on {plan.task_id}: {result.detail}"})

    def _finish(self, plan: _Plan, outcome: IngestOutcome) -> None:
        detail = "; ".join(plan.parsed.defects)[:2000]
        if plan.action is IngestAction.TASK_REPLY:
            detail = "; ".join(d for d in (outcome.reason, detail) if d)[:2000]
        if outcome.action is IngestAction.REJECTED:  # a task reply the task refused
            digest, path, size = plan.raw
            with self.sessions.begin() as session:
                threads.record_rejected(session, digest, plan.mailbox, plan.parsed.message_id,
                                        f"task {plan.task_id}: {outcome.reason}", path, size)
                threads.finish_inbound(session, plan.parsed.message_id, "rejected", outcome.ticket_id,
                                       str(IngestAction.TASK_REPLY), detail)
            return
        with self.sessions.begin() as session:
            threads.finish_inbound(
                session, plan.parsed.message_id, "delivered", outcome.ticket_id, str(outcome.action), detail
            )

    @staticmethod
    def _log(mailbox: str, outcome: IngestOutcome, size: int) -> None:
        # Never the subject or body: only ids, sizes and reasons we wrote ourselves.
        log.info(
            "mailbox=%s message_id=%s action=%s ticket=%s size=%d %s",
            mailbox,
            outcome.message_id,
            outcome.action,
            outcome.ticket_id,
            size,
            outcome.reason,
        )


def truncate_body(parsed: ParsedEmail, max_bytes: int) -> None:
    """Cuts an oversized new text at a character boundary, says so in the text and the defects."""
    size = len(parsed.new_text.encode("utf-8"))
    if size <= max_bytes:
        return
    kept = parsed.new_text.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")
    parsed.new_text = (
        f"{kept}\n\n[... message truncated: {size} bytes, limit {max_bytes}; "
        "the complete original e-mail is kept with the ticket]"
    )
    parsed.defects.append(f"body truncated from {size} to {max_bytes} bytes")
