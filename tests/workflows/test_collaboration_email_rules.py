"""Pure rules of department e-mail: the signed task token and the reply convention (no servers)."""

import pytest

from channels.email.models import ParsedEmail
from channels.email.task_replies import to_update
from channels.email.task_token import (
    InvalidTaskToken,
    TaskTokenSigner,
    mentions_task,
    subject_tag,
    task_message_id,
    tokens_in,
)
from channels.signing import StatusLinkSigner
from domain.collaboration_actions import CompleteTaskRequest, TaskCommentRequest
from domain.ticket import AttachmentMeta

SECRET = b"task-token-secret-for-tests-0123456789"
TASK = "ticket-E1A2B3C4D5E6F70-task-2"


def test_token_round_trip_and_every_alteration_is_refused() -> None:
    signer = TaskTokenSigner(SECRET)
    token = signer.sign(TASK)
    assert signer.verify(token) == TASK
    other_task = signer.sign("ticket-E1A2B3C4D5E6F70-task-3")
    head, mac = token.split(".")
    for bad in (f"{other_task.split('.')[0]}.{mac}",  # a MAC moved to another task
                f"{head}.{'A' * len(mac)}", token[:-1], "not-a-token", f"{head}.",
                TaskTokenSigner(b"x" * 32).sign(TASK)):
        with pytest.raises(InvalidTaskToken):
            signer.verify(bad)
    # A status-page token of the same secret is not a task token (different purpose tag).
    status = StatusLinkSigner(SECRET).sign(TASK)
    with pytest.raises(InvalidTaskToken):
        signer.verify(status.split(".")[0] + "." + status.split(".")[2][:20])
    with pytest.raises(ValueError):
        TaskTokenSigner(b"short")


def test_tokens_are_found_in_our_message_ids_and_the_subject() -> None:
    token = TaskTokenSigner(SECRET).sign(TASK)
    our_id = task_message_id("0a1b2c", token, "lingodesk.test")
    assert tokens_in("Re: hello", [our_id]) == [token]
    assert tokens_in(f"回复：【协作任务】物流部 {subject_tag(token)}", []) == [token]
    assert tokens_in(f"RE: {subject_tag(token)}", [our_id]) == [token]  # once
    assert mentions_task("Re: [TASK:garbage]", [], "lingodesk.test")
    assert mentions_task("Re: hi", ["<task.1.x@lingodesk.test>"], "lingodesk.test")
    assert not mentions_task("Re: hi", ["<task.1.x@customer.example>"], "lingodesk.test")
    assert not mentions_task("Task list for Monday", ["<abc@example.com>"], "lingodesk.test")


def _mail(text: str, subject: str = "回复：任务") -> ParsedEmail:
    return ParsedEmail(message_id="<r1@example.cn>", subject=subject, from_addr="a@b.cn", new_text=text)


@pytest.mark.parametrize(("text", "result"), [
    ("完成\n集装箱已放行", "集装箱已放行"),
    ("已完成：集装箱已放行\n周五到港", "集装箱已放行\n周五到港"),
    ("DONE: released", "released"),
    ("\n  done\n\nreleased today", "released today"),
    ("完成", "完成"),
])
def test_done_on_the_first_line_completes(text: str, result: str) -> None:
    files = [AttachmentMeta(filename="a.pdf", size=3)]
    update = to_update(_mail(text), "wang.lei", files)
    assert isinstance(update, CompleteTaskRequest)
    assert (update.result, update.by, update.request_id, update.attachments) == (
        result, "wang.lei", "<r1@example.cn>", files)


def test_subject_tag_completes_and_anything_else_is_a_comment() -> None:
    tagged = to_update(_mail("集装箱已放行", subject="回复：[完成] 任务"), "x", [])
    assert isinstance(tagged, CompleteTaskRequest) and tagged.result == "集装箱已放行"
    for text in ("完成了吗？明天再确认", "我们明天答复", "Done by Friday? not yet"):
        update = to_update(_mail(text), "x", [])
        assert isinstance(update, TaskCommentRequest) and update.text == text
        assert update.request_id == "<r1@example.cn>"
    only_file = to_update(_mail(""), "x", [AttachmentMeta(filename="photo.jpg")])
    assert isinstance(only_file, TaskCommentRequest) and only_file.text == "（附件）"


async def test_replies_arriving_together_share_one_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import runtime.collaboration
    from channels.email.task_replies import temporal_updater
    from domain.collaboration import CollaborationStatus
    from domain.collaboration_actions import TaskActionResult

    connections: list[object] = []

    async def slow_connect() -> object:
        await asyncio.sleep(0.05)  # a connection takes a while: the second reply arrives meanwhile
        connections.append(object())
        return connections[-1]

    used: list[object] = []

    async def fake_send(client: object, task_id: str, req: object) -> TaskActionResult:
        used.append(client)
        return TaskActionResult(task_id=task_id, status=CollaborationStatus.OPEN)

    monkeypatch.setattr(runtime.collaboration, "send_task_update", fake_send)
    update = temporal_updater(slow_connect)  # type: ignore[arg-type]
    reply = TaskCommentRequest(by="qa@example.com", text="checked")
    results = await asyncio.gather(*(update(TASK, reply) for _ in range(3)))
    assert [r.task_id for r in results] == [TASK] * 3
    assert len(connections) == 1 and used == connections * 3
