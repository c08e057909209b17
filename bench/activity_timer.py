"""A worker interceptor that measures each synchronous activity's thread CPU and wall time.

bench/pipeline_bench.py uses it to say where a ticket's worker CPU goes (NLP, store writes, the
rest is workflow tasks and the SDK). It wraps the activity function, so the time is measured in
the executor thread and leaves out the wait for a free thread.
"""

import dataclasses
import inspect
import threading
import time
from collections import defaultdict
from typing import Any

from pydantic import BaseModel
from temporalio import activity
from temporalio.worker import (
    ActivityInboundInterceptor,
    ExecuteActivityInput,
    Interceptor,
)


class ActivityCost(BaseModel):
    calls: int
    cpu_ms_mean: float
    wall_ms_mean: float
    cpu_ms_total: float


class ActivityTimer(Interceptor):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, int] = defaultdict(int)
        self._cpu: dict[str, float] = defaultdict(float)
        self._wall: dict[str, float] = defaultdict(float)

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Timed(next, self)

    def record(self, name: str, cpu_s: float, wall_s: float) -> None:
        with self._lock:
            self._calls[name] += 1
            self._cpu[name] += cpu_s
            self._wall[name] += wall_s

    def reset(self) -> None:
        with self._lock:
            self._calls.clear()
            self._cpu.clear()
            self._wall.clear()

    def report(self) -> dict[str, ActivityCost]:
        with self._lock:
            return {
                name: ActivityCost(calls=n, cpu_ms_mean=round(self._cpu[name] * 1000 / n, 2),
                                   wall_ms_mean=round(self._wall[name] * 1000 / n, 2),
                                   cpu_ms_total=round(self._cpu[name] * 1000, 1))
                for name, n in sorted(self._calls.items())
            }


class _Timed(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, timer: ActivityTimer) -> None:
        super().__init__(next)
        self._timer = timer

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        fn = input.fn
        if inspect.iscoroutinefunction(fn):
            return await super().execute_activity(input)
        defn = activity._Definition.from_callable(fn)
        label = defn.name if defn and defn.name else getattr(fn, "__name__", "activity")
        timer = self._timer

        def timed(*args: Any) -> Any:
            cpu, wall = time.thread_time(), time.perf_counter()
            try:
                return fn(*args)
            finally:
                timer.record(label, time.thread_time() - cpu, time.perf_counter() - wall)

        return await super().execute_activity(dataclasses.replace(input, fn=timed))
