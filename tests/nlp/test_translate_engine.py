"""The engine layer on a real (tiny) CTranslate2 model: catalog layouts, decoding, batching."""

import threading
import time
from pathlib import Path

import pytest

from nlp.translate.batcher import MicroBatcher
from nlp.translate.catalog import ModelCatalog, ModelFormatError, read_model
from nlp.translate.engine import Ct2Model, EngineOptions, ModelPool, decode_pieces
from nlp.translate.install import InstallError, install_model
from tests.helpers.tiny_ct2 import build_tiny_model, train_tiny_spm


@pytest.fixture(scope="module")
def spm_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_tiny_spm(tmp_path_factory.mktemp("spm") / "tiny")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory, spm_model: Path) -> Path:
    root = tmp_path_factory.mktemp("models")
    build_tiny_model(root, "zh", "en", spm_model=spm_model)
    build_tiny_model(root, "en", "de", layout="argos", spm_model=spm_model)
    build_tiny_model(root, "xx", "yy", languages=["en", "fr", "es"], name="tiny-multi", spm_model=spm_model)
    (root / "not-a-model").mkdir()
    (root / "not-a-model" / "notes.txt").write_text("assets that share the folder are ignored")
    (root / "broken").mkdir()
    (root / "broken" / "metadata.json").write_text('{"from_code": "zh", "to_code": "ja"}')
    return root


def test_catalog_reads_every_layout_and_reports_broken_folders(models_dir: Path) -> None:
    catalog = ModelCatalog.scan(models_dir)
    by_name = {m.name: m for m in catalog.models}
    assert set(by_name) == {"tiny-zh_en", "tiny-en_de", "tiny-multi"}
    assert by_name["tiny-zh_en"].layout == "ct2" and by_name["tiny-zh_en"].pairs == [("zh", "en")]
    assert by_name["tiny-en_de"].layout == "argos"
    assert by_name["tiny-en_de"].ct2_dir == models_dir / "tiny-en_de" / "model"
    assert by_name["tiny-multi"].multilingual and ("fr", "es") in by_name["tiny-multi"].pairs
    assert len(catalog.problems) == 1 and "broken" in catalog.problems[0]
    # A dedicated bilingual model is preferred over a multilingual one for the same pair.
    assert catalog.find("zh", "en") is by_name["tiny-zh_en"]


def test_missing_models_dir_is_an_empty_catalog(tmp_path: Path) -> None:
    assert ModelCatalog.scan(tmp_path / "absent").models == []
    assert ModelCatalog.scan(None).pairs() == []


def test_tiny_model_decodes_through_sentencepiece(models_dir: Path) -> None:
    info = read_model(models_dir / "tiny-zh_en")
    model = Ct2Model(info, EngineOptions())
    text = ["这台设备的轴承坏了，请尽快更换。", "hello world TERM0 SF123456789"]
    assert model.translate(text, "zh", "en") == text
    assert model.translate_direct(text, "zh", "en", max_batch_size=1) == text


def test_multilingual_model_gets_source_token_and_target_prefix(models_dir: Path) -> None:
    model = Ct2Model(read_model(models_dir / "tiny-multi"), EngineOptions())
    # The copy model aligns target position t with source position t: the output is the input
    # only if the source starts with a language token and the target prefix token is stripped.
    assert model.translate(["hello world"], "en", "fr") == ["hello world"]


def test_token_map_makes_the_tiny_model_translate(tmp_path: Path, spm_model: Path) -> None:
    folder = build_tiny_model(tmp_path, "zh", "en", token_map={"▁您好": "▁hello"}, spm_model=spm_model)
    model = Ct2Model(read_model(folder), EngineOptions())
    assert model.translate(["您好"], "zh", "en") == ["hello"]


def test_decode_pieces_handles_byte_fallback() -> None:
    assert decode_pieces(["▁a", "<0xE2>", "<0x98>", "<0x83>", "▁b"]) == "a☃ b"
    assert decode_pieces(["▁Hello", ",", "▁world"]) == "Hello, world"


def test_model_pool_loads_each_model_once(models_dir: Path) -> None:
    pool = ModelPool(EngineOptions())
    info = read_model(models_dir / "tiny-zh_en")
    assert pool.get(info) is pool.get(read_model(models_dir / "tiny-zh_en"))


def test_concurrent_threads_share_one_model(models_dir: Path) -> None:
    model = Ct2Model(read_model(models_dir / "tiny-zh_en"), EngineOptions(inter_threads=2))
    texts = [f"订单{i}号发货了" for i in range(24)]
    results: dict[int, list[str]] = {}

    def work(i: int) -> None:
        results[i] = model.translate([texts[i]], "zh", "en")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [results[i][0] for i in range(len(texts))] == texts


