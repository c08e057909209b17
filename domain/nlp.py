"""Requests and results of the NLP activities (language ID, classification, translation)."""

from enum import StrEnum

from pydantic import BaseModel, Field

UNDETERMINED = "und"


class DetectLanguageRequest(BaseModel):
    text: str
    # Prior evidence for short texts: languages of the customer's earlier messages, their country.
    prior_languages: list[str] = Field(default_factory=list)
    country: str | None = None


class LanguageDetection(BaseModel):
    language: str = UNDETERMINED
    confidence: float = 0.0
    reliable: bool = False
    mixed: bool = False
    shares: dict[str, float] = Field(default_factory=dict)
    script: str | None = None
    method: str = ""


class RequestDomain(StrEnum):
    ORDER_INQUIRY = "order_inquiry"
    LOGISTICS = "logistics"
    AFTER_SALES = "after_sales"
    TECHNICAL_SUPPORT = "technical_support"
    BILLING = "billing"
    PRE_SALES = "pre_sales"
    COMPLAINT = "complaint"
    OTHER = "other"


class Industry(StrEnum):
    ELECTRONICS = "electronics"
    MACHINERY = "machinery"
    LIGHT_INDUSTRY = "light_industry"


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class ClassifyRequest(BaseModel):
    text: str
    language: str = UNDETERMINED
    translated_text: str | None = None


class Classification(BaseModel):
    domain: RequestDomain = RequestDomain.OTHER
    confidence: float = 0.0
    reliable: bool = False
    industry: Industry | None = None
    urgency: Urgency = Urgency.NORMAL
    sentiment: float = 0.0
    layer: str = ""


class TranslationState(StrEnum):
    NOT_NEEDED = "not_needed"  # already in the target language
    TRANSLATED = "translated"
    UNAVAILABLE = "unavailable"  # no model path for the pair: shown explicitly, never silent English
    FAILED = "failed"
    PENDING = "pending"


class AppliedTerm(BaseModel):
    source: str
    target: str
    concept_domain: str = ""
    present: bool = True


class TranslateRequest(BaseModel):
    text: str
    source: str
    target: str
    domain: str | None = None
    industry: str | None = None


class TranslationResult(BaseModel):
    state: TranslationState
    text: str | None = None
    source: str = ""
    target: str = ""
    engine: str = ""
    model_id: str = ""
    glossary_version: str = ""
    applied_terms: list[AppliedTerm] = Field(default_factory=list)
    path: list[str] = Field(default_factory=list)
    detail: str = ""
