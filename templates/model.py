"""Template definitions, stored variants and the previews the console shows (pydantic models)."""

import hashlib
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class TemplateError(ValueError):
    """Base of every template problem; the message is meant for the agent or supervisor."""


class UnknownTemplateError(TemplateError):
    pass


class MissingVariablesError(TemplateError):
    def __init__(self, label: str, missing: list[str], labels: dict[str, str] | None = None) -> None:
        self.missing = missing
        labels = labels or {}
        named = ", ".join(f"{name} ({labels[name]})" if name in labels else name for name in missing)
        super().__init__(f"{label}: missing value for {named}; nothing was rendered")


class NoTranslationPathError(TemplateError):
    """No approved variant and no machine-translation path into the language."""


class PlaceholderError(TemplateError):
    """Machine translation lost, duplicated or invented a placeholder; the draft is refused."""


class VariantStatus(StrEnum):
    APPROVED = "approved"
    DRAFT = "draft"  # machine translation awaiting a supervisor


class Availability(StrEnum):
    """What an agent gets for a (template, language)."""

    SOURCE = "source"  # the language is the internal one: the Chinese text itself
    APPROVED = "approved"
    DRAFT = "draft"
    STALE = "stale"  # only a variant of an older Chinese text exists: needs re-translation/approval
    MISSING = "missing"


def source_hash(text: str) -> str:
    """Identifies the Chinese text a variant was made from; edits to the source make variants stale."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class TemplateVariable(BaseModel):
    name: str
    label: str = ""  # Chinese label for the agent's form
    example: str = ""


class CatalogVariant(BaseModel):
    """A variant shipped in the catalog YAML (reviewed in git together with its source)."""

    text: str
    status: VariantStatus = VariantStatus.APPROVED
    approved_by: str = ""


class TemplateDef(BaseModel):
    name: str
    title: str
    description: str = ""
    domains: list[str] = Field(default_factory=list)  # empty: offered for every request domain
    industry: str | None = None  # glossary selection for machine drafts
    language: str = "zh"
    variables: list[TemplateVariable] = Field(default_factory=list)
    text: str
    variants: dict[str, CatalogVariant] = Field(default_factory=dict)
    path: str = ""

    @property
    def source_hash(self) -> str:
        return source_hash(self.text)

    @property
    def variable_names(self) -> list[str]:
        return [v.name for v in self.variables]

    def labels(self) -> dict[str, str]:
        return {v.name: v.label for v in self.variables if v.label}

    def offered_for(self, domain: str | None) -> bool:
        return not domain or not self.domains or domain in self.domains


class VariantRecord(BaseModel):
    """A variant in the store: a machine draft, or a supervisor-approved (possibly edited) text."""

    template: str
    language: str
    text: str
    status: VariantStatus
    source_hash: str
    engine: str = ""
    model_id: str = ""
    glossary_version: str = ""
    detail: str = ""
    edited: bool = False  # a person changed the machine draft before approving
    created_by: str = ""
    approved_by: str | None = None
    approved_at: datetime | None = None
    updated_at: datetime | None = None
    revision: int = 1


class ResolvedVariant(BaseModel):
    template: str
    language: str
    availability: Availability
    text: str | None = None  # the Jinja text to render; None when MISSING/STALE
    origin: str = ""  # "catalog", "store" or "source"
    record: VariantRecord | None = None
    detail: str = ""


class TemplateChoice(BaseModel):
    """One line of the console's template picker."""

    name: str
    title: str
    description: str = ""
    domains: list[str] = Field(default_factory=list)
    variables: list[TemplateVariable] = Field(default_factory=list)
    language: str
    availability: Availability
    matches_domain: bool = True


class ReplyPreview(BaseModel):
    """What the agent sees before sending: the Chinese text and the customer's text side by side."""

    template: str
    language: str
    internal_language: str
    variables: dict[str, str]
    internal_text: str
    customer_text: str | None = None  # None: no variant, the reply is machine-translated at send time
    availability: Availability
    detail: str = ""

    @property
    def approved(self) -> bool:
        return self.availability in (Availability.APPROVED, Availability.SOURCE)
