"""Builds `resources/lexicon.tsv.gz` from the wordfreq word lists (developer tool, not run in production).

Short texts ("Danke", "obrigado", "terima kasih") carry too few character n-grams for fastText's
quantised model, so the detector also asks how common each word is in each candidate language.
The frequencies come from wordfreq 3.1 (Robyn Speer et al., data CC-BY-SA 4.0), whose lists merge
Wikipedia, subtitles, news, books, web text and Twitter, and so share nothing with our dev sets.

    pip download wordfreq --no-deps -d /tmp/wf && unzip /tmp/wf/wordfreq-*.whl -d /tmp/wf/x
    pip install msgpack   # anywhere, only this script needs it
    python -m nlp.langid.lexicon_build /tmp/wf/x/wordfreq/data

Output lines: `<lang>\\t<centibels>\\t<word> <word> ...` (frequency 10**(cB/100), cB <= 0), plus
`<lang>\\tchars\\t<char><cB> ...` lines with Han-character frequencies for zh and ja, which decide
Chinese vs Japanese on kanji-only texts where there are no words to look up, and one
`zh\\ttrad\\t<traditional><simplified> ...` line: wordfreq folds Traditional Chinese into
Simplified, so Traditional text is folded the same way before it is looked up.
"""

from __future__ import annotations

import argparse
import gzip
import math
import sys
from collections import defaultdict
from pathlib import Path

from nlp.langid.languages import SCRIPT_LANGUAGES, SUPPORTED

OUTPUT = Path(__file__).resolve().parent / "resources" / "lexicon.tsv.gz"
WORDFREQ_CODES = {"no": "nb", "tl": "fil"}
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))


def _is_han(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in HAN_RANGES)


def _read_cbpack(path: Path) -> list[list[str]]:
    import msgpack

    with gzip.open(path, "rb") as f:
        data = msgpack.load(f, raw=False, strict_map_key=False)
    header = data[0]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise ValueError(f"unexpected wordfreq header in {path}: {header!r}")
    bins: list[list[str]] = data[1:]
    return bins


def _wanted(word: str) -> bool:
    return all(c.isalpha() or c in "'-" for c in word) and any(c.isalpha() for c in word)


def _han_chars(bins: list[list[str]]) -> dict[str, int]:
    weight: dict[str, float] = defaultdict(float)
    for cb, words in enumerate(bins):
        freq = 10 ** (-cb / 100)
        for word in words:
            for ch in word:
                if _is_han(ch):
                    weight[ch] += freq
    total = sum(weight.values())
    return {ch: round(100 * math.log10(w / total)) for ch, w in weight.items() if w / total > 1e-7}


def build(data_dir: Path, words_per_language: int, output: Path) -> None:
    mapping_path = data_dir / "_chinese_mapping.msgpack.gz"
    trad_to_simp: dict[int, str] | None = None  # a str.translate table: code point -> Simplified
    if mapping_path.exists():
        import msgpack

        with gzip.open(mapping_path, "rb") as f:
            trad_to_simp = msgpack.load(f, raw=False, strict_map_key=False)
    lines: list[str] = []
    single_script = {langs[0] for langs in SCRIPT_LANGUAGES.values() if len(langs) == 1}
    for lang in SUPPORTED:
        path = data_dir / f"small_{WORDFREQ_CODES.get(lang, lang)}.msgpack.gz"
        if not path.exists():
            print(f"skip {lang}: no wordfreq list", file=sys.stderr)
            continue
        bins = _read_cbpack(path)
        if lang in ("zh", "ja"):
            chars = _han_chars(bins)
            lines.append(f"{lang}\tchars\t" + " ".join(f"{c}{cb}" for c, cb in sorted(chars.items())))
        if lang == "zh" and trad_to_simp:
            pairs = sorted(chr(code) + simp for code, simp in trad_to_simp.items() if len(simp) == 1)
            lines.append("zh\ttrad\t" + " ".join(pairs))
        if lang in single_script and lang != "ja":
            continue  # the script alone decides these; their words would only cost memory
        kept = 0
        for cb, words in enumerate(bins):
            chosen = sorted(w for w in words if _wanted(w))
            if not chosen:
                continue
            if words_per_language:
                chosen = chosen[: words_per_language - kept]
            lines.append(f"{lang}\t{-cb}\t{' '.join(chosen)}")
            kept += len(chosen)
            if words_per_language and kept >= words_per_language:
                break
    output.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(output, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {output} ({output.stat().st_size} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wordfreq_data", type=Path, help="the wordfreq/data folder of an unpacked wheel")
    # Every word of wordfreq's "small" lists (frequency >= 1e-6) by default. A cut at N words made
    # a word ranked N+1 in one language look unseen there (the 10**-6.5 floor) while a close
    # neighbour that ranks it higher lists it: evidence created by the cut, not by the language.
    parser.add_argument("--words", type=int, default=0,
                        help="most frequent words kept per language (0, the default: all of the small list)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    build(args.wordfreq_data, args.words, args.output)


if __name__ == "__main__":
    main()
