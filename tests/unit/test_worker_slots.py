"""worker.py gives every worker LINGODESK_ACTIVITY_SLOTS activity slots, more than its threads.

With the SDK's 100 slots, a burst used them all. Tasks then came back from the server instead of
eagerly and waited behind every eager task until the burst ended (docs/scaling.md, "Activity
slots"). The slots outnumber the threads on purpose, so the SDK's warning about that must not
reach the logs or fail the tests.

On the session's dev server: building a worker asks the server about its namespace in the
background, and a per-test server could be gone before that answer came.
"""

import warnings
from concurrent.futures import ThreadPoolExecutor

from temporalio import activity
from temporalio.testing import WorkflowEnvironment

import worker
from runtime.settings import Settings


@activity.defn(name="slots_probe")
def probe() -> None:
    return None


async def test_workers_get_the_configured_slots_without_the_sdk_warning(dev_env: WorkflowEnvironment) -> None:
    settings = Settings.model_validate({"LINGODESK_ACTIVITY_THREADS": 4, "LINGODESK_ACTIVITY_SLOTS": 250})
    with ThreadPoolExecutor(max_workers=settings.activity_threads) as executor, warnings.catch_warnings():
        warnings.simplefilter("error")
        built = worker.activity_worker(dev_env.client, settings, task_queue="slots-configured",
                                       activities=[probe], activity_executor=executor)
    assert built.config()["max_concurrent_activities"] == 250


async def test_an_explicit_slot_count_wins(dev_env: WorkflowEnvironment) -> None:
    with ThreadPoolExecutor(max_workers=16) as executor:
        built = worker.activity_worker(dev_env.client, Settings(), task_queue="slots-explicit",
                                       activities=[probe], activity_executor=executor,
                                       max_concurrent_activities=100)
    assert built.config()["max_concurrent_activities"] == 100


def test_defaults() -> None:
    settings = Settings()
    assert (settings.activity_threads, settings.activity_slots) == (16, 400)
