"""Machine drafts with protected placeholders, supervisor approval, reuse, staleness."""

import pytest

from domain.nlp import TranslationState
from templates.loader import TemplateCatalog
from templates.model import (
    Availability,
    NoTranslationPathError,
    PlaceholderError,
    TemplateError,
    VariantStatus,
)
from templates.service import TemplateService
from templates.store import MemoryVariantStore
from templates.translate_variants import protect_placeholders, restore_placeholders
from tests.templates.conftest import ORDER_VALUES, FakeTranslator

DUTCH = ("Goedendag,\n\nUw bestelling {{ order_id }} is verzonden. "
         "Het trackingnummer is {{ tracking_number }}.\n\nMet vriendelijke groet,\nKlantenservice")


def test_protect_and_restore_round_trip() -> None:
    protected = protect_placeholders("订单 {{ order_id }}，单号 {{tracking_number}}，再说一次 {{ order_id }}")
    assert protected.text == "订单 VAR1，单号 VAR2，再说一次 VAR3"
    assert restore_placeholders("Order var 1, no. VAR2, again VAR3", protected.slots, "t") == \
        "Order {{ order_id }}, no. {{tracking_number}}, again {{ order_id }}"


@pytest.mark.parametrize(("output", "problem"), [
    ("Order VAR1, number", "lost {{ tracking_number }}"),
    ("Order VAR1 VAR1, number VAR2", "duplicated {{ order_id }}"),
    ("Order VAR1, number VAR2 VAR7", "invented token VAR7"),
])
def test_damaged_placeholders_are_reported(output: str, problem: str) -> None:
    slots = protect_placeholders("订单 {{ order_id }} 单号 {{ tracking_number }}").slots
    with pytest.raises(PlaceholderError, match=problem.replace("{", r"\{").replace("}", r"\}")):
        restore_placeholders(output, slots, "t")


def test_draft_translates_protected_text_with_the_template_domain(service: TemplateService,
                                                                  translator: FakeTranslator) -> None:
    record = service.draft("firmware_update", "nl")
    [request] = translator.requests
    assert "{{" not in request.text and "VAR1" in request.text
    assert (request.source, request.target) == ("zh", "nl")
    assert (request.domain, request.industry) == ("technical_support", "electronics")  # glossary selection
    assert record.status is VariantStatus.DRAFT and record.text.startswith("[nl] {{ customer_name }}，您好")
    assert record.text.count("{{ firmware_version }}") == 2
    assert (record.engine, record.glossary_version) == ("fake", "g-1")
    assert service.resolve("firmware_update", "nl").availability is Availability.DRAFT


def test_draft_is_previewed_marked_and_not_sent_as_approved(service: TemplateService) -> None:
    preview = service.preview("order_status", "nl", ORDER_VALUES, translate_missing=True)
    assert preview.availability is Availability.DRAFT and not preview.approved
    assert preview.customer_text is not None and "A123" in preview.customer_text
    assert "SF123456789" in preview.internal_text
    request = service.reply_request(preview, "lukas.meyer")
    assert request.customer_text is None  # an unapproved draft is machine-translated again at send time
    confirmed = service.reply_request(preview, "lukas.meyer", customer_text=preview.customer_text)
    assert confirmed.customer_text == preview.customer_text  # unless the agent explicitly confirms it


def test_approval_with_an_edit_is_reused_from_then_on(service: TemplateService,
                                                      translator: FakeTranslator) -> None:
    service.draft("order_status", "nl")
    record = service.approve("order_status", "nl", by="zhang.min", text=DUTCH)
    assert (record.status, record.edited, record.revision, record.approved_by) == (
        VariantStatus.APPROVED, True, 2, "zhang.min")
    calls = len(translator.requests)
    preview = service.preview("order_status", "nl", ORDER_VALUES, translate_missing=True)
    assert len(translator.requests) == calls  # approved: no machine translation any more
    assert preview.availability is Availability.APPROVED
    assert preview.customer_text == DUTCH.replace("{{ order_id }}", "A123").replace(
        "{{ tracking_number }}", "SF123456789")
    request = service.reply_request(preview, "lukas.meyer", request_id="r1")
    assert (request.customer_text, request.template, request.text) == (
        preview.customer_text, "order_status", preview.internal_text)
    with pytest.raises(TemplateError, match="already has an approved variant"):
        service.draft("order_status", "nl")


