"""One loaded CTranslate2 model: SentencePiece in, batched beam search, text out."""

import json
import re
import threading
from collections.abc import Hashable
from pathlib import Path

import ctranslate2
import sentencepiece as spm
from pydantic import BaseModel

from nlp.translate.batcher import MicroBatcher
from nlp.translate.catalog import ModelInfo

_BYTE_PIECE = re.compile(r"<0x([0-9A-Fa-f]{2})>")


class EngineOptions(BaseModel):
    device: str = "cpu"
    inter_threads: int = 1
    intra_threads: int = 1  # see runtime/settings.py ct2_intra_threads
    compute_type: str = "default"  # the model's own type (int8 for Argos packages)
    beam_size: int = 2
    max_batch_size: int = 32  # sentences per decode step group inside CTranslate2
    # Sentences merged from concurrent callers into one translate_batch call. Larger than
    # max_batch_size on purpose: CTranslate2 sorts one call's inputs by length before cutting
    # them into max_batch_size groups, so merging more callers means less padding.
    batcher_max_items: int = 256
    batch_window_ms: float = 20.0  # longest wait of a batch's first caller
    batch_gap_ms: float = 2.0  # ... but the batch goes once no caller joined for this long
    max_decoding_length: int = 256


def decode_pieces(pieces: list[str]) -> str:
    """Target pieces -> text. Joins by hand (not spm.decode): Argos packages ship only the source
    SentencePiece model, which does not know the target pieces. Byte-fallback pieces are decoded."""
    text = "".join(pieces)
    if "<0x" in text:
        text = re.sub(r"(?:<0x[0-9A-Fa-f]{2}>)+",
                      lambda m: bytes(int(h, 16) for h in _BYTE_PIECE.findall(m.group(0))).decode(
                          "utf-8", errors="replace"), text)
    return text.replace("▁", " ").strip()


class Ct2Model:
    """Thread-safe: any number of threads may call `translate`; calls are batched together."""

    def __init__(self, info: ModelInfo, options: EngineOptions) -> None:
        self.info = info
        self.options = options
        self.translator = ctranslate2.Translator(
            str(info.ct2_dir), device=options.device, compute_type=options.compute_type,
            inter_threads=options.inter_threads, intra_threads=options.intra_threads,
        )
        self.source_sp = spm.SentencePieceProcessor(model_file=str(info.source_spm))
        self.target_sp = (self.source_sp if info.target_spm == info.source_spm
                          else spm.SentencePieceProcessor(model_file=str(info.target_spm)))
        config = _read_config(info.ct2_dir)
        self._eos = str(config.get("eos_token", "</s>"))
        # Models converted without add_source_eos still expect </s> at the end of the source.
        self._append_eos = not config.get("add_source_eos", False)
        self._batcher = MicroBatcher(self._run, max_batch=options.batcher_max_items,
                                     window_s=options.batch_window_ms / 1000,
                                     gap_s=options.batch_gap_ms / 1000,
                                     workers=options.inter_threads, name=info.name)

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        """Translates sentences (no newlines inside) through the shared micro-batcher."""
        return self._batcher.submit((source, target), sentences)

    def translate_direct(self, sentences: list[str], source: str, target: str, *,
                         max_batch_size: int | None = None) -> list[str]:
        """The same decode without the batcher (benchmarks compare against it)."""
        return self._decode(source, target, sentences, max_batch_size)

    def _run(self, key: Hashable, sentences: list[str]) -> list[str]:
        assert isinstance(key, tuple)
        source, target = key
        return self._decode(str(source), str(target), sentences, None)

    def _decode(self, source: str, target: str, sentences: list[str],
                max_batch_size: int | None) -> list[str]:
        if not sentences:
            return []
        batch = [self._encode(s, source) for s in sentences]
        prefix_token = self.info.lang_tokens.get(target)
        results = self.translator.translate_batch(
            batch,
            target_prefix=[[prefix_token]] * len(batch) if prefix_token else None,
            beam_size=self.options.beam_size,
            max_batch_size=max_batch_size or self.options.max_batch_size,
            max_decoding_length=self.options.max_decoding_length,
        )
        out: list[str] = []
        for result in results:
            pieces = list(result.hypotheses[0])
            if prefix_token and pieces and pieces[0] == prefix_token:
                pieces = pieces[1:]
            out.append(decode_pieces(pieces))
        return out

    def _encode(self, sentence: str, source: str) -> list[str]:
        pieces: list[str] = self.source_sp.encode(sentence, out_type=str)
        source_token = self.info.lang_tokens.get(source)
        if source_token:
            pieces = [source_token, *pieces]
        if self._append_eos:
            pieces.append(self._eos)
        return pieces


def _read_config(ct2_dir: Path) -> dict[str, object]:
    try:
        data = json.loads((ct2_dir / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class ModelPool:
    """Loads each model once per process; every activity thread shares the loaded instance."""

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self._lock = threading.Lock()
        self._models: dict[Path, Ct2Model] = {}

    def get(self, info: ModelInfo) -> Ct2Model:
        with self._lock:
            model = self._models.get(info.path)
            if model is None:
                model = Ct2Model(info, self.options)
                self._models[info.path] = model
            return model
