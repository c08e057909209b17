"""E-mail to departments about their collaboration tasks, in the internal language (Chinese).

A notify sink (`channels/notify_sinks.py`): the task workflow's notices (opened, reminders,
escalation, reassigned, deadline changed, cancelled) carry the task id; this sink reads the task
and its department from SQL (the workflow projects the task before it sends notices) and mails
the department's address plus the personal address of every recipient the address book knows.

Each mail carries a signed reply token (`channels/email/task_token.py`) in the subject and the
Message-ID, so the department's answer comes back to the task (`channels/email/task_replies.py`).
Sending is idempotent: the Message-ID (derived from the notification id and the address) is
recorded in `collaboration_mails` before sending and a mail already `sent` is not sent again.
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session, sessionmaker

from channels.email.task_token import TaskTokenSigner, subject_tag, task_message_id, task_signer_from_settings
from channels.notify_sinks import Notification, NotifySink, RetryableNotifyFailure
from channels.outbound import Mailer, OutgoingEmail, PermanentDeliveryFailure
from runtime.settings import Settings
from store.agents import address_book
from store.tables import CollaborationMailRow, CollaborationTaskRow, DepartmentRow
from store.upsert import upsert

log = logging.getLogger("lingodesk.mail.tasks")

# Notice kind -> subject prefix. Comments are not mailed: a department's own e-mail reply
# becomes a comment, and mailing it back would echo every answer.
SUBJECT_PREFIX: dict[str, str] = {
    "collaboration_task": "协作任务",
    "collaboration_reminder": "任务提醒",
    "collaboration_escalation": "任务升级",
    "collaboration_deadline_changed": "截止时间变更",
    "collaboration_cancelled": "任务已取消",
}

HOW_TO_REPLY = (
    "如何答复：直接回复本邮件，请保留主题中的 [task:…] 标记。\n"
    "- 正文第一行写“完成”或“DONE”（也可写“完成：结果”）：任务完成，其余内容作为结果发回工单；\n"
    "  或在主题中加 [完成] / [DONE]。\n"
    "- 其他回复：作为评论加入任务。\n"
    "附件会作为附件信息一并记录。"
)


def local_time(at: datetime, timezone: str) -> str:
    """The deadline as the department reads it (its own time zone)."""
    try:
        return f"{at.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}（{timezone}）"
    except (ZoneInfoNotFoundError, ValueError):
        return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _deadline_of(task: CollaborationTaskRow) -> datetime:
    return task.deadline if task.deadline.tzinfo else task.deadline.replace(tzinfo=UTC)


def headline(kind: str, task: CollaborationTaskRow, due: str) -> str:
    """The first line of the mail: what happened, in the internal language."""
    if kind == "collaboration_reminder":
        if task.overdue:
            return f"任务已逾期（第 {task.misses} 次提醒），原截止时间：{due}。请尽快答复。"
        return f"任务即将到期，截止时间：{due}。"
    if kind == "collaboration_escalation":
        return f"任务已逾期 {task.misses} 次，现升级至部门经理。截止时间：{due}。"
    if kind == "collaboration_deadline_changed":
        return f"截止时间已变更为：{due}。"
    if kind == "collaboration_cancelled":
        reason = f"（{task.close_reason}）" if task.close_reason else ""
        return f"任务已取消{reason}，无需再答复。"
    return f"请在截止时间前答复：{due}。"


def compose(kind: str, task: CollaborationTaskRow, dept: DepartmentRow | None, token: str) -> tuple[str, str]:
    """(subject, text) of one task mail."""
    dept_name = (dept.name_zh or dept.name) if dept else (task.department_name or task.department)
    due = local_time(_deadline_of(task), dept.timezone if dept else "Asia/Shanghai")
    question = " ".join(task.question.split())
    subject = (f"【{SUBJECT_PREFIX.get(kind, '协作任务')}】{dept_name}：{question[:60]}"
               f"（工单 {task.ticket_id}） {subject_tag(token)}")
    lines = [
        f"{task.assignee}，您好：",
        "",
        headline(kind, task, due),
        "",
        f"工单：{task.ticket_id}    任务：#{task.task_no}（{task.task_id}）",
        f"部门：{dept_name}    负责人：{task.assignee}    发起人：{task.requested_by or '-'}",
        f"截止时间：{due}",
        "",
        "问题：",
        task.question.strip(),
    ]
    if task.context.strip():
        lines += ["", "工单背景：", task.context.strip()]
    if kind != "collaboration_cancelled":
        lines += ["", HOW_TO_REPLY]
    return subject, "\n".join(lines) + "\n"


class TaskMailSink:
    """Mails collaboration-task notices to the department (see module docstring)."""

    name = "task_mail"

    def __init__(
        self,
        sessions: sessionmaker[Session],
        mailer: Mailer,
        signer: TaskTokenSigner,
        addresses: Callable[[list[str]], dict[str, str]],
        mail_domain: str = "lingodesk.local",
    ) -> None:
        self.sessions, self.mailer, self.signer = sessions, mailer, signer
        self.addresses, self.mail_domain = addresses, mail_domain

    def deliver(self, notification: Notification) -> None:
        if not notification.task_id or notification.kind not in SUBJECT_PREFIX:
            return
        with self.sessions.begin() as session:
            task = session.get(CollaborationTaskRow, notification.task_id)
            if task is None:  # projected before the notice; missing means the write is still to come
                raise RetryableNotifyFailure(f"task {notification.task_id} not projected yet")
            dept = session.get(DepartmentRow, task.department)
            session.expunge_all()
        to = {**({dept.email: dept.name_zh or dept.name} if dept is not None and dept.email else {}),
              **{address: person for person, address in self.addresses(notification.recipients).items()}}
        if not to:
            log.warning("task %s: no e-mail address for department %s or %s; notice stays in the console",
                        task.task_id, task.department, ",".join(notification.recipients))
            return
        token = self.signer.sign(task.task_id)
        subject, text = compose(notification.kind, task, dept, token)
        for address, name in sorted(to.items()):
            seq = hashlib.sha256(f"{notification.notification_id}|{address}".encode()).hexdigest()[:16]
            email = OutgoingEmail(
                message_id=task_message_id(seq, token, self.mail_domain), to=address, to_name=name,
                subject=subject, text=text, language="zh", ticket_token=subject_tag(token))
            self._send_once(email, task, notification)

    def _send_once(self, email: OutgoingEmail, task: CollaborationTaskRow, notification: Notification
                   ) -> None:
        with self.sessions.begin() as session:
            row = session.get(CollaborationMailRow, email.message_id)
            if row is not None and row.state != "sending":
                return  # sent (or refused for good) by an earlier attempt of this notification
            if row is None:
                upsert(session, CollaborationMailRow.__table__,  # type: ignore[arg-type]
                       [{"message_id": email.message_id, "task_id": task.task_id, "ticket_id": task.ticket_id,
                         "notification_id": notification.notification_id, "kind": notification.kind,
                         "recipients": [email.to], "state": "sending", "detail": "",
                         "created_at": datetime.now(UTC), "sent_at": None}],
                       ["message_id"], do_nothing=True)
        try:
            self.mailer.send(email)
        except PermanentDeliveryFailure as exc:
            log.error("task mail %s to %s refused: %s", task.task_id, email.to, exc)
            self._mark(email.message_id, "failed", str(exc)[:2000])
            return
        except Exception as exc:  # transient SMTP trouble: the notify activity retries (same Message-ID)
            raise RetryableNotifyFailure(f"task mail to {email.to} failed: {exc}") from exc
        self._mark(email.message_id, "sent", "")
        log.info("task mail %s kind=%s to=%s message_id=%s", task.task_id, notification.kind, email.to,
                 email.message_id)

    def _mark(self, message_id: str, state: str, detail: str) -> None:
        with self.sessions.begin() as session:
            row = session.get(CollaborationMailRow, message_id)
            if row is not None:
                row.state, row.detail = state, detail
                row.sent_at = datetime.now(UTC) if state == "sent" else None


def sent_mails(session: Session, task_id: str) -> list[CollaborationMailRow]:
    """The mails sent about one task, oldest first (console, tests)."""
    return list(session.query(CollaborationMailRow).filter_by(task_id=task_id)
                .order_by(CollaborationMailRow.created_at, CollaborationMailRow.message_id))


def task_mail_sinks(sessions: sessionmaker[Session], settings: Settings,
                    mailer: Mailer | None) -> list[NotifySink]:
    """The worker's department-mail sink: on when SMTP (LINGODESK_SMTP_HOST, `mailer`) and a signing
    secret (LINGODESK_STATUS_SECRET) are set; without a secret no reply could be checked, so none is sent."""
    if mailer is None:
        return []
    signer = task_signer_from_settings(settings)
    if signer is None:
        log.warning("department task mail is off: set LINGODESK_STATUS_SECRET to sign reply tokens")
        return []
    return [TaskMailSink(sessions, mailer, signer, address_book(sessions), settings.mail_domain)]
