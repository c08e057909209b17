"""Translation memory: repeated sentences and reply templates cost one lookup, not one decode.

Keys hash (source sentence, language pair, model ids, glossary version), so a new model or an
edited glossary never serves a stale translation. Two implementations: an in-process LRU and a
SQLite file (survives worker restarts, shared by the processes on one host); `TieredMemory`
puts the LRU in front of the file.
"""

import hashlib
import sqlite3
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Protocol


class TranslationMemory(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, text: str) -> None: ...


def memory_key(text: str, source: str, target: str, model_id: str, glossary_version: str) -> str:
    payload = "\x1f".join([source, target, model_id, glossary_version, text])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class NoMemory:
    def get(self, key: str) -> str | None:
        return None

    def put(self, key: str, text: str) -> None:
        return None


class LruMemory:
    def __init__(self, max_entries: int = 50_000) -> None:
        self._max = max_entries
        self._data: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, text: str) -> None:
        with self._lock:
            self._data[key] = text
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class SqliteMemory:
    """One table in a SQLite file; WAL so readers in other processes do not block writers."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS translation_memory ("
            " key TEXT PRIMARY KEY, text TEXT NOT NULL, created REAL NOT NULL)"
        )

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT text FROM translation_memory WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, text: str) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO translation_memory (key, text, created) VALUES (?, ?, ?)",
                (key, text, time.time()))

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class TieredMemory:
    """A fast front memory (LRU) over a persistent back one; back hits are promoted."""

    def __init__(self, front: TranslationMemory, back: TranslationMemory) -> None:
        self.front = front
        self.back = back

    def get(self, key: str) -> str | None:
        value = self.front.get(key)
        if value is None:
            value = self.back.get(key)
            if value is not None:
                self.front.put(key, value)
        return value

    def put(self, key: str, text: str) -> None:
        self.front.put(key, text)
        self.back.put(key, text)
