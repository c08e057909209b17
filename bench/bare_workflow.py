"""The baseline for bench/pipeline_bench.py: a workflow that runs N empty activities in a row.

It mirrors the ticket pipeline's shape (sequential activities, one workflow per ticket) with no
work inside, so the ratio pipeline/bare isolates what Lingodesk adds on top of Temporal itself.
"""

from datetime import datetime, timedelta

from pydantic import BaseModel
from temporalio import activity, workflow

BARE_TASK_QUEUE = "bench-bare"
BARE_WORKFLOW = "BenchBareWorkflow"
NOOP_ACTIVITY = "bench_noop"


class BareInput(BaseModel):
    # Checkpoints: the times after this many activities are returned (pending, assigned).
    checkpoints: list[int]


class BareResult(BaseModel):
    reached: list[datetime]


@activity.defn(name=NOOP_ACTIVITY)
def noop(_: int) -> int:
    # Synchronous like the real store/NLP activities, so it goes through the same thread pool.
    return 0


@workflow.defn(name=BARE_WORKFLOW)
class BareWorkflow:
    @workflow.run
    async def run(self, inp: BareInput) -> BareResult:
        reached: list[datetime] = []
        done = 0
        for checkpoint in sorted(inp.checkpoints):
            while done < checkpoint:
                await workflow.execute_activity(
                    NOOP_ACTIVITY, done, result_type=int, start_to_close_timeout=timedelta(seconds=30)
                )
                done += 1
            reached.append(workflow.now())
        return BareResult(reached=reached)
