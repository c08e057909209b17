"""Timeouts and retry policies per kind of activity.

Store writes retry without limit and back off to a minute, so a database that is down for a
while delays tickets but loses nothing. NLP calls give up after a few tries: the ticket then
proceeds with an explicit untranslated state rather than stalling.
"""

from datetime import timedelta
from typing import Any

from temporalio.common import RetryPolicy

from domain.ids import NLP_TASK_QUEUE

STORE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
                          maximum_interval=timedelta(seconds=60))
NLP_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
                        maximum_interval=timedelta(seconds=30), maximum_attempts=5,
                        non_retryable_error_types=["BadInput"])
SEND_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), backoff_coefficient=2.0,
                         maximum_interval=timedelta(minutes=5), maximum_attempts=10,
                         non_retryable_error_types=["PermanentDeliveryFailure", "BadInput"])


# Store, send and notify activities run on the workflow's own task queue (`tickets`), so a worker
# that runs the workflow always runs them too; only NLP goes to its own queue.


def store_options() -> dict[str, Any]:
    # Short: a killed worker's write is retried after this, and writes take milliseconds.
    return {"start_to_close_timeout": timedelta(seconds=10),
            "retry_policy": STORE_RETRY}


def nlp_options() -> dict[str, Any]:
    return {"task_queue": NLP_TASK_QUEUE, "start_to_close_timeout": timedelta(seconds=60),
            "retry_policy": NLP_RETRY}


def send_options() -> dict[str, Any]:
    return {"start_to_close_timeout": timedelta(minutes=1),
            "retry_policy": SEND_RETRY}


def notify_options() -> dict[str, Any]:
    return {"start_to_close_timeout": timedelta(seconds=30),
            "retry_policy": RetryPolicy(maximum_attempts=5, maximum_interval=timedelta(seconds=30))}
