"""Where a workflow's NLP activities run when the worker process runs the `nlp` queue too.

`nlp_options()` sends language ID, classification and translation to the `nlp` task queue, so
they can scale out and onto GPU machines. A process that polls both queues (`python worker.py`,
`make run`) gains nothing from the split and pays for it: Temporal dispatches an activity
eagerly, straight back to the worker that scheduled it, only on the workflow's own queue, so each
NLP call goes through matching instead (~50 ms per hop on the dev server; docs/scaling.md).
`LocalNlpDispatch` is a worker interceptor that schedules them on the workflow's own queue there.

Replay-safe: an activity's task queue is not part of the command that replay compares (tests/
replay/test_replay.py replays every committed history with and without it), so tickets carry on
when a deployment moves between one process and separate `nlp` workers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from temporalio import workflow
from temporalio.worker import (
    Interceptor,
    StartActivityInput,
    WorkflowInboundInterceptor,
    WorkflowInterceptorClassInput,
    WorkflowOutboundInterceptor,
)

from domain.ids import NLP_TASK_QUEUE


class LocalNlpDispatch(Interceptor):
    """For the `tickets` worker of a process that registers the NLP activities on that queue too."""

    def workflow_interceptor_class(
        self, input: WorkflowInterceptorClassInput
    ) -> type[WorkflowInboundInterceptor] | None:
        return _Inbound


class _Inbound(WorkflowInboundInterceptor):
    def init(self, outbound: WorkflowOutboundInterceptor) -> None:
        super().init(_Outbound(outbound))


class _Outbound(WorkflowOutboundInterceptor):
    def start_activity(self, input: StartActivityInput) -> workflow.ActivityHandle[Any]:
        if input.task_queue == NLP_TASK_QUEUE:
            input = dataclasses.replace(input, task_queue=None)  # None: the workflow's own queue
        return super().start_activity(input)
