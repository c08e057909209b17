"""The supervised layer: a small fastText classifier over request domains, trained deterministically.

Training uses one thread and a fixed seed, so the same data gives the same model (and the same
test results) on every machine; on a few thousand tickets it takes a few seconds.

It runs in a fresh interpreter. With one thread, fastText 0.9.x initialises only the first tenth
of the input matrix (facebookresearch/fastText#1061) and trains on whatever the allocator left in
the rest: zeros in a new process, stale bytes in one that has freed large blocks before, which
made in-process training drift and sometimes fail with "Encountered NaN". A child process with a
fixed mmap threshold gets its large blocks straight from the kernel, zero-filled, every time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import fasttext

from domain.nlp import RequestDomain
from nlp.classify.features import model_tokens
from nlp.classify.training_data import LabelledTicket

_LABEL: Final = "__label__"
# Agents' corrections are few and describe our real tickets; they count this many times the seed.
CORRECTION_WEIGHT: Final = 3
TRAIN_PARAMS: Final[dict[str, object]] = {
    "epoch": 30, "lr": 0.5, "dim": 32, "wordNgrams": 2, "minn": 3, "maxn": 5, "bucket": 100_000,
    "loss": "softmax", "thread": 1, "seed": 7, "minCount": 1, "verbose": 0,
}


# A language with this many training lines is trusted fully; the model saw English by the
# thousand but most languages only a few dozen times, and is overconfident on them.
TRUSTED_LINES: Final = 1000


class DomainModel:
    def __init__(self, model: fasttext.FastText._FastText, language_lines: dict[str, int]) -> None:
        self._model = model
        self._predict = model.f.predict
        self.language_lines = language_lines
        # Words seen in training. Subword hashing gives any string a vector, so gibberish or an
        # unseen language still gets a confident-looking answer; coverage tells those apart.
        self._vocabulary = frozenset(model.get_words(on_unicode_error="replace"))

    @classmethod
    def load(cls, path: Path) -> DomainModel:
        sidecar = _sidecar(path)
        lines = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else {}
        return cls(fasttext.load_model(str(path)), lines)

    def trust(self, language: str) -> float:
        """0.5 .. 1: how far to believe the model's probabilities for a text in `language`."""
        return 0.5 + 0.5 * min(1.0, self.language_lines.get(language, 0) / TRUSTED_LINES)

    @classmethod
    def train(cls, seed: Sequence[LabelledTicket], corrections: Sequence[LabelledTicket] = (),
              output: Path | None = None) -> DomainModel:
        lines = [line for t in seed for line in _lines(t)]
        lines += [line for t in corrections for line in _lines(t)] * CORRECTION_WEIGHT
        language_lines = dict(Counter(t.language for t in seed)
                              + Counter({t.language: CORRECTION_WEIGHT for t in corrections}))
        with tempfile.TemporaryDirectory() as tmp:
            train_file = Path(tmp) / "train.txt"
            train_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
            trained = Path(tmp) / "model.bin"
            _train_in_child(train_file, trained)
            model = fasttext.load_model(str(trained))
            if output is not None:
                output.parent.mkdir(parents=True, exist_ok=True)
                # Written aside and renamed, so a worker starting meanwhile never loads half a file.
                partial = output.with_name(f".{output.name}.{os.getpid()}.tmp")
                partial.write_bytes(trained.read_bytes())
                _sidecar(output).write_text(json.dumps(language_lines, sort_keys=True), encoding="utf-8")
                partial.replace(output)
        return cls(model, language_lines)

    def predict(self, text: str) -> dict[RequestDomain, float]:
        """Probability per domain (all of them, summing to ~1); empty when the text has no words."""
        return self.predict_with_coverage(text)[0]

    def predict_with_coverage(self, text: str) -> tuple[dict[RequestDomain, float], int, int]:
        """Probabilities, how many of the text's tokens the model saw in training, and how many it has."""
        tokens = model_tokens(text)
        if not tokens:
            return {}, 0, 0
        split = tokens.split(" ")
        known = sum(1 for t in split if t in self._vocabulary)
        out: dict[RequestDomain, float] = {}
        for p, label in self._predict(tokens + "\n", -1, 0.0, "replace"):
            out[RequestDomain(label[len(_LABEL):])] = p
        return out, known, len(split)


_CHILD: Final = ("import json, sys, fasttext; a = json.loads(sys.argv[1]); "
                  "fasttext.train_supervised(input=a['input'], **a['params']).save_model(a['output'])")
TRAIN_TIMEOUT_S: Final = 600


def _train_in_child(train_file: Path, model_file: Path) -> None:
    job = json.dumps({"input": str(train_file), "output": str(model_file), "params": TRAIN_PARAMS})
    # A fixed threshold turns off glibc's adaptive one, so the big matrices are always fresh mmaps.
    env = {**os.environ, "MALLOC_MMAP_THRESHOLD_": str(128 * 1024)}
    done = subprocess.run([sys.executable, "-c", _CHILD, job], env=env, capture_output=True, text=True,
                          timeout=TRAIN_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"fastText training failed: {done.stderr.strip()[-2000:]}")


def _sidecar(model_path: Path) -> Path:
    """Per-language training line counts, kept next to the model they describe."""
    return model_path.with_suffix(".languages.json")


def _lines(ticket: LabelledTicket) -> list[str]:
    texts = [ticket.text] + ([ticket.translated_text] if ticket.translated_text else [])
    label = f"{_LABEL}{ticket.domain.value}"
    return [f"{label} {tokens}" for tokens in map(model_tokens, texts) if tokens]
