"""The languages Lingodesk identifies, the scripts they are written in, and priors about them."""

from typing import Final

# ISO 639-1 codes, the order of the issue. Anything else is answered `und` (goes to triage).
SUPPORTED: Final[tuple[str, ...]] = (
    "zh", "en", "ja", "ko", "th", "vi", "id", "ms", "tl", "ar", "he", "fa", "tr", "ru", "uk", "pl",
    "cs", "de", "fr", "es", "pt", "it", "nl", "sv", "da", "no", "fi", "el", "ro", "hu", "hi", "bn",
)

# fastText lid.176 labels that are a variety or an alias of a supported language.
FASTTEXT_ALIASES: Final[dict[str, str]] = {
    "yue": "zh", "wuu": "zh", "arz": "ar", "nn": "no", "nb": "no", "fil": "tl", "iw": "he",
    "in": "id", "pes": "fa",
}

# Which supported languages each script can mean. A script with one candidate decides alone.
SCRIPT_LANGUAGES: Final[dict[str, tuple[str, ...]]] = {
    "Hani": ("zh", "ja"),
    "Kana": ("ja",),
    "Hang": ("ko",),
    "Thai": ("th",),
    "Arab": ("ar", "fa"),
    "Hebr": ("he",),
    "Cyrl": ("ru", "uk"),
    "Grek": ("el",),
    "Deva": ("hi",),
    "Beng": ("bn",),
    "Latn": ("en", "vi", "id", "ms", "tl", "tr", "pl", "cs", "de", "fr", "es", "pt", "it", "nl", "sv",
             "da", "no", "fi", "ro", "hu"),
}

# Weak prior by number of likely customers, used only to break near-ties on short texts
# (Indonesian vs Malay, Spanish vs Portuguese...). Relative, not probabilities; 1.0 = neutral.
POPULATION_PRIOR: Final[dict[str, float]] = {"zh": 2.5, "ja": 1.0}

# Official or dominant languages of a customer's country (ISO 3166-1 alpha-2), first = most likely.
COUNTRY_LANGUAGES: Final[dict[str, tuple[str, ...]]] = {
    "CN": ("zh",), "TW": ("zh",), "HK": ("zh", "en"), "MO": ("zh",), "SG": ("en", "zh", "ms"),
    "US": ("en", "es"), "GB": ("en",), "IE": ("en",), "AU": ("en",), "NZ": ("en",), "CA": ("en", "fr"),
    "IN": ("hi", "en", "bn"), "BD": ("bn",), "PK": ("en",), "NG": ("en",), "ZA": ("en",), "KE": ("en",),
    "JP": ("ja",), "KR": ("ko",), "TH": ("th",), "VN": ("vi",), "ID": ("id",), "MY": ("ms", "en", "zh"),
    "BN": ("ms",), "PH": ("tl", "en"), "SA": ("ar",), "AE": ("ar", "en"), "EG": ("ar",), "MA": ("ar", "fr"),
    "DZ": ("ar", "fr"), "TN": ("ar", "fr"), "IQ": ("ar",), "JO": ("ar",), "KW": ("ar",), "QA": ("ar",),
    "OM": ("ar",), "BH": ("ar",), "LB": ("ar", "fr"), "IL": ("he",), "IR": ("fa",), "AF": ("fa",),
    "TR": ("tr",), "RU": ("ru",), "BY": ("ru",), "KZ": ("ru",), "UA": ("uk", "ru"), "PL": ("pl",),
    "CZ": ("cs",), "DE": ("de",), "AT": ("de",), "CH": ("de", "fr", "it"), "LI": ("de",),
    "FR": ("fr",), "BE": ("nl", "fr"), "LU": ("fr", "de"), "MC": ("fr",), "ES": ("es",), "MX": ("es",),
    "AR": ("es",), "CO": ("es",), "CL": ("es",), "PE": ("es",), "VE": ("es",), "EC": ("es",),
    "BR": ("pt",), "PT": ("pt",), "AO": ("pt",), "MZ": ("pt",), "IT": ("it",), "SM": ("it",),
    "NL": ("nl",), "SE": ("sv",), "DK": ("da",), "NO": ("no",), "FI": ("fi", "sv"), "GR": ("el",),
    "CY": ("el", "tr"), "RO": ("ro",), "MD": ("ro",), "HU": ("hu",),
}
