"""Merges concurrent translation calls into shared CTranslate2 batches.

Activities run in a thread pool; each ticket's sentences arrive as a separate call. Decoding a
batch of 16 costs far less than 16 single decodes, so callers park here for a few milliseconds
while others join, then one worker thread runs the batch and hands each caller its slice.
"""

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass, field

RunBatch = Callable[[Hashable, list[str]], list[str]]


@dataclass
class _Job:
    key: Hashable  # calls batch together only with the same key (same language pair / prefix)
    items: list[str]
    future: "Future[list[str]]" = field(default_factory=Future)
    enqueued: float = field(default_factory=time.monotonic)


class MicroBatcher:
    def __init__(self, run: RunBatch, *, max_batch: int = 32, window_s: float = 0.005, workers: int = 1,
                 name: str = "ct2", gap_s: float | None = None) -> None:
        self._run = run
        self._max_batch = max(1, max_batch)
        self._window_s = window_s  # the longest the first caller of a batch waits for others
        # With `gap_s`, a batch also closes once no caller has joined for that long. Callers of
        # one burst arrive a fraction of a millisecond apart (their pre-processing holds the
        # GIL), so a fixed short window cut bursts of 32 into halves; waiting while they keep
        # coming collects the burst, and a lone caller waits only `gap_s`.
        self._gap_s = gap_s
        self._pending: deque[_Job] = deque()
        self._cond = threading.Condition()
        # One worker per CTranslate2 inter-op thread: that many batches can decode in parallel.
        self._threads = [threading.Thread(target=self._loop, name=f"{name}-batcher-{i}", daemon=True)
                         for i in range(max(1, workers))]
        self._started = False

    def submit(self, key: Hashable, items: list[str]) -> list[str]:
        """Blocks until `items` are processed; re-raises the batch's exception in every caller."""
        if not items:
            return []
        job = _Job(key=key, items=list(items))
        with self._cond:
            if not self._started:
                for thread in self._threads:
                    thread.start()
                self._started = True
            self._pending.append(job)
            self._cond.notify_all()
        return job.future.result()

    def workers_alive(self) -> int:
        """Batcher threads still serving (a dead one would leave its share of callers waiting)."""
        return sum(1 for t in self._threads if t.is_alive())

    def _take_batch(self) -> list[_Job]:
        with self._cond:
            while True:
                while not self._pending:
                    self._cond.wait()
                first = self._pending[0]
                if self._collect(first):
                    break
                # Another worker took `first` (and its batch) while this one waited: start over.
            batch: list[_Job] = []
            size = 0
            for job in list(self._pending):
                if job.key != first.key:
                    continue
                if batch and size + len(job.items) > self._max_batch:
                    break
                batch.append(job)
                size += len(job.items)
                self._pending.remove(job)
            return batch

    def _collect(self, first: _Job) -> bool:
        """Waits (lock held, released while waiting) until `first`'s batch should go; False when
        `first` left the queue meanwhile."""
        deadline = first.enqueued + self._window_s
        while True:
            if not any(j is first for j in self._pending):
                return False
            same = [j for j in self._pending if j.key == first.key]
            if sum(len(j.items) for j in same) >= self._max_batch:
                return True
            until = deadline
            if self._gap_s is not None:
                until = min(until, same[-1].enqueued + self._gap_s)
            remaining = until - time.monotonic()
            if remaining <= 0:
                return True
            self._cond.wait(remaining)

    def _loop(self) -> None:
        while True:
            batch = self._take_batch()
            items = [item for job in batch for item in job.items]
            try:
                results = self._run(batch[0].key, items)
                if len(results) != len(items):
                    raise RuntimeError(f"batch returned {len(results)} results for {len(items)} inputs")
            except BaseException as exc:
                for job in batch:
                    job.future.set_exception(exc)
                continue
            offset = 0
            for job in batch:
                job.future.set_result(results[offset:offset + len(job.items)])
                offset += len(job.items)
