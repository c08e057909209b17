"""Unicode-script evidence: which writing systems a text's letters belong to.

Hangul, Thai, Kana, Greek, Hebrew, Bengali decide the language alone, and the others narrow the
candidates before any statistical model runs; that is what rescues "환불" or "退款", where the
quantised fastText model has no n-grams and falls back to English.
"""

import re
from typing import Final, NamedTuple

# One tag character per script so a single str.translate pass labels every letter.
_TAGS: Final[dict[str, str]] = {
    "L": "Latn", "H": "Hani", "K": "Kana", "G": "Hang", "T": "Thai", "A": "Arab", "W": "Hebr",
    "C": "Cyrl", "E": "Grek", "D": "Deva", "B": "Beng", "O": "Other",
}
_RANGES: Final[tuple[tuple[int, int, str], ...]] = (
    (0x0041, 0x005A, "L"), (0x0061, 0x007A, "L"), (0x00C0, 0x024F, "L"), (0x1E00, 0x1EFF, "L"),
    (0xFF21, 0xFF3A, "L"), (0xFF41, 0xFF5A, "L"),
    (0x0370, 0x03FF, "E"), (0x1F00, 0x1FFF, "E"),
    (0x0400, 0x052F, "C"),
    (0x0590, 0x05FF, "W"), (0xFB1D, 0xFB4F, "W"),
    (0x0600, 0x06FF, "A"), (0x0750, 0x077F, "A"), (0x08A0, 0x08FF, "A"), (0xFB50, 0xFDFF, "A"),
    (0xFE70, 0xFEFF, "A"),
    (0x0900, 0x097F, "D"), (0x0980, 0x09FF, "B"), (0x0E00, 0x0E7F, "T"),
    (0x1100, 0x11FF, "G"), (0x3130, 0x318F, "G"), (0xAC00, 0xD7AF, "G"),
    (0x3040, 0x30FF, "K"), (0x31F0, 0x31FF, "K"), (0xFF66, 0xFF9F, "K"),
    (0x3005, 0x3005, "H"), (0x3400, 0x4DBF, "H"), (0x4E00, 0x9FFF, "H"), (0xF900, 0xFAFF, "H"),
)
# A Han, Kana or Hangul character carries about as much as a short word in an alphabet.
_WEIGHT: Final[dict[str, int]] = {"H": 3, "K": 3, "G": 3}
# Profiling the head of a long text is enough to know its script, and bounds the cost.
PROFILE_CHARS: Final = 200


def _build_table() -> str:
    table = [" "] * 0x10000
    for cp in range(0x10000):
        ch = chr(cp)
        if ch.isalpha() or (0x0900 <= cp <= 0x0E7F):  # Indic and Thai vowel signs are marks, not alpha
            table[cp] = "O"
    for lo, hi, tag in _RANGES:
        for cp in range(lo, hi + 1):
            if table[cp] != " " or tag in "DBT":
                table[cp] = tag
    for cp in (0xD7, 0xF7):  # multiplication and division signs sit inside Latin-1
        table[cp] = " "
    return "".join(table)


# A str works as a translate table (index -> char); characters beyond the BMP raise IndexError,
# which translate treats as "keep as is", and no tag matches them, so they count as nothing.
_TABLE: Final = _build_table()


# Every ASCII byte that is not a letter: deleting them leaves the letters, at C speed.
_ASCII_NON_LETTERS: Final = bytes(b for b in range(128) if not chr(b).isalpha())


class _CodePage(NamedTuple):
    codec: str
    # Per script the code page writes: the bytes to delete so that only that script's letters stay.
    keep_only: tuple[tuple[str, bytes], ...]


def _code_page(codec: str) -> _CodePage:
    tags: dict[int, str] = {}
    for b in range(256):
        try:
            tags[b] = _TABLE[ord(bytes([b]).decode(codec))]
        except UnicodeDecodeError:  # a hole in the code page: encoding never produces it
            tags[b] = " "
    scripts = sorted({t for t in tags.values() if t != " "})
    return _CodePage(codec, tuple((_TAGS[s], bytes(b for b, t in tags.items() if t != s)) for s in scripts))


# Text that fits a one-byte code page (accented Latin, Cyrillic, Arabic, Greek, Hebrew, Thai) is
# counted by the C encoder and bytes.translate, several times faster than the per-char table.
# Latin-1 (Western European) is tried first; otherwise the script of the first non-ASCII letter
# says which code pages can fit.
_LATIN_1: Final = _code_page("latin-1")
_CODE_PAGES: Final[dict[str, tuple[_CodePage, ...]]] = {
    "L": (_code_page("cp1250"), _code_page("cp1254")),
    "C": (_code_page("cp1251"),), "A": (_code_page("cp1256"),), "E": (_code_page("cp1253"),),
    "W": (_code_page("cp1255"),), "T": (_code_page("cp874"),),
}
_NON_ASCII_LETTER: Final = re.compile(r"[^\W\d_A-Za-z]")


def _code_page_counts(head: str) -> dict[str, int] | None:
    """The counts, from the code page the text fits, or None when it fits none of them."""
    raw = head.encode("latin-1", "ignore")  # the most common after ASCII: no search needed
    if len(raw) == len(head):
        return _counted(raw, _LATIN_1)
    first = _NON_ASCII_LETTER.search(head)
    code = ord(first.group()) if first is not None else 0
    tag = _TABLE[code] if 0 < code < 0x10000 else "L"
    for page in _CODE_PAGES.get(tag, ()):
        raw = head.encode(page.codec, "ignore")
        if len(raw) == len(head):
            return _counted(raw, page)
    return None


def _counted(raw: bytes, page: _CodePage) -> dict[str, int]:
    counts: dict[str, int] = {}
    for script, delete in page.keep_only:
        n = len(raw.translate(None, delete))
        if n:
            counts[script] = n
    return counts


def script_counts(text: str) -> dict[str, int]:
    """Letters per ISO 15924 script code in the head of `text` (Hani, Kana, Latn...)."""
    head = text[:PROFILE_CHARS]
    if head.isascii():  # most tickets: Latin letters only, counted without the per-char table
        latin = len(head.encode("ascii").translate(None, _ASCII_NON_LETTERS))
        return {"Latn": latin} if latin else {}
    counts = _code_page_counts(head)
    if counts is not None:
        return counts
    tagged = head.translate(_TABLE)
    return {_TAGS[t]: tagged.count(t) for t in set(tagged) if t in _TAGS}


def weighted_letters(counts: dict[str, int]) -> int:
    """Letters with CJK characters counted as the short word each is worth."""
    if len(counts) == 1 and "Latn" in counts:
        return counts["Latn"]
    return sum(n * _WEIGHT.get(_tag(s), 1) for s, n in counts.items())


def dominant_script(counts: dict[str, int]) -> tuple[str | None, float]:
    """The script that carries most of the text, and its weighted share of the letters.

    Any Kana makes Han text Japanese (Chinese never uses it), so Kana and Han pool under Kana.
    """
    if not counts:
        return None, 0.0
    if len(counts) == 1:  # one script, the usual case: no shares to weigh
        return next(iter(counts)), 1.0
    weighted = {s: n * _WEIGHT.get(_tag(s), 1) for s, n in counts.items()}
    if "Kana" in weighted and "Hani" in weighted:
        weighted["Kana"] += weighted.pop("Hani")
    total = sum(weighted.values())
    best = max(weighted, key=weighted.__getitem__)
    return best, weighted[best] / total


_SCRIPT_TAG: Final[dict[str, str]] = {v: k for k, v in _TAGS.items()}


def _tag(script: str) -> str:
    return _SCRIPT_TAG[script]
