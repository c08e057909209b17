"""Reply preview: the agent's Chinese text translated into the customer's language.

One small function over `nlp.factory.build_translator()`; any failure (no model for the pair,
engine not installed, a model error) becomes an explicit "no translation" preview.
"""

from collections.abc import Callable

from pydantic import BaseModel, Field

from domain.nlp import AppliedTerm, TranslateRequest, TranslationResult, TranslationState
from runtime.settings import get_settings

TranslateFn = Callable[[TranslateRequest], TranslationResult]


class Preview(BaseModel):
    available: bool
    text: str | None = None
    target: str
    applied_terms: list[AppliedTerm] = Field(default_factory=list)
    engine: str = ""
    detail: str = ""


def _service_translate(req: TranslateRequest) -> TranslationResult:
    from nlp.factory import build_translator

    return build_translator().translate(req)


_translate: TranslateFn = _service_translate


def set_translate_fn(fn: TranslateFn | None) -> None:
    """Swap the translator (tests); None restores the real service."""
    global _translate
    _translate = fn or _service_translate


def preview_reply(text: str, target: str, domain: str | None = None, industry: str | None = None) -> Preview:
    source = get_settings().internal_language
    if target == source:
        return Preview(available=True, text=text, target=target, detail="same language")
    try:
        result = _translate(
            TranslateRequest(text=text, source=source, target=target, domain=domain, industry=industry)
        )
    except Exception as exc:  # a broken engine must read as "no translation", not crash the page
        return Preview(available=False, target=target, detail=f"{type(exc).__name__}: {exc}")
    ok = (
        result.state in (TranslationState.TRANSLATED, TranslationState.NOT_NEEDED) and result.text is not None
    )
    return Preview(
        available=ok,
        text=result.text if ok else None,
        target=target,
        applied_terms=result.applied_terms,
        engine=result.engine,
        detail=result.detail or str(result.state),
    )
