"""Spans that must come out of translation byte-identical: URLs, e-mails, amounts, dates, codes.

Found in two passes so glossary terms can sit between them: the unambiguous kinds (URL, e-mail,
amount with currency, numeric date) first, then glossary terms, then codes (order/tracking
numbers, SKUs, model numbers) in what is left, so a glossary term such as "M8螺丝" wins over the
code "M8" inside it.

Dates and amounts written with CJK words ("5月1日", "100元") are left to the model on purpose:
they are language, not identifiers, and "May 1" reads better to the customer than "5月1日".
"""

import re
from dataclasses import dataclass
from enum import StrEnum


class SpanKind(StrEnum):
    URL = "url"
    EMAIL = "email"
    AMOUNT = "amount"
    DATE = "date"
    CODE = "code"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: SpanKind

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


_TRAILING = ".,;:!?)]}'\"”’》」』）。，；：！？"
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'，。！？；：、（）《》「」【】]+", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_CURRENCY_CODES = r"USD|EUR|GBP|JPY|CNY|RMB|HKD|KRW|AUD|CAD|CHF|SGD|TWD|INR"
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"(?:(?:US|HK|NT|A|C|S)?\$|[€£¥￥₩₹]|(?<![A-Za-z])(?:{_CURRENCY_CODES})\s?)(?:{_NUMBER})"
    rf"|(?:{_NUMBER})\s?(?:{_CURRENCY_CODES})(?![A-Za-z])"
)
_DATE = re.compile(
    r"(?<!\d)(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4})(?!\d)"
)
# An identifier-like run of ASCII letters/digits (inner - _ / . allowed) bounded by anything that is
# not an ASCII letter/digit, so "订单SF123456789已发货" yields SF123456789.
_RUN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9](?:[A-Za-z0-9_\-/.]*[A-Za-z0-9])?(?![A-Za-z0-9])")


def _is_code(token: str) -> bool:
    has_digit = any(c.isdigit() for c in token)
    has_letter = any(c.isalpha() for c in token)
    if has_digit and has_letter:
        return True  # SF123456789, XL-2000, M8, 5G, B07XYZ1234
    if has_digit:
        digits = sum(c.isdigit() for c in token)
        # Long digit runs are order/tracking numbers; short ones are quantities and years.
        return digits >= 6 or (digits >= 5 and not re.fullmatch(r"\d+(?:\.\d+)?", token))
    return False


def _strip_trailing(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return end


def _add(found: list[Span], start: int, end: int, kind: SpanKind) -> None:
    if end > start and not any(s.overlaps(start, end) for s in found):
        found.append(Span(start, end, kind))


def find_strong_spans(text: str) -> list[Span]:
    """URLs, e-mail addresses, amounts with currency and numeric dates, sorted, non-overlapping."""
    found: list[Span] = []
    for match in _URL.finditer(text):
        _add(found, match.start(), _strip_trailing(text, match.start(), match.end()), SpanKind.URL)
    for match in _EMAIL.finditer(text):
        _add(found, match.start(), match.end(), SpanKind.EMAIL)
    for match in _AMOUNT.finditer(text):
        _add(found, match.start(), match.end(), SpanKind.AMOUNT)
    for match in _DATE.finditer(text):
        _add(found, match.start(), match.end(), SpanKind.DATE)
    return sorted(found, key=lambda s: s.start)


def find_code_spans(text: str, taken: list[tuple[int, int]]) -> list[Span]:
    """Order/tracking numbers, SKUs and model numbers outside the already `taken` ranges."""
    found: list[Span] = []
    for match in _RUN.finditer(text):
        start, end = match.start(), match.end()
        # "v2.0." at a sentence end: the final dot is punctuation, not part of the code.
        end = _strip_trailing(text, start, end)
        if any(s < end and start < e for s, e in taken) or not _is_code(text[start:end]):
            continue
        found.append(Span(start, end, SpanKind.CODE))
    return found
