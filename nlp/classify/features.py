"""Turns a ticket text into the token string the supervised fastText model reads and is trained on.

fastText splits on spaces only. Chinese, Japanese and Thai have none, so their characters are
spaced out and the model's word bigrams become character bigrams; casefolding and the removal of
quoted history, URLs and codes (the same cleaning as language ID) keep the vocabulary small.
"""

import re
from typing import Final

from nlp.textclean import clean_for_detection

_UNSPACED: Final = re.compile(r"([\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")
_PUNCT: Final = re.compile(r"[^\w\s'-]+")
_SPACES: Final = re.compile(r"\s+")


def model_tokens(text: str) -> str:
    text = clean_for_detection(text).casefold()
    text = _PUNCT.sub(" ", text)
    text = _UNSPACED.sub(r" \1 ", text)
    return _SPACES.sub(" ", text).strip()
