"""The benchmarks run end to end in a tiny mode (figures are not checked: speed belongs to bench/)."""

import json
from pathlib import Path

import pytest

from bench import pipeline_bench, run_all, store_scale_bench


def test_pipeline_bench_runs_real_tickets_and_the_bare_baseline(tmp_path: Path) -> None:
    out = tmp_path / "pipeline.json"
    argv = ["--quick", "--tickets", "5", "--paced", "3", "--paced-rate", "5", "--out", str(out)]
    assert pipeline_bench.main(argv) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    (result,) = report["results"]
    assert result["variant"]["name"] == "default"
    # Every ticket reached pending_assignment and was assigned; the bare side ran as many.
    for side in ("pipeline", "bare"):
        for point in ("pending", "assigned"):
            assert result[side][point]["completed"] == 5, (side, point)
    # Intake before pending_assignment: at least record, detect, translate, classify.
    assert 4 <= result["activities_to_pending"] < result["activities_to_assigned"]
    assert {"detect_language", "translate_text", "classify_request", "record_ticket",
            "assign_ticket"} <= set(result["activity_types"])
    assert result["activity_costs"]["translate_text"]["calls"] >= 5
    # The paced phase: as many bare workflows as tickets, each side's latency measured.
    paced = result["paced"]
    assert paced["tickets"] == 3
    for key in ("pipeline_pending", "pipeline_assigned", "bare_pending", "bare_assigned"):
        assert paced[key]["completed"] == 3, key
        assert paced[key]["p50_ms"] > 0, key


def test_tiny_bench_model_copies_a_whole_ticket(tmp_path: Path) -> None:
    # The benchmark's translation must be one clean decode: a garbled copy (the old model's
    # position code repeated every 96 pieces) made the pipeline retranslate and measured that.
    import sentencepiece as spm

    from nlp.translate.catalog import read_model
    from nlp.translate.engine import Ct2Model, EngineOptions

    folder = pipeline_bench.build_bench_model(tmp_path / "models")
    ticket = pipeline_bench.ticket_input("copy", 7)
    body = f"{ticket.subject} {ticket.body} {ticket.body}"  # one line past 96 pieces
    pieces = spm.SentencePieceProcessor(model_file=str(folder / "source.spm")).encode(body, out_type=str)
    assert len(pieces) > 96
    model = Ct2Model(read_model(folder), EngineOptions())
    assert model.translate_direct([body], "de", "zh") == [body]


@pytest.mark.postgres
def test_store_scale_bench_generates_tickets_and_explains_every_query(
    tmp_path: Path, postgres_url: str
) -> None:
    out = tmp_path / "store_scale.json"
    argv = ["--quick", "--tickets", "3000", "--rollup-sample", "100", "--repeat", "1",
            "--database-url", postgres_url, "--out", str(out)]
    assert store_scale_bench.main(argv) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["generated"]["tickets"] == 3000
    assert report["generated"]["messages"] > 0 and report["generated"]["timeline_events"] > 0
    groups = {t["group"] for t in report["timings"]}
    assert {"overview", "list"} <= groups
    for timing in report["timings"]:
        assert timing["plans"], timing["name"]
        assert all(any("Execution Time" in line for line in p["plan"]) for p in timing["plans"])
    first_page = next(t for t in report["timings"] if t["name"] == "first page, all, newest")
    assert first_page["rows"] == 50


def test_run_all_headlines_read_the_results_files() -> None:
    pipeline = {"results": [{"variant": {"name": "default"}, "throughput_ratio_pending": 0.5,
                             "p50_ratio_pending": 2.0}]}
    assert "default: thr x0.50, p50 x2.00" in run_all.headline("pipeline.json", pipeline)
    store = {"generated": {"tickets": 1000}, "timings": [{"name": "a", "median_ms": 3.0},
                                                         {"name": "b", "median_ms": 9.0}]}
    assert "slowest query b 9 ms" in run_all.headline("store_scale.json", store)


def test_ct2_threads_bench_measures_every_setting(tmp_path: Path) -> None:
    from bench import ct2_threads_bench

    out = tmp_path / "ct2_threads.json"
    # An empty models dir: only the tiny model (the real one is measured where ../shared has it).
    assert ct2_threads_bench.main(["--quick", "--models-dir", str(tmp_path / "none"), "--out", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert {(r["load"], r["intra_threads"]) for r in rows} == {
        (load, intra) for load in ("quiet", "one busy core") for intra in (1, 2, 0)}
    assert all(r["cpu_ms_per_sentence"] > 0 and r["wall_ms_per_sentence"] > 0 for r in rows)
