"""Machine drafts of template variants: protect placeholders, translate with glossaries, verify.

A translation model would happily translate `{{ order_id }}` or drop its braces, so every Jinja
expression is swapped for a numbered token before translation and swapped back afterwards.
The token (`VAR1`, `VAR2`...) is a letters+digits code: the translation pipeline already keeps
such codes byte-identical (order numbers, SKUs), and models copy them through. One token per
occurrence, so a lost, duplicated or invented token is detected and the draft refused instead
of shipping a reply with a hole in it.
"""

import re
from datetime import UTC, datetime
from typing import NamedTuple

from domain.nlp import TranslateRequest, TranslationState
from nlp.protocols import Translator
from templates.model import (
    NoTranslationPathError,
    PlaceholderError,
    TemplateDef,
    TemplateError,
    VariantRecord,
    VariantStatus,
)
from templates.render import template_variables

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
# Tolerates what models do to a code: re-casing and inner spaces ("var 1", "VAR 1").
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[Vv]\s?[Aa]\s?[Rr]\s?(\d{1,3})(?![0-9])")


class ProtectedText(NamedTuple):
    text: str
    slots: dict[int, str]  # token number -> the original Jinja markup


def protect_placeholders(text: str) -> ProtectedText:
    if _TOKEN.search(text):
        raise TemplateError("source text contains a VAR<n> code, which is reserved for placeholder tokens")
    slots: dict[int, str] = {}

    def swap(match: re.Match[str]) -> str:
        number = len(slots) + 1
        slots[number] = match.group(0)
        return f"VAR{number}"

    return ProtectedText(_JINJA.sub(swap, text), slots)


def restore_placeholders(translated: str, slots: dict[int, str], label: str) -> str:
    counts: dict[int, int] = {}
    for match in _TOKEN.finditer(translated):
        counts[int(match.group(1))] = counts.get(int(match.group(1)), 0) + 1
    lost = [slots[n] for n in sorted(slots) if counts.get(n, 0) == 0]
    doubled = [slots[n] for n in sorted(slots) if counts.get(n, 0) > 1]
    invented = sorted(n for n in counts if n not in slots)
    problems = [f"lost {', '.join(lost)}"] if lost else []
    problems += [f"duplicated {', '.join(doubled)}"] if doubled else []
    problems += [f"invented token VAR{n}" for n in invented]
    if problems:
        raise PlaceholderError(f"{label}: machine translation damaged placeholders ({'; '.join(problems)}); "
                               "draft refused, translate this variant by hand")
    return _TOKEN.sub(lambda m: slots[int(m.group(1))], translated)


def machine_translate(template: TemplateDef, language: str, translator: Translator,
                      industry: str | None = None, by: str = "machine") -> VariantRecord:
    """A DRAFT variant of `template` in `language`; raises when no path exists or placeholders broke."""
    label = f"{template.name} [{template.language}->{language}]"
    protected = protect_placeholders(template.text)
    request = TranslateRequest(text=protected.text, source=template.language, target=language,
                               domain=template.domains[0] if template.domains else None,
                               industry=industry or template.industry)
    result = translator.translate(request)
    if result.state is TranslationState.UNAVAILABLE:
        raise NoTranslationPathError(f"{label}: no approved variant and no translation path: "
                                     f"{result.detail}")
    if result.state not in (TranslationState.TRANSLATED, TranslationState.NOT_NEEDED) or result.text is None:
        raise TemplateError(f"{label}: machine translation {result.state}: {result.detail}")
    text = restore_placeholders(result.text, protected.slots, label).strip()
    # The restored text must still be valid Jinja using exactly the source's variables.
    if template_variables(text, label) != template_variables(template.text, label):
        raise PlaceholderError(f"{label}: placeholders changed in translation; draft refused")
    return VariantRecord(
        template=template.name, language=language, text=text, status=VariantStatus.DRAFT,
        source_hash=template.source_hash, engine=result.engine, model_id=result.model_id,
        glossary_version=result.glossary_version, detail=result.detail, created_by=by,
        updated_at=datetime.now(UTC),
    )
