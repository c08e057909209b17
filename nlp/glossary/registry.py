"""Keeps the last good version of every glossary file in force.

`refresh()` re-reads the glossary directory. A changed file is validated as a whole; if it has
any error it is rejected and the version already in force stays (nothing half-loads). With a
`cache_dir`, every accepted file is also copied there, so a process that starts while a file is
broken still has the last good version (from the previous run) instead of none.

Thread-safe: the translation service may read `glossary_set()` while a refresh runs.
"""

import hashlib
import os
import threading
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from nlp.glossary.model import Glossary, GlossarySet
from nlp.glossary.validate import Issue, validate_glossary_bytes
from runtime.settings import Settings


class FileState(StrEnum):
    LOADED = "loaded"  # new or changed, valid, now in force
    UNCHANGED = "unchanged"  # same bytes as the version already seen
    REJECTED = "rejected"  # has errors; `in_force` says what is used instead ("" = nothing)
    REMOVED = "removed"  # deleted from the directory, no longer in force


class FileStatus(BaseModel):
    name: str
    path: str
    state: FileState
    version: str = ""  # version of the file on disk
    in_force: str = ""  # version used for translation
    issues: list[Issue] = Field(default_factory=list)


class GlossaryRegistry:
    def __init__(self, directory: str | Path, cache_dir: str | Path | None = None) -> None:
        self.directory = Path(directory)
        self.cache_dir = Path(cache_dir) if cache_dir is not None else None
        self._lock = threading.Lock()
        self._good: dict[str, Glossary] = {}
        self._status: dict[str, FileStatus] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> "GlossaryRegistry":
        registry = cls(settings.glossaries_dir, settings.data_dir / "glossary_cache")
        registry.refresh()
        return registry

    def glossary_set(self) -> GlossarySet:
        with self._lock:
            return GlossarySet(list(self._good.values()))

    @property
    def version(self) -> str:
        return self.glossary_set().version

    def status(self) -> list[FileStatus]:
        with self._lock:
            return [self._status[name] for name in sorted(self._status)]

    def refresh(self) -> list[FileStatus]:
        """Re-reads the directory; returns the status of every file that is or was known."""
        paths = sorted(self.directory.glob("*.csv")) if self.directory.is_dir() else []
        with self._lock:
            present = {path.stem for path in paths}
            for path in paths:
                self._status[path.stem] = self._refresh_file(path)
            for name in [n for n in self._status if n not in present]:
                if self._status[name].state is FileState.REMOVED:
                    continue
                self._good.pop(name, None)
                self._drop_cache(name)
                self._status[name] = FileStatus(name=name, path=str(self.directory / f"{name}.csv"),
                                                state=FileState.REMOVED)
            return [self._status[name] for name in sorted(self._status)]

    def _refresh_file(self, path: Path) -> FileStatus:
        name = path.stem
        try:
            raw = path.read_bytes()
        except OSError as exc:
            issue = Issue(path=str(path), code="unreadable", message=str(exc))
            return self._rejected(name, path, "", [issue])
        previous = self._status.get(name)
        seen_before = previous is not None and previous.state is not FileState.REMOVED
        if previous is not None and seen_before and previous.version == file_version(raw):
            # The same bytes as last time: an accepted file stays accepted, a broken one stays rejected.
            if previous.state is FileState.REJECTED:
                return previous
            return previous.model_copy(update={"state": FileState.UNCHANGED})
        report = validate_glossary_bytes(raw, str(path))
        if report.glossary is None:
            return self._rejected(name, path, report.version, report.issues)
        self._good[name] = report.glossary
        self._write_cache(name, raw)
        return FileStatus(name=name, path=str(path), state=FileState.LOADED, version=report.version,
                          in_force=report.version, issues=report.issues)

    def _rejected(self, name: str, path: Path, version: str, issues: list[Issue]) -> FileStatus:
        if name not in self._good:
            cached = self._read_cache(name, path)
            if cached is not None:
                self._good[name] = cached
        in_force = self._good[name].version if name in self._good else ""
        return FileStatus(name=name, path=str(path), state=FileState.REJECTED, version=version,
                          in_force=in_force, issues=issues)

    # -------------------------------------------------------------------- last-good copies
    def _read_cache(self, name: str, path: Path) -> Glossary | None:
        if self.cache_dir is None:
            return None
        cached = self.cache_dir / f"{name}.csv"
        if not cached.is_file():
            return None
        report = validate_glossary_bytes(cached.read_bytes(), str(path), name=name)
        return report.glossary

    def _write_cache(self, name: str, raw: bytes) -> None:
        if self.cache_dir is None:
            return
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.cache_dir / f".{name}.csv.tmp"
        tmp.write_bytes(raw)
        os.replace(tmp, self.cache_dir / f"{name}.csv")  # atomic: a crash never leaves half a copy

    def _drop_cache(self, name: str) -> None:
        if self.cache_dir is not None:
            (self.cache_dir / f"{name}.csv").unlink(missing_ok=True)


def file_version(raw: bytes) -> str:
    """The version hash of file bytes, as the loader and the validator record it."""
    return hashlib.sha256(raw).hexdigest()[:16]
