"""Translation-memory implementations and their keys."""

import threading
from pathlib import Path

from nlp.translate.memory import LruMemory, NoMemory, SqliteMemory, TieredMemory, memory_key


def test_key_changes_with_every_component() -> None:
    base = memory_key("轴承坏了", "zh", "en", "model@1", "g1")
    variants = [
        memory_key("轴承坏了!", "zh", "en", "model@1", "g1"),
        memory_key("轴承坏了", "zh", "de", "model@1", "g1"),
        memory_key("轴承坏了", "zh", "en", "model@2", "g1"),
        memory_key("轴承坏了", "zh", "en", "model@1", "g2"),
    ]
    assert len({base, *variants}) == 5
    assert base == memory_key("轴承坏了", "zh", "en", "model@1", "g1")


def test_lru_evicts_least_recently_used() -> None:
    memory = LruMemory(max_entries=2)
    memory.put("a", "1")
    memory.put("b", "2")
    assert memory.get("a") == "1"  # a is now the most recent
    memory.put("c", "3")
    assert memory.get("b") is None and memory.get("a") == "1" and memory.get("c") == "3"
    assert len(memory) == 2


def test_sqlite_persists_and_is_thread_safe(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "tm.sqlite3"
    memory = SqliteMemory(path)
    threads = [threading.Thread(target=memory.put, args=(f"k{i}", f"v{i}")) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    memory.put("k0", "replaced")
    memory.close()
    reopened = SqliteMemory(path)
    assert reopened.get("k0") == "replaced" and reopened.get("k19") == "v19" and reopened.get("nope") is None


def test_tiered_promotes_back_hits_to_the_front(tmp_path: Path) -> None:
    back = SqliteMemory(tmp_path / "tm.sqlite3")
    back.put("k", "v")
    front = LruMemory()
    tiered = TieredMemory(front, back)
    assert front.get("k") is None
    assert tiered.get("k") == "v" and front.get("k") == "v"
    tiered.put("n", "w")
    assert back.get("n") == "w" and front.get("n") == "w"


def test_no_memory_never_remembers() -> None:
    memory = NoMemory()
    memory.put("k", "v")
    assert memory.get("k") is None
