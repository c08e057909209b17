"""Language-ID dev sets derived from FLORES-200 devtest and Tatoeba (read-only under ../shared/data).

Buckets:
  sentence        FLORES-200 devtest sentences (news/wiki style, ~20-40 words)
  short_sentence  Tatoeba sentences (chat style, often 3-8 words)
  word_pair       two consecutive alphabetic tokens taken from those sentences that occur, as a
                  pair, in one language only
  word_pair_all   the same sample before that rule (the bucket's definition until it was added)
  word            single alphabetic tokens (>= 2 letters) that occur in one language only
  zh_2to4         runs of 2-4 Han characters cut from Chinese sentences

Words shared by two or more languages of the set ("Tom", "hotel", "no") are dropped from the
word bucket: no detector can be right about them and they would measure the data, not the code.
Pairs get the same rule: a pair that occurs verbatim (case-folded) in the sentences of two or
more languages ("Apa yang" in Malay and Indonesian, "Reino Unido" in Spanish and Portuguese,
"New York" everywhere) is dropped from word_pair. word_pair_all keeps them, so both figures are
printed; word_pair is a subset of word_pair_all's texts (same seeded sample, nothing re-drawn).
Japanese has no spaces, so its words are runs of one script (kanji, hiragana or katakana).
Sampling is seeded, so every run and every detector sees the same texts.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BUCKETS = ("sentence", "short_sentence", "word_pair", "word_pair_all", "word", "zh_2to4")

FLORES_FILES = {
    "arb_Arab": "ar", "deu_Latn": "de", "eng_Latn": "en", "fra_Latn": "fr", "ind_Latn": "id",
    "ita_Latn": "it", "jpn_Jpan": "ja", "kor_Hang": "ko", "por_Latn": "pt", "rus_Cyrl": "ru",
    "spa_Latn": "es", "tha_Thai": "th", "tur_Latn": "tr", "vie_Latn": "vi", "zho_Hans": "zh",
    "zho_Hant": "zh",
}
TATOEBA_SIDES = {
    "deu": "de", "eng": "en", "fra": "fr", "ita": "it", "jpn": "ja", "kor": "ko", "msa": "ms",
    "por": "pt", "rus": "ru", "spa": "es", "tur": "tr", "vie": "vi",
}
# Per-line labels refine the language where the file mixes varieties or scripts.
LABEL_LANG = {"ind": "id", "zsm_Latn": "ms", "cmn_Hans": "zh"}
DROP_LABEL_SUFFIX = ("_Latn",)  # romanised Japanese/Korean lines are not what the side claims
NO_SPACE_LANGS = {"zh", "ja"}
LATIN_LANGS = {"de", "en", "es", "fr", "id", "it", "ms", "pt", "tr", "vi"}

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_JA_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3005]+|[\u3041-\u309f]+|[\u30a0-\u30ff\u31f0-\u31ff]+")


@dataclass(frozen=True)
class Sample:
    text: str
    lang: str
    bucket: str


def default_data_dir() -> Path:
    env = os.environ.get("LINGODESK_BENCH_DATA")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "data"


def _read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def flores_sentences(data_dir: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for stem, lang in FLORES_FILES.items():
        path = data_dir / "flores200-devtest" / f"{stem}.devtest"
        if path.exists():
            out[lang].extend(s.strip() for s in _read_lines(path) if s.strip())
    return out


def _tatoeba_side(path: Path, default_lang: str | None) -> list[tuple[str, str]]:
    lines = _read_lines(path)
    labels_path = path.with_name(path.name + ".labels")
    labels = _read_lines(labels_path) if labels_path.exists() else [""] * len(lines)
    rows: list[tuple[str, str]] = []
    for text, label in zip(lines, labels, strict=True):
        text = text.strip()
        if not text or (label.endswith(DROP_LABEL_SUFFIX) and label not in LABEL_LANG):
            continue
        lang = LABEL_LANG.get(label, default_lang)
        if default_lang is None and label not in LABEL_LANG:
            continue  # Chinese side: keep only the Mandarin lines the labels vouch for
        if lang is not None:
            rows.append((text, lang))
    return rows


def tatoeba_sentences(data_dir: Path) -> dict[str, list[str]]:
    root = data_dir / "tatoeba-test-v2021-08-07-zh"
    out: dict[str, set[str]] = defaultdict(set)
    for side, lang in TATOEBA_SIDES.items():
        own = root / f"{side}-zho.{side}"
        if own.exists():
            for text, line_lang in _tatoeba_side(own, None if side == "msa" else lang):
                out[line_lang].add(text)
        zho = root / f"{side}-zho.zho"
        if zho.exists():
            for text, line_lang in _tatoeba_side(zho, None):
                out[line_lang].add(text)
    return {lang: sorted(texts) for lang, texts in out.items()}


def _strip_token(token: str) -> str:
    start, end = 0, len(token)
    while start < end and not token[start].isalnum():
        start += 1
    while end > start and not token[end - 1].isalnum():
        end -= 1
    return token[start:end]


def _is_word(token: str, lang: str) -> bool:
    if len(token) < 2 or not all(c.isalpha() or unicodedata.category(c) in ("Mn", "Mc") for c in token):
        return False
    # A Latin-script name inside a Thai or Russian sentence is not a Thai or Russian word.
    latin = all(ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF for c in token)
    return latin == (lang in LATIN_LANGS)


def tokens(text: str, lang: str) -> list[str]:
    if lang == "ja":
        return _JA_RUN.findall(text)
    if lang == "zh":
        return _HAN_RUN.findall(text)
    return [_strip_token(t) for t in text.split()]


def _sample(items: list[str], cap: int, rng: random.Random) -> list[str]:
    items = sorted(set(items))
    return items if len(items) <= cap else rng.sample(items, cap)


def build_dataset(data_dir: Path, cap: int = 1000, seed: int = 13) -> list[Sample]:
    rng = random.Random(seed)
    flores = flores_sentences(data_dir)
    tatoeba = tatoeba_sentences(data_dir)
    samples: list[Sample] = []
    for lang, texts in sorted(flores.items()):
        samples += [Sample(t, lang, "sentence") for t in _sample(texts, cap, rng)]
    for lang, texts in sorted(tatoeba.items()):
        samples += [Sample(t, lang, "short_sentence") for t in _sample(texts, cap, rng)]

    words: dict[str, set[str]] = defaultdict(set)
    pairs: dict[str, set[str]] = defaultdict(set)
    for source in (flores, tatoeba):
        for lang, texts in source.items():
            for text in texts:
                toks = tokens(text, lang)
                if lang in NO_SPACE_LANGS:
                    words[lang].update(t for t in toks if len(t) >= 2)
                    continue
                ok = [t if _is_word(t, lang) else "" for t in toks]
                words[lang].update(t for t in ok if t)
                pairs[lang].update(f"{a} {b}" for a, b in itertools.pairwise(ok) if a and b)
    seen_in: dict[str, set[str]] = defaultdict(set)
    for lang, ws in words.items():
        for w in ws:
            seen_in[w.lower()].add(lang)
    for lang, ws in sorted(words.items()):
        if lang == "zh":
            continue  # Chinese short texts have their own bucket below
        unique = [w for w in ws if len(seen_in[w.lower()]) == 1]
        samples += [Sample(w, lang, "word") for w in _sample(unique, cap, rng)]
    pair_seen_in: dict[str, set[str]] = defaultdict(set)
    for lang, ps in pairs.items():
        for p in ps:
            pair_seen_in[p.lower()].add(lang)
    for lang, ps in sorted(pairs.items()):
        drawn = _sample(list(ps), cap, rng)  # drawn once, so the other buckets' samples do not move
        samples += [Sample(p, lang, "word_pair_all") for p in drawn]
        samples += [Sample(p, lang, "word_pair") for p in drawn if len(pair_seen_in[p.lower()]) == 1]

    chunks: set[str] = set()
    for text in flores.get("zh", []) + tatoeba.get("zh", []):
        for run in _HAN_RUN.findall(text):
            pos = 0
            while len(run) - pos >= 2:
                size = min(rng.randint(2, 4), len(run) - pos)
                chunks.add(run[pos:pos + size])
                pos += size
    samples += [Sample(c, "zh", "zh_2to4") for c in _sample(list(chunks), 2 * cap, rng)]
    return samples
