"""Where the translation service gets its glossaries: a fixed set, or a registry kept fresh.

The issue-#5 GlossaryRegistry re-validates changed files and keeps the last good version in
force; the service asks it for the current set on every request, and refreshes it at most once
per interval so a curated glossary edit goes live without restarting the worker.
"""

import threading
import time
from typing import Protocol

from nlp.glossary.model import GlossarySet


class GlossarySource(Protocol):
    def glossary_set(self) -> GlossarySet: ...


class Refreshable(Protocol):
    def glossary_set(self) -> GlossarySet: ...

    def refresh(self) -> object: ...


class StaticGlossaries:
    def __init__(self, glossaries: GlossarySet) -> None:
        self._glossaries = glossaries

    def glossary_set(self) -> GlossarySet:
        return self._glossaries


class PeriodicRefresh:
    """Calls `refresh()` on the wrapped registry when `interval_s` has passed since the last one.

    Only one caller refreshes; the others keep translating with the set already in force.
    """

    def __init__(self, registry: Refreshable, interval_s: float = 30.0) -> None:
        self._registry = registry
        self._interval_s = interval_s
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def glossary_set(self) -> GlossarySet:
        now = time.monotonic()
        if now - self._last >= self._interval_s and self._lock.acquire(blocking=False):
            try:
                self._last = now
                self._registry.refresh()
            finally:
                self._lock.release()
        return self._registry.glossary_set()
