"""Translates masked sentences along a path of models and puts the slots back.

Placeholders travel through every leg (a pivot zh->en->de keeps "TERM0" in the English middle)
and are restored once, in the final language. Sentences whose only slots are protected spans
are first sent as written and accepted when every span came out byte-identical. When the model
drops, duplicates or mangles a placeholder, the sentence is tried once more with a second
placeholder style (models lose different forms in different contexts); if that fails too, it is
translated around its slots: the text between them is translated piece by piece and the slot
values are put between the pieces, so the glossary term and the protected text are still there,
at some cost in fluency.
"""

import re
from dataclasses import dataclass

from nlp.translate.engine import ModelPool
from nlp.translate.langs import joins_without_space
from nlp.translate.paths import TranslationPath
from nlp.translate.placeholders import MaskedSentence, PlaceholderStyle, intact
from nlp.translate.restore import restore

_HAS_WORDS = re.compile(r"[^\W_]")
_CJK_PUNCT = str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "：": ":", "；": ";", "、": ",",
                            "（": "(", "）": ")", "“": '"', "”": '"'})
_TERMINATORS = {".", "。", "!", "！", "?", "？"}
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.!?;:)])")


def _fragment(source: str, translation: str) -> str:
    # Models end every input with a full stop; a piece cut out of a sentence must not get one.
    if source[-1:] in _TERMINATORS:
        return translation
    return translation.rstrip("".join(_TERMINATORS)).rstrip()


def _decapitalize(fragment: str) -> str:
    # Models capitalise every input as a sentence start; mid-sentence pieces must not be
    # ("Flange Between gasket"). Words with more capitals (iPhone, USB, Zhang) are left alone.
    word = fragment.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:].islower() and word != "I":
        return fragment[0].lower() + fragment[1:]
    return fragment


_CLOSING = "”’\"』」）)】 "
# Up to this many characters, a source line without a final mark is taken for a greeting, a
# heading or a signature ("张伟", "Best regards"), and the model's added full stop is removed.
MAX_UNPUNCTUATED_FRAGMENT = 24
_CLOSERS = {",": ",", "，": ",", "、": ",", ":": ":", "：": ":", ";": ";", "；": ";"}


def match_final_punctuation(source: str, translation: str, target: str) -> str:
    """Models end everything with a full stop; a greeting "您好，" or a signature name must not.

    When the source line does not end a sentence, the model's final "." becomes the source's
    comma/colon (in the target's style) or is dropped.
    """
    # The last character that is not a closing quote/bracket: '“……高。”' ends a sentence.
    end = source.rstrip().rstrip(_CLOSING)[-1:]
    if not translation.endswith((".", "。")) or translation.endswith("...") or end in _TERMINATORS | {"…"}:
        return translation
    closer = _CLOSERS.get(end, "")
    if not closer and len(source.strip()) > MAX_UNPUNCTUATED_FRAGMENT:
        # A long line without a final mark is a sentence whose writer left the full stop out,
        # not a greeting or a signature: the model's full stop stays.
        return translation
    body = translation[:-1]
    if closer and joins_without_space(target):
        closer = {",": "，", ":": "：", ";": "；"}[closer]
    return body + closer


@dataclass(frozen=True)
class SentenceOutcome:
    text: str
    around: bool  # True when the placeholders did not survive and the fallback was used


class PathTranslator:
    def __init__(self, path: TranslationPath, pool: ModelPool, style: PlaceholderStyle,
                 retry_style: PlaceholderStyle | None = None) -> None:
        self.path = path
        self.pool = pool
        self.style = style
        self.retry_style = retry_style
        self.target = path.legs[-1].target

    def translate_plain(self, sentences: list[str]) -> list[str]:
        texts = sentences
        for leg in self.path.legs:
            texts = self.pool.get(leg.model).translate(texts, leg.source, leg.target)
        return texts

    def translate_masked(self, masked: list[MaskedSentence]) -> list[SentenceOutcome]:
        plans = [self._plan(item) for item in masked]
        outcomes: list[SentenceOutcome | None] = [None] * len(masked)
        for step in range(max((len(p) for p in plans), default=0)):
            todo = [i for i, plan in enumerate(plans) if outcomes[i] is None and step < len(plan)]
            if not todo:
                break
            texts = [self._render(masked[i], plans[i][step]) for i in todo]
            for i, output in zip(todo, self.translate_plain(texts), strict=True):
                text = self._accept(masked[i], plans[i][step], output)
                if text is not None:
                    text = match_final_punctuation(masked[i].source, text, self.target)
                    outcomes[i] = SentenceOutcome(text, False)
        broken = [i for i, outcome in enumerate(outcomes) if outcome is None]
        if broken:
            repaired = self._translate_around([masked[i] for i in broken])
            for i, text in zip(broken, repaired, strict=True):
                text = match_final_punctuation(masked[i].source, text, self.target)
                outcomes[i] = SentenceOutcome(text, True)
        return [o for o in outcomes if o is not None]

    def _plan(self, item: MaskedSentence) -> list[PlaceholderStyle | None]:
        """Attempts in order; None = the sentence as written, checked afterwards.

        Sentences whose only slots are protected spans go as written first: the model copies
        most codes and URLs anyway, and a placeholder costs some fluency. Glossary terms always
        need placeholders (the model would use its own word).
        """
        styles: list[PlaceholderStyle | None] = [self.style]
        if self.retry_style is not None:
            styles.append(self.retry_style)
        if not item.slots:
            return [None]
        return styles if item.has_terms else [None, *styles]

    @staticmethod
    def _render(item: MaskedSentence, style: PlaceholderStyle | None) -> str:
        if style is None:
            return item.source
        return "".join(style.token(c) if isinstance(c, int) else c for c in item.chunks)

    def _accept(self, item: MaskedSentence, style: PlaceholderStyle | None, output: str) -> str | None:
        """The finished sentence, or None when this attempt lost something."""
        if style is None:
            return output if all(slot.source_text in output for slot in item.slots) else None
        if intact(output, item, style):
            return restore(output, item, style, self.target)
        return None

    def _translate_around(self, masked: list[MaskedSentence]) -> list[str]:
        spaced = not joins_without_space(self.target)
        pieces = sorted({c.strip() for m in masked for c in m.chunks
                         if isinstance(c, str) and _HAS_WORDS.search(c)})
        translated = {piece: _fragment(piece, text)
                      for piece, text in zip(pieces, self.translate_plain(pieces), strict=True)}
        results: list[str] = []
        for item in masked:
            parts: list[str] = []
            for chunk in item.chunks:
                if isinstance(chunk, int):
                    parts.append(self.style.token(chunk))
                elif _HAS_WORDS.search(chunk):
                    piece = translated[chunk.strip()]
                    parts.append(_decapitalize(piece) if parts else piece)
                else:
                    parts.append(chunk.strip().translate(_CJK_PUNCT) if spaced else chunk.strip())
            joined = (" " if spaced else "").join(p for p in parts if p)
            if spaced:
                joined = _SPACE_BEFORE_PUNCT.sub(r"\1", joined)
            results.append(restore(joined, item, self.style, self.target))
        return results
