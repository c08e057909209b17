"""Hand-written UI strings of the customer pages (strings.yaml) and the choice of language.

The page language is, in order: the one the customer chose (?lang=), the ticket's detected
language, the browser's Accept-Language, English. Arabic is written right to left.
"""

from functools import lru_cache
from pathlib import Path
from typing import Final

import yaml

STRINGS_FILE: Final = Path(__file__).with_name("strings.yaml")
SUPPORTED: Final = ("en", "zh", "de", "es", "fr", "ja", "ko", "th", "ar")
RTL: Final = frozenset({"ar", "he", "fa", "ur"})
DEFAULT: Final = "en"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(STRINGS_FILE.read_text(encoding="utf-8"))
    return {lang: {str(k): str(v) for k, v in data[lang].items()} for lang in SUPPORTED}


def base_language(code: str | None) -> str | None:
    """ "zh-CN" -> "zh", "pt_BR" -> "pt"; None for empty or non-language values."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base.isalpha() and 2 <= len(base) <= 3 else None


def supported(code: str | None) -> str | None:
    base = base_language(code)
    return base if base in SUPPORTED else None


def from_accept_language(header: str | None) -> str | None:
    """The best supported language of an Accept-Language header ("de-DE,de;q=0.9,en;q=0.8")."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")[:20]):
        code, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        lang = supported(code)
        if lang and quality > 0:
            ranked.append((-quality, index, lang))
    return min(ranked)[2] if ranked else None


def pick_language(
    chosen: str | None, ticket_language: str | None = None, accept_language: str | None = None
) -> str:
    return supported(chosen) or supported(ticket_language) or from_accept_language(accept_language) or DEFAULT


def direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


def t(lang: str, key: str, **values: str) -> str:
    """The string `key` in `lang` (English where a language lacks it), with {placeholders} filled."""
    strings = catalog()
    text = strings.get(lang, {}).get(key) or strings[DEFAULT][key]
    return text.format(**values) if values else text


def language_choices() -> list[tuple[str, str]]:
    """(code, native name) for the language chooser."""
    return [(lang, catalog()[lang]["lang_name"]) for lang in SUPPORTED]
