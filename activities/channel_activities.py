"""Sending replies (task queue `tickets`), exactly once per (ticket_id, seq).

The outgoing Message-ID is recorded before anything leaves; a retry finds the row and, if the
earlier attempt completed, reports it instead of sending again.
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from channels.outbound import Mailer, OutgoingEmail, PermanentDeliveryFailure
from domain.channels import SendReplyRequest, SendReplyResult, SendState
from domain.ids import ActivityName
from domain.ticket import Channel
from store.tables import OutboundRow


def ticket_token(ticket_id: str) -> str:
    return f"[#{ticket_id}]"


def outgoing_message_id(ticket_id: str, seq: int, domain: str) -> str:
    return f"<ticket-{ticket_id}.{seq}@{domain}>"


def reply_subject(subject: str, ticket_id: str) -> str:
    """The customer's subject as a reply ("Re: ..." once) with the ticket token replies are matched by."""
    subject = subject if subject.lower().startswith("re:") else f"Re: {subject}".strip()
    return f"{subject} {ticket_token(ticket_id)}"


class ChannelActivities:
    def __init__(
        self, sessions: sessionmaker[Session], mailer: Mailer | None, mail_domain: str = "lingodesk.local"
    ) -> None:
        self.sessions = sessions
        self.mailer = mailer
        self.mail_domain = mail_domain

    @activity.defn(name=ActivityName.SEND_REPLY)
    def send_reply(self, req: SendReplyRequest) -> SendReplyResult:
        message_id = outgoing_message_id(req.ticket_id, req.seq, self.mail_domain)
        uses_mail = req.channel is Channel.EMAIL and self.mailer is not None and bool(req.customer.email)
        with self.sessions.begin() as session:
            row = session.get(OutboundRow, (req.ticket_id, req.seq))
            if row is not None and row.state in ("sent", "recorded"):
                return SendReplyResult(
                    state=SendState(row.state), message_id=row.message_id, already_sent=True
                )
            if row is None:
                session.add(
                    OutboundRow(
                        ticket_id=req.ticket_id,
                        seq=req.seq,
                        channel=str(req.channel),
                        recipient=req.customer.email,
                        message_id=message_id,
                        state="pending",
                        created_at=datetime.now(UTC),
                    )
                )
        if not uses_mail:
            # Web/API tickets: the reply is read on the status page or through the API.
            return self._finish(req, message_id, SendState.RECORDED, "")
        assert self.mailer is not None
        email = OutgoingEmail(
            message_id=message_id,
            to=req.customer.email,
            to_name=req.customer.name,
            subject=reply_subject(req.subject, req.ticket_id),
            text=req.text,
            language=req.language,
            in_reply_to=req.in_reply_to,
            references=req.references,
            ticket_token=ticket_token(req.ticket_id),
        )
        try:
            self.mailer.send(email)
        except PermanentDeliveryFailure as exc:
            self._finish(req, message_id, SendState.FAILED, str(exc))
            raise ApplicationError(str(exc), type="PermanentDeliveryFailure", non_retryable=True) from exc
        return self._finish(req, message_id, SendState.SENT, "")

    def _finish(
        self, req: SendReplyRequest, message_id: str, state: SendState, detail: str
    ) -> SendReplyResult:
        with self.sessions.begin() as session:
            row = session.get(OutboundRow, (req.ticket_id, req.seq))
            if row is not None:
                row.state = str(state)
                row.detail = detail
                row.sent_at = datetime.now(UTC) if state is not SendState.FAILED else None
        return SendReplyResult(state=state, message_id=message_id, detail=detail)
