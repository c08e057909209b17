"""Splits an e-mail into what is translated and what is kept, so its structure survives.

Every line keeps its position, indentation, list marker and line ending; blank lines keep the
paragraphs. A line of up to MAX_UNIT_CHARS is translated as one unit, exactly as the model sees
a line when called directly (splitting it into sentences changed the model's output on 15 % of
FLORES lines and cost 0.1 BLEU); longer lines are split into sentences. All units of a text go
in one batch and are joined again. Quoted history ("> ..." lines, and everything from an
"On ... wrote:" / "-----Original Message-----" / "发件人:" header on) is kept verbatim: it was
translated when it arrived, and re-translating it would cost time and add nothing.
"""

import re
from dataclasses import dataclass, field

from nlp.translate.langs import joins_without_space
from nlp.translate.protect import find_strong_spans

MAX_SENTENCE_CHARS = 300
# A line up to this long is one translation unit (FLORES lines, the model's training unit, go up
# to ~290 characters of Chinese); beyond it, sentences.
MAX_UNIT_CHARS = 300

_QUOTED_LINE = re.compile(r"^\s*(?:>|＞)")
_HISTORY_START = [
    re.compile(r"^\s*On\b.{0,200}\bwrote:\s*$", re.IGNORECASE),
    re.compile(r"^\s*-{2,}\s*(?:Original Message|Forwarded message|原始邮件|转发的邮件|原始郵件)\s*-{2,}\s*$",
               re.IGNORECASE),
    re.compile(r"^\s*在.{1,200}写道\s*[:：]?\s*$"),
    re.compile(r"^\s*_{10,}\s*$"),  # Outlook's rule above the quoted header block
]
_HEADER_LINE = re.compile(
    r"^\s*(?:From|发件人|寄件者|Sent|Date|发送时间|日期|To|收件人|Subject|主题|Cc|抄送)\s*[:：]",
    re.IGNORECASE)
_LIST_MARKER = re.compile(
    r"^(\s*(?:[-*•·●▪◦–]\s+|\d{1,3}(?:[.)](?=\s)|[、．）])\s*|[a-zA-Z][.)](?=\s)\s*|[（(]\d{1,3}[)）]\s*|[①-⑳]\s*))"
)
_SIGNATURE_DELIMITER = re.compile(r"^--\s?$")
_HAS_WORDS = re.compile(r"[^\W\d_]")  # any letter in any script
# Sentence ends: CJK terminators, or ASCII ones before a space, the end or a CJK character; plus
# closing quotes/brackets. "?" inside "help?id=3" is not an end (and URLs are skipped anyway).
_CLOSE = "”’\"』」）)】"
_SENTENCE_END = re.compile(
    rf"(?:[。！？]+[!?]*|…{{1,2}}|[.!?]+(?=[\s{_CLOSE}]|$|[\u3000-\u9fff]))[{_CLOSE}]*")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "no", "nr", "e.g", "i.e", "etc", "vs", "approx", "inc",
                  "ltd", "co", "st", "jr", "sr", "fig"}
_SOFT_BREAK = re.compile(r"(?<=[，,；;])")


@dataclass
class Line:
    """One line of the text: `prefix` + translated units + `suffix` + `end`, or `verbatim`.

    `sentences` holds the line's translation units: the whole line, or its sentences when long.
    """

    end: str
    verbatim: str | None = None
    prefix: str = ""
    sentences: list[str] = field(default_factory=list)
    suffix: str = ""


def _is_history_start(lines: list[str], i: int) -> bool:
    line = lines[i]
    if any(p.match(line) for p in _HISTORY_START):
        return True
    # A "From:" header counts only when another header follows (a customer may write "From: ...").
    if _HEADER_LINE.match(line) and line.strip().lower().startswith(("from", "发件人", "寄件者")):
        following = [x for x in lines[i + 1:i + 4] if x.strip()]
        return any(_HEADER_LINE.match(x) for x in following)
    return False


def _split_long(sentence: str) -> list[str]:
    """Very long "sentences" (run-ons, pasted logs) split at commas so the model sees bounded input."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for part in _SOFT_BREAK.split(sentence):
        if current and len(current) + len(part) > MAX_SENTENCE_CHARS:
            pieces.append(current.strip())
            current = ""
        current += part
    if current.strip():
        pieces.append(current.strip())
    # A comma-free monster still has to be bounded; hard cuts are better than truncation.
    return [p[i:i + MAX_SENTENCE_CHARS] for p in pieces for i in range(0, len(p), MAX_SENTENCE_CHARS)]


def split_sentences(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    protected = [(s.start, s.end) for s in find_strong_spans(text)]
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if any(s <= match.start() < e for s, e in protected):
            continue
        if match.group(0).startswith("."):
            word = re.search(r"([A-Za-z.]+)\.$", text[start:end])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
        piece = text[start:end].strip()
        if piece:
            sentences.extend(_split_long(piece))
        start = end
    tail = text[start:].strip()
    if tail:
        sentences.extend(_split_long(tail))
    return sentences


def split_units(text: str) -> list[str]:
    """Translation units of one line: the line itself when short enough, else its sentences."""
    stripped = text.strip()
    if not stripped:
        return []
    return [stripped] if len(stripped) <= MAX_UNIT_CHARS else split_sentences(stripped)


def segment(text: str) -> list[Line]:
    raw_lines = text.splitlines(keepends=True)
    lines = [raw.rstrip("\r\n") for raw in raw_lines]
    ends = [raw[len(line):] for raw, line in zip(raw_lines, lines, strict=True)]
    out: list[Line] = []
    in_history = False
    for i, line in enumerate(lines):
        in_history = in_history or _is_history_start(lines, i)
        if (in_history or _QUOTED_LINE.match(line) or _SIGNATURE_DELIMITER.match(line)
                or not _HAS_WORDS.search(line)):
            out.append(Line(end=ends[i], verbatim=line))
            continue
        marker = _LIST_MARKER.match(line)
        prefix = marker.group(1) if marker else line[:len(line) - len(line.lstrip())]
        body = line[len(prefix):]
        content = body.rstrip()
        out.append(Line(end=ends[i], prefix=prefix, sentences=split_units(content),
                        suffix=body[len(content):]))
    return out


def render(lines: list[Line], translations: dict[str, str], target: str) -> str:
    joiner = "" if joins_without_space(target) else " "
    parts: list[str] = []
    for line in lines:
        if line.verbatim is not None:
            parts.append(line.verbatim + line.end)
            continue
        body = joiner.join(translations[s] for s in line.sentences)
        parts.append(line.prefix + body + line.suffix + line.end)
    return "".join(parts)


def sentences_of(lines: list[Line]) -> list[str]:
    """Distinct units in order of appearance (each is translated once per text)."""
    return list(dict.fromkeys(s for line in lines for s in line.sentences))
