"""Decoding bytes and headers whose charset label is missing, wrong or a legacy alias.

Mail clients label text with names Python does not know ("windows-874", "x-sjis") or with a
smaller charset than the bytes use (Outlook says "gb2312" or "ks_c_5601-1987" and writes GBK /
CP949 characters). We map labels to the superset codec, as browsers do (WHATWG encoding
standard), and fall back step by step so a badly labelled mail still reads, never crashes.
"""

import codecs
import re
from email.header import decode_header

# Label -> the codec that decodes what senders really write under that label.
_SUPERSETS: dict[str, str] = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "csgb2312": "gb18030",
    "chinese": "gb18030",
    "gb_2312-80": "gb18030",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "cn-big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "ms_kanji": "cp932",
    "windows-31j": "cp932",
    "csshiftjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "csiso2022jp": "iso2022_jp_ext",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "korean": "cp949",
    "windows-949": "cp949",
    "tis-620": "cp874",
    "tis620": "cp874",
    "iso-8859-11": "cp874",
    "windows-874": "cp874",
    "x-windows-874": "cp874",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "ansi_x3.4-1968": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-8-i": "iso-8859-8",
    "iso-8859-6-i": "iso-8859-6",
    "iso-8859-6-e": "iso-8859-6",
    "x-mac-roman": "mac-roman",
    "macintosh": "mac-roman",
    "unicode-1-1-utf-7": "utf-7",
    "utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
}
# ISO-2022-JP variants in the wild (Microsoft adds half-width katakana, others JIS X 0212).
_FALLBACKS: dict[str, tuple[str, ...]] = {
    "iso2022_jp_ext": ("iso2022_jp_2", "iso2022_jp_3", "iso2022_jp_2004"),
    "cp932": ("shift_jis_2004",),
    "cp874": ("tis-620",),
}
_ASCII_LABELS = frozenset({"us-ascii", "ascii", "ansi_x3.4-1968", "iso-8859-1", "latin1"})
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.IGNORECASE
)


def codec_for(label: str | None) -> str | None:
    """The Python codec for a MIME charset label, or None when the label is unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = _SUPERSETS.get(key, key)
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def html_meta_charset(data: bytes) -> str | None:
    """The charset an HTML part declares in <meta>, for parts whose MIME header names none."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def decode_bytes(data: bytes, label: str | None, fallback: str | None = None) -> tuple[str, bool]:
    """Decode `data`; returns (text, exact). `exact` is False when characters had to be replaced."""
    candidates: list[str] = []
    codec = codec_for(label)
    if codec == "cp1252" and (label or "").strip().lower() in _ASCII_LABELS:
        # "us-ascii"/"iso-8859-1" on 8-bit text usually means a client that never set the label.
        candidates.append("utf-8")
    if codec:
        candidates += [codec, *_FALLBACKS.get(codec, ())]
    # Unlabelled or mislabelled 8-bit text is UTF-8 far more often than anything else today.
    candidates.append("utf-8")
    fallback_codec = codec_for(fallback)
    if fallback_codec:
        candidates.append(fallback_codec)
    for name in dict.fromkeys(candidates):
        try:
            return data.decode(name), True
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode(codec or fallback_codec or "cp1252", errors="replace"), False


def _raw_bytes(value: str) -> bytes:
    """Undo the surrogate-escaping the stdlib parser applies to unencoded 8-bit header bytes."""
    return value.encode("ascii", errors="surrogateescape")


def decode_header_value(value: object, fallback: str | None = None) -> str:
    """RFC 2047 encoded-words and raw 8-bit bytes in a header, decoded to one line of text."""
    if value is None:
        return ""
    text = str(value)
    try:
        chunks = decode_header(text)
    except Exception:  # a malformed encoded-word: keep the header as it came
        chunks = [(text, None)]
    parts: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            raw = _raw_bytes(chunk) if any("\udc80" <= ch <= "\udcff" for ch in chunk) else None
            parts.append(decode_bytes(raw, None, fallback)[0] if raw is not None else chunk)
        else:
            has_8bit = any(b > 0x7F for b in chunk)
            parts.append(decode_bytes(chunk, charset, fallback if has_8bit else None)[0])
    return " ".join("".join(parts).split())
