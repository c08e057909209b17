"""A department's e-mail answer to a collaboration task -> `comment` or `complete_task` on the task.

`EmailIngestor` asks `TaskReplyRouter.match` first for every person-written mail: a mail that
carries a task token (subject tag `[task:…]` or one of our task Message-IDs in In-Reply-To /
References, see `task_token.py`) never becomes a customer ticket. A valid token names the task;
an unknown, forged or altered one is a `TaskReplyMatch` with `task_id=None` and a reason, which
the ingestor records in `rejected_emails` (the raw mail stays on disk).

Convention (documented in docs/collaboration.md and in every task mail):
- the first line of the new text is `完成` / `已完成` / `DONE` (any case, optionally followed by
  `:`/`：` and the result on the same line), or the subject carries `[完成]` / `[DONE]`:
  `complete_task`, the rest of the text is the result;
- anything else: `comment`.
Attachments travel as metadata (content on disk, `AttachmentMeta`). The Message-ID is the
request id, so the same mail delivered twice is one completion / one comment.
"""

import asyncio
import re
from collections.abc import Awaitable, Callable

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from temporalio.client import Client

from channels.email.models import ParsedEmail
from channels.email.task_token import InvalidTaskToken, TaskTokenSigner, mentions_task, tokens_in
from domain.collaboration_actions import CompleteTaskRequest, TaskActionResult, TaskCommentRequest
from domain.ticket import AttachmentMeta
from store.tables import AgentRow, CollaborationTaskRow

DONE_LINE = re.compile(r"^\s*(?:完成|已完成|done)\s*(?:[:：,，.。!！-]\s*(.*))?$", re.IGNORECASE)
DONE_TAG = re.compile(r"\[(?:完成|已完成|done)\]", re.IGNORECASE)
_TASK_ID = re.compile(r"^ticket-(.+)-task-(\d+)$")

TaskReply = CompleteTaskRequest | TaskCommentRequest
TaskUpdater = Callable[[str, TaskReply], Awaitable[TaskActionResult]]


class TaskReplyMatch(BaseModel):
    """A mail that answers a task mail: `task_id` when its token is valid, else why not."""

    task_id: str | None = None
    ticket_id: str | None = None
    reason: str = ""


def to_update(parsed: ParsedEmail, by: str, attachments: list[AttachmentMeta]) -> TaskReply:
    """The convention above: completion or comment, with the mail's Message-ID as request id."""
    text = (parsed.new_text or parsed.text).strip()
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    done = first is not None and DONE_LINE.match(lines[first]) is not None
    if done and first is not None:
        match = DONE_LINE.match(lines[first])
        tail = (match.group(1) or "").strip() if match else ""
        result = "\n".join([tail, *lines[first + 1:]]).strip() or lines[first].strip()
        return CompleteTaskRequest(by=by, result=result, attachments=attachments,
                                   request_id=parsed.message_id)
    if DONE_TAG.search(parsed.subject or ""):
        return CompleteTaskRequest(by=by, result=text or "完成", attachments=attachments,
                                   request_id=parsed.message_id)
    note = text or ("（附件）" if attachments else "")
    return TaskCommentRequest(by=by, text=note, attachments=attachments, request_id=parsed.message_id)


class TaskReplyRouter:
    def __init__(self, signer: TaskTokenSigner | None, updater: TaskUpdater, mail_domain: str) -> None:
        self.signer, self.updater, self.mail_domain = signer, updater, mail_domain

    def match(self, session: Session, parsed: ParsedEmail) -> TaskReplyMatch | None:
        """None: not an answer to a task mail. Otherwise the task, or the reason it is refused."""
        ids = [*parsed.in_reply_to, *parsed.references]
        if not mentions_task(parsed.subject, ids, self.mail_domain):
            return None
        tokens = tokens_in(parsed.subject, ids)
        if not tokens:
            return TaskReplyMatch(reason="task reply without a readable task token")
        if self.signer is None:
            return TaskReplyMatch(reason="task reply, but no signing secret is configured "
                                         "(LINGODESK_STATUS_SECRET) to check its token")
        problems: list[str] = []
        for token in tokens:
            try:
                task_id = self.signer.verify(token)
            except InvalidTaskToken as exc:
                problems.append(str(exc))
                continue
            row = session.get(CollaborationTaskRow, task_id)
            ticket = row.ticket_id if row is not None else None
            parts = _TASK_ID.match(task_id)
            if ticket is None and parts is None:
                problems.append(f"signed task id {task_id!r} is not a task id")
                continue
            return TaskReplyMatch(task_id=task_id, ticket_id=ticket or (parts.group(1) if parts else None))
        return TaskReplyMatch(reason="forged or unknown task token: " + "; ".join(dict.fromkeys(problems)))

    @staticmethod
    def author(session: Session, sender: str) -> str:
        """Who answered: the agent with that address, else the address itself."""
        query = select(AgentRow.agent_id).where(func.lower(AgentRow.email) == sender.lower()).limit(1)
        agent = session.scalar(query)
        return agent or sender

    async def deliver(self, task_id: str, update: TaskReply) -> TaskActionResult:
        """Raises runtime.collaboration.TaskActionRejected when the task refuses (e.g. it is closed)."""
        return await self.updater(task_id, update)


def temporal_updater(connect: Callable[[], Awaitable[Client]]) -> TaskUpdater:
    """Task updates through Temporal, connecting on first use (`lingodesk mail` may start first)."""
    from runtime.collaboration import send_task_update

    client: list[Client] = []
    lock: list[asyncio.Lock] = []  # made on first use, inside the loop that runs the updates

    async def update(task_id: str, req: TaskReply) -> TaskActionResult:
        if not lock:
            lock.append(asyncio.Lock())
        async with lock[0]:  # two replies arriving together must not open two connections
            if not client:
                client.append(await connect())
        return await send_task_update(client[0], task_id, req)

    return update


def build_router(signer: TaskTokenSigner | None, connect: Callable[[], Awaitable[Client]],
                 mail_domain: str) -> TaskReplyRouter:
    return TaskReplyRouter(signer, temporal_updater(connect), mail_domain)
