"""Language codes and the script facts the pipeline needs (spacing, case, width)."""

PIVOT_LANGUAGE = "en"

# Written without spaces between words: sentences are joined without a space, and glossary
# terms match anywhere (no word boundaries).
NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})

# Scripts with letter case: glossary matching ignores case, and a term that starts an output
# sentence is capitalised.
CASED_SCRIPT_LANGUAGES = frozenset({
    "en", "de", "fr", "es", "pt", "it", "nl", "sv", "da", "no", "nb", "fi", "pl", "cs", "sk", "sl", "hr",
    "ro", "hu", "tr", "id", "ms", "vi", "ru", "uk", "bg", "sr", "el", "ca", "et", "lv", "lt",
})

# Country/script variants that the installed models treat as the base language.
_ALIASES = {
    "zho": "zh", "cmn": "zh", "chi": "zh", "eng": "en", "jpn": "ja", "kor": "ko", "deu": "de", "ger": "de",
    "fra": "fr", "fre": "fr", "spa": "es", "por": "pt", "ita": "it", "rus": "ru", "arb": "ar", "ara": "ar",
    "tha": "th", "vie": "vi", "ind": "id", "tur": "tr",
}


def normalize_lang(code: str) -> str:
    """`zh-CN`, `zh_Hans`, `zho_Hans`, `ZH` -> `zh`; unknown codes pass through lower-cased."""
    base = code.strip().replace("_", "-").split("-", 1)[0].lower()
    return _ALIASES.get(base, base)


def joins_without_space(lang: str) -> bool:
    return normalize_lang(lang) in NO_SPACE_LANGUAGES


def has_case(lang: str) -> bool:
    return normalize_lang(lang) in CASED_SCRIPT_LANGUAGES