def test_micro_batcher_merges_concurrent_calls_and_keeps_order() -> None:
    batches: list[list[str]] = []

    def run(key: object, items: list[str]) -> list[str]:
        batches.append(list(items))
        return [f"{key}:{item}" for item in items]

    batcher = MicroBatcher(run, max_batch=64, window_s=0.2)
    out: dict[int, list[str]] = {}
    threads = [threading.Thread(target=lambda i=i: out.__setitem__(i, batcher.submit("k", [str(i), f"{i}b"])))
               for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(out[i] == [f"k:{i}", f"k:{i}b"] for i in range(10))
    assert len(batches) < 10  # calls were merged
    assert sum(len(b) for b in batches) == 20


def test_micro_batcher_separates_keys_and_propagates_errors() -> None:
    def run(key: object, items: list[str]) -> list[str]:
        if key == "bad":
            raise RuntimeError("engine exploded")
        return [key + item for item in items]  # type: ignore[operator]

    batcher = MicroBatcher(run, max_batch=4, window_s=0.01)
    assert batcher.submit("a", ["1"]) == ["a1"]
    with pytest.raises(RuntimeError, match="engine exploded"):
        batcher.submit("bad", ["1"])
    start = time.monotonic()
    assert batcher.submit("b", [str(i) for i in range(9)]) == [f"b{i}" for i in range(9)]
    assert time.monotonic() - start < 5


def test_install_from_argos_zip_and_folder(tmp_path: Path, spm_model: Path) -> None:
    import shutil

    built = build_tiny_model(tmp_path / "build", "zh", "en", layout="argos", spm_model=spm_model,
                             name="translate-zh_en-0_1")
    archive = Path(shutil.make_archive(str(tmp_path / "pkg"), "zip", tmp_path / "build", built.name))
    argosmodel = archive.rename(tmp_path / "translate-zh_en-0_1.argosmodel")
    target = tmp_path / "models"
    info = install_model(argosmodel, target)
    assert info.pairs == [("zh", "en")] and (target / "translate-zh_en-0_1" / "model" / "model.bin").is_file()
    with pytest.raises(InstallError, match="already exists"):
        install_model(argosmodel, target)
    assert install_model(built, target, force=True).name == "translate-zh_en-0_1"
    assert [m.name for m in ModelCatalog.scan(target).models] == ["translate-zh_en-0_1"]


def test_install_rejects_what_is_not_a_model(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "metadata.json").write_text('{"from_code": "zh", "to_code": "en"}')
    with pytest.raises(InstallError, match=r"no model\.bin"):
        install_model(junk, tmp_path / "models")
    (tmp_path / "file.txt").write_text("plain text")
    with pytest.raises(InstallError, match="neither a folder nor a zip"):
        install_model(tmp_path / "file.txt", tmp_path / "models")
    with pytest.raises(ModelFormatError):
        read_model(junk)


def test_micro_batcher_with_a_gap_collects_a_burst_and_lets_a_lone_caller_go() -> None:
    batches: list[list[str]] = []

    def run(key: object, items: list[str]) -> list[str]:
        batches.append(list(items))
        return items

    # The window alone would hold a lone caller for a minute; the quiet gap releases it.
    batcher = MicroBatcher(run, max_batch=64, window_s=60.0, gap_s=0.2)
    assert batcher.submit("k", ["alone"]) == ["alone"]
    threads = [threading.Thread(target=batcher.submit, args=("k", [str(i)])) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert batches[0] == ["alone"]
    assert sorted(item for b in batches[1:] for item in b) == [str(i) for i in range(8)]
    assert len(batches) < 9  # the burst was merged


def test_micro_batcher_workers_survive_waiting_on_the_same_first_job() -> None:
    # Two workers both wait on the head job; the one that wakes second used to find its batch
    # gone and die with an IndexError, leaving later callers to the remaining worker (or none).
    def run(key: object, items: list[str]) -> list[str]:
        return [item.upper() for item in items]

    batcher = MicroBatcher(run, max_batch=64, window_s=0.03, gap_s=0.02, workers=2)
    for wave in range(5):
        out: dict[int, list[str]] = {}

        def call(i: int, wave: int = wave, out: dict[int, list[str]] = out) -> None:
            out[i] = batcher.submit("k", [f"w{wave}-{i}"])

        threads = [threading.Thread(target=call, args=(i,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert out == {i: [f"W{wave}-{i}"] for i in range(3)}
    assert batcher.workers_alive() == 2
