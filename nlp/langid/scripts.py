"""Unicode-script evidence: which writing systems a text's letters belong to.

Hangul, Thai, Kana, Greek, Hebrew, Bengali decide the language alone, and the others narrow the
candidates before any statistical model runs; that is what rescues "환불" or "退款", where the
quantised fastText model has no n-grams and falls back to English.
"""

from typing import Final

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


def script_counts(text: str) -> dict[str, int]:
    """Letters per ISO 15924 script code in the head of `text` (Hani, Kana, Latn...)."""
    head = text[:PROFILE_CHARS]
    if head.isascii():  # most tickets: Latin letters only, counted without the per-char table
        latin = len(head.encode("ascii").translate(None, _ASCII_NON_LETTERS))
        return {"Latn": latin} if latin else {}
    tagged = head.translate(_TABLE)
    if tagged.isascii():  # common case: tags only, so a single count tells whether it is all Latin
        latin = tagged.count("L")
        if latin + tagged.count(" ") == len(tagged):
            return {"Latn": latin} if latin else {}
    return {_TAGS[t]: tagged.count(t) for t in set(tagged) if t in _TAGS}


def weighted_letters(counts: dict[str, int]) -> int:
    """Letters with CJK characters counted as the short word each is worth."""
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
