"""The functions the console (and the CLI) call to list, preview, draft and approve template replies.

Which text a customer gets for (template, language), best first:
1. an approved variant in the store made from the current Chinese source (a supervisor's edit),
2. an approved variant shipped in the catalog,
3. a machine draft in the store (shown, clearly marked, never sent unless the agent confirms it),
4. nothing: the reply goes out machine-translated at send time, like any free-text reply.
A store variant made from an older Chinese source is "stale" and skipped until re-approved.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from domain.actions import ReplyRequest
from nlp.protocols import Translator
from templates.loader import TemplateCatalog
from templates.model import (
    Availability,
    ReplyPreview,
    ResolvedVariant,
    TemplateChoice,
    TemplateDef,
    TemplateError,
    VariantRecord,
    VariantStatus,
)
from templates.render import render_text, template_variables
from templates.store import VariantStore
from templates.translate_variants import machine_translate

_RANK = {Availability.SOURCE: 0, Availability.APPROVED: 0, Availability.DRAFT: 1, Availability.STALE: 2,
         Availability.MISSING: 2}


class TemplateService:
    def __init__(self, catalog: TemplateCatalog, store: VariantStore | None = None,
                 translator: Translator | None = None,
                 translator_factory: Callable[[], Translator] | None = None) -> None:
        self.catalog = catalog
        self.store = store
        self._translator = translator
        # The CLI passes a factory so translation models load only when a draft is really needed.
        self._translator_factory = translator_factory

    # ------------------------------------------------------------------ lookup
    def resolve(self, name: str, language: str) -> ResolvedVariant:
        template = self.catalog.get(name)
        base = ResolvedVariant(template=name, language=language, availability=Availability.MISSING)
        if language == template.language:
            return base.model_copy(update={"availability": Availability.SOURCE, "text": template.text,
                                           "origin": "source"})
        record = self.store.get(name, language) if self.store is not None else None
        current = record is not None and record.source_hash == template.source_hash
        if record is not None and current and record.status is VariantStatus.APPROVED:
            return base.model_copy(update={"availability": Availability.APPROVED, "text": record.text,
                                           "origin": "store", "record": record})
        shipped = template.variants.get(language)
        if shipped is not None and shipped.status is VariantStatus.APPROVED:
            return base.model_copy(update={"availability": Availability.APPROVED, "text": shipped.text,
                                           "origin": "catalog"})
        if record is not None and current:
            return base.model_copy(update={"availability": Availability.DRAFT, "text": record.text,
                                           "origin": "store", "record": record,
                                           "detail": "unapproved machine translation"})
        if shipped is not None:
            return base.model_copy(update={"availability": Availability.DRAFT, "text": shipped.text,
                                           "origin": "catalog", "detail": "unapproved draft"})
        if record is not None:
            return base.model_copy(update={
                "availability": Availability.STALE, "record": record,
                "detail": "the Chinese source changed after this variant was made"})
        return base

    def list_templates(self, domain: str | None, language: str) -> list[TemplateChoice]:
        """Templates for a request domain (plus domain-free ones), approved-in-language first."""
        choices = []
        for template in self.catalog:
            if not template.offered_for(domain):
                continue
            resolved = self.resolve(template.name, language)
            choices.append(TemplateChoice(
                name=template.name, title=template.title, description=template.description,
                domains=template.domains, variables=template.variables, language=language,
                availability=resolved.availability,
                matches_domain=bool(domain and domain in template.domains),
            ))
        return sorted(choices, key=lambda c: (_RANK[c.availability], not c.matches_domain, c.name))

    # ----------------------------------------------------------------- preview
    def preview(self, name: str, language: str, values: Mapping[str, object],
                translate_missing: bool = False, industry: str | None = None) -> ReplyPreview:
        """Both texts the agent sees; `translate_missing` makes (and stores) a machine draft if none."""
        template = self.catalog.get(name)
        labels = template.labels()
        internal = render_text(template.text, values, f"{name} [{template.language}]", labels)
        resolved = self.resolve(name, language)
        detail = resolved.detail
        if resolved.text is None and translate_missing:
            record = self.draft(name, language, industry=industry)
            resolved = self.resolve(name, language)
            if resolved.text is None:  # no store to keep the draft in: use it for this preview only
                resolved = resolved.model_copy(update={
                    "availability": Availability.DRAFT, "text": record.text, "record": record})
            detail = f"unapproved machine translation ({record.engine or 'engine'} {record.model_id})".strip()
        customer = None
        if resolved.text is not None:
            customer = render_text(resolved.text, values, f"{name} [{language}]", labels)
        return ReplyPreview(
            template=name, language=language, internal_language=template.language,
            variables={k: str(v) for k, v in values.items() if k in template.variable_names},
            internal_text=internal, customer_text=customer, availability=resolved.availability, detail=detail,
        )

    def reply_request(self, preview: ReplyPreview, agent_id: str, internal_text: str | None = None,
                      customer_text: str | None = None, request_id: str | None = None) -> ReplyRequest:
        """The `reply` update for a previewed template.

        The approved customer text goes along only while the Chinese text is the one previewed:
        an agent who edits the Chinese gets it machine-translated at send time. Text the agent
        edited (or confirmed) in the customer's language is sent as given.
        """
        text = internal_text if internal_text is not None else preview.internal_text
        unchanged = text.strip() == preview.internal_text.strip()
        if customer_text is None and unchanged and preview.availability is Availability.APPROVED:
            customer_text = preview.customer_text
        # Text edited from a machine draft: keep the draft so reports can measure post-editing.
        drafted = preview.availability in (Availability.DRAFT, Availability.STALE)
        machine = preview.customer_text if drafted and customer_text is not None else None
        return ReplyRequest(agent_id=agent_id, text=text, template=preview.template,
                            customer_text=customer_text, request_id=request_id, machine_text=machine)

    # ------------------------------------------------------ drafts and approval
    def translator(self) -> Translator:
        if self._translator is None and self._translator_factory is not None:
            self._translator = self._translator_factory()
        if self._translator is None:
            raise TemplateError("no translation engine configured")
        return self._translator

    def draft(self, name: str, language: str, industry: str | None = None,
              by: str = "machine") -> VariantRecord:
        """Machine-translates the source into a DRAFT (kept in the store when there is one)."""
        template = self.catalog.get(name)
        record = machine_translate(template, language, self.translator(), industry=industry, by=by)
        existing = self.store.get(name, language) if self.store is not None else None
        if existing is not None and existing.status is VariantStatus.APPROVED \
                and existing.source_hash == template.source_hash:
            raise TemplateError(f"{name} [{language}] already has an approved variant; edit it instead")
        if self.store is not None:
            record.revision = existing.revision + 1 if existing is not None else 1
            self.store.put(record)
        return record

    def approve(self, name: str, language: str, by: str, text: str | None = None) -> VariantRecord:
        """Approves the current draft, or `text` (a supervisor's own or edited translation)."""
        if self.store is None:
            raise TemplateError("no variant store: run `lingodesk db upgrade` to create the "
                                "template_variants table")
        if not by.strip():
            raise TemplateError("who approves is required")
        template = self.catalog.get(name)
        if language == template.language:
            raise TemplateError(f"{language} is the source language of {name}; edit the catalog instead")
        existing = self.store.get(name, language)
        if text is None:
            resolved = self.resolve(name, language)
            if resolved.text is None:
                raise TemplateError(f"{name} [{language}] has no draft to approve; pass the text to approve")
            text = resolved.text
        text = text.strip()
        _check_variant(template, language, text)
        draft_text = existing.text if existing is not None else None
        record = VariantRecord(
            template=name, language=language, text=text, status=VariantStatus.APPROVED,
            source_hash=template.source_hash,
            engine=existing.engine if existing is not None and draft_text == text else "human",
            model_id=existing.model_id if existing is not None and draft_text == text else "",
            glossary_version=existing.glossary_version if existing is not None else "",
            edited=draft_text is not None and draft_text != text,
            created_by=existing.created_by if existing is not None else by,
            approved_by=by, approved_at=datetime.now(UTC), updated_at=datetime.now(UTC),
            revision=existing.revision + 1 if existing is not None else 1,
        )
        return self.store.put(record)


def _check_variant(template: TemplateDef, language: str, text: str) -> None:
    label = f"{template.name} [{language}]"
    if not text:
        raise TemplateError(f"{label}: the variant text is empty")
    wanted, found = template_variables(template.text, label), template_variables(text, label)
    if found != wanted:
        missing, extra = sorted(wanted - found), sorted(found - wanted)
        raise TemplateError(f"{label}: placeholders must match the Chinese source"
                            + (f"; missing {missing}" if missing else "")
                            + (f"; unknown {extra}" if extra else ""))