def test_approving_the_draft_as_is(service: TemplateService) -> None:
    draft = service.draft("out_of_office", "it")
    record = service.approve("out_of_office", "it", by="zhang.min")
    assert (record.text, record.edited, record.engine) == (draft.text, False, "fake")


def test_store_approval_overrides_the_catalog_variant(service: TemplateService) -> None:
    german = service.catalog.get("order_status").variants["de"].text.replace("Guten Tag,", "Hallo,")
    service.approve("order_status", "de", by="anna.schmidt", text=german)
    resolved = service.resolve("order_status", "de")
    assert (resolved.origin, resolved.text) == ("store", german)


def test_editing_the_chinese_drops_the_approved_customer_text(service: TemplateService) -> None:
    preview = service.preview("order_status", "de", ORDER_VALUES)
    assert preview.availability is Availability.APPROVED
    edited = service.reply_request(preview, "a", internal_text=preview.internal_text + "\n另：已加急。")
    assert edited.customer_text is None


def test_wrong_placeholders_cannot_be_approved(service: TemplateService) -> None:
    with pytest.raises(TemplateError, match=r"missing \['tracking_number'\]; unknown \['tracking'\]"):
        service.approve("order_status", "nl", by="zhang.min", text="Bestelling {{ order_id }} {{ tracking }}")
    with pytest.raises(TemplateError, match="no draft"):
        service.approve("order_status", "nl", by="zhang.min")
    assert service.resolve("order_status", "nl").availability is Availability.MISSING


def test_no_translation_path_and_placeholder_damage_store_nothing(catalog: TemplateCatalog) -> None:
    store = MemoryVariantStore()
    no_model = FakeTranslator(state=TranslationState.UNAVAILABLE)
    unavailable = TemplateService(catalog, store, translator=no_model)
    with pytest.raises(NoTranslationPathError, match="no translation model for zh->nl"):
        unavailable.preview("order_status", "nl", ORDER_VALUES, translate_missing=True)
    mangling = TemplateService(catalog, store, translator=FakeTranslator(lambda t: t.replace("VAR2", "")))
    with pytest.raises(PlaceholderError, match="lost"):
        mangling.draft("order_status", "nl")
    assert store.list() == []


def test_changed_source_makes_store_variants_stale(catalog: TemplateCatalog) -> None:
    store = MemoryVariantStore()
    TemplateService(catalog, store, translator=FakeTranslator()).approve("order_status", "nl", "z", DUTCH)
    original = catalog.get("order_status")
    changed = original.model_copy(update={"text": original.text + "\n谢谢！"})
    service = TemplateService(TemplateCatalog([changed]), store)
    resolved = service.resolve("order_status", "nl")
    assert resolved.availability is Availability.STALE and resolved.text is None
    assert service.resolve("order_status", "de").origin == "catalog"  # shipped variants are reviewed with it


def test_list_templates_for_domain_and_language(service: TemplateService) -> None:
    service.draft("presales_spec", "nl")
    choices = service.list_templates("logistics", "nl")
    names = [c.name for c in choices]
    assert set(names) == {"order_status", "shipping_delay", "out_of_office"}  # out_of_office: any domain
    assert all(c.availability is Availability.MISSING for c in choices)
    german = service.list_templates("logistics", "de")
    assert [c.name for c in german][:2] == ["order_status", "shipping_delay"]  # domain matches first
    assert service.list_templates("pre_sales", "nl")[0].availability is Availability.DRAFT
    assert {c.availability for c in service.list_templates(None, "zh")} == {Availability.SOURCE}


def test_sql_store_round_trip(service: TemplateService) -> None:
    service.draft("defective_item", "pl")
    service.approve("defective_item", "pl", by="zhang.min")
    [row] = service.store.list("defective_item")  # type: ignore[union-attr]
    assert (row.language, row.status, row.revision, row.approved_by) == ("pl", VariantStatus.APPROVED, 2,
                                                                         "zhang.min")
    assert row.approved_at is not None
    assert row.source_hash == service.catalog.get("defective_item").source_hash
