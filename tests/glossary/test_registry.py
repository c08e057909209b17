"""A broken file is rejected whole; the last good version stays in force, even across restarts."""

from pathlib import Path

from nlp.glossary.registry import FileState, GlossaryRegistry
from tests.glossary.conftest import HEADER

GOOD_V1 = HEADER + "electronics,芯片,chip,チップ,,\n"
GOOD_V2 = HEADER + "electronics,芯片,chip,チップ,,\nelectronics,电容器,capacitor,コンデンサ,,\n"
BROKEN = HEADER + "electronics,芯片,chip,チップ,,\nelectronics,晶片,chip,ウエハ,,\n"  # duplicate "chip"
OTHER = HEADER + "general,运费,shipping cost,送料,,\n"


def terms(registry: GlossaryRegistry) -> set[str]:
    return {c.terms["en"] for g in registry.glossary_set().glossaries for c in g.concepts}


def states(statuses) -> dict[str, FileState]:  # type: ignore[no-untyped-def]
    return {s.name: s.state for s in statuses}


def test_broken_edit_keeps_the_previous_version(tmp_path: Path) -> None:
    gdir = tmp_path / "glossaries"
    gdir.mkdir()
    (gdir / "electronics.csv").write_text(GOOD_V1, encoding="utf-8")
    (gdir / "general.csv").write_text(OTHER, encoding="utf-8")
    registry = GlossaryRegistry(gdir)
    assert states(registry.refresh()) == {"electronics": FileState.LOADED, "general": FileState.LOADED}
    version_v1 = registry.version

    (gdir / "electronics.csv").write_text(BROKEN, encoding="utf-8")
    status = {s.name: s for s in registry.refresh()}
    rejected = status["electronics"]
    assert rejected.state is FileState.REJECTED
    assert rejected.in_force != rejected.version  # the old bytes are in force, not the new ones
    assert [i.code for i in rejected.issues if i.severity == "error"] == ["duplicate-term"]
    assert status["general"].state is FileState.UNCHANGED
    assert terms(registry) == {"chip", "shipping cost"}  # nothing of the broken file half-loaded
    assert registry.version == version_v1

    (gdir / "electronics.csv").write_text(GOOD_V2, encoding="utf-8")
    assert states(registry.refresh())["electronics"] is FileState.LOADED
    assert terms(registry) == {"chip", "capacitor", "shipping cost"}
    assert registry.version != version_v1


def test_last_good_copy_survives_a_restart(tmp_path: Path) -> None:
    gdir, cache = tmp_path / "glossaries", tmp_path / "cache"
    gdir.mkdir()
    (gdir / "electronics.csv").write_text(GOOD_V2, encoding="utf-8")
    GlossaryRegistry(gdir, cache).refresh()
    (gdir / "electronics.csv").write_text(BROKEN, encoding="utf-8")

    restarted = GlossaryRegistry(gdir, cache)
    [status] = restarted.refresh()
    assert status.state is FileState.REJECTED and status.in_force
    assert terms(restarted) == {"chip", "capacitor"}
    # Without the cache a fresh process has nothing for that file, rather than half of it.
    fresh = GlossaryRegistry(gdir)
    [status] = fresh.refresh()
    assert status.state is FileState.REJECTED and status.in_force == ""
    assert terms(fresh) == set()


def test_the_same_broken_bytes_are_not_revalidated_and_removal_unloads(tmp_path: Path) -> None:
    gdir = tmp_path / "glossaries"
    gdir.mkdir()
    (gdir / "electronics.csv").write_text(GOOD_V1, encoding="utf-8")
    registry = GlossaryRegistry(gdir, tmp_path / "cache")
    registry.refresh()
    (gdir / "electronics.csv").write_text(BROKEN, encoding="utf-8")
    first = registry.refresh()
    assert registry.refresh() == first
    (gdir / "electronics.csv").unlink()
    assert states(registry.refresh()) == {"electronics": FileState.REMOVED}
    assert len(registry.glossary_set()) == 0
    assert not (tmp_path / "cache" / "electronics.csv").exists()


def test_missing_directory_is_an_empty_set(tmp_path: Path) -> None:
    registry = GlossaryRegistry(tmp_path / "nowhere")
    assert registry.refresh() == []
    assert registry.version == ""
