"""The shipped catalog and sandboxed rendering: every template, many languages, no blanks."""

from pathlib import Path

import pytest

from templates.loader import CatalogError, load_catalog
from templates.model import MissingVariablesError, TemplateError
from templates.render import render_text
from tests.templates.conftest import ORDER_VALUES

REQUIRED = ["order_status", "shipping_delay", "return_exchange", "refund_status", "installation_guide",
            "firmware_update", "defective_item", "presales_spec", "out_of_office"]
SEEDED = ["en", "de", "es", "fr", "ja", "ko", "th", "pt", "ru", "vi", "ar"]


def test_catalog_has_every_required_template_with_approved_seed_variants(catalog) -> None:  # type: ignore[no-untyped-def]
    assert set(REQUIRED) <= set(catalog.templates)
    for template in catalog:
        assert template.language == "zh" and template.title
        assert sorted(template.variants) == sorted(SEEDED), template.name
        assert all(v.status == "approved" for v in template.variants.values())


@pytest.mark.parametrize("name", REQUIRED)
def test_every_variant_renders_with_all_values_in_place(catalog, name: str) -> None:  # type: ignore[no-untyped-def]
    template = catalog.get(name)
    values = {v.name: f"<{v.name.upper()}>" for v in template.variables}
    zh = render_text(template.text, values)
    for lang, variant in template.variants.items():
        text = render_text(variant.text, values, f"{name} [{lang}]")
        assert "{{" not in text and "}}" not in text
        for value in values.values():
            assert value in text, (lang, value)
        assert text != zh


@pytest.mark.parametrize(("lang", "expected"), [
    ("de", "Ihre Bestellung A123 wurde versandt. Die Sendungsnummer lautet SF123456789."),
    ("ja", "ご注文 A123 は発送済みです。追跡番号は SF123456789 です。"),
    ("th", "คำสั่งซื้อหมายเลข A123 ของท่านได้จัดส่งแล้ว หมายเลขติดตามพัสดุคือ SF123456789"),
    ("es", "Su pedido A123 ya ha sido enviado. El número de seguimiento es SF123456789."),
])
def test_order_status_in_several_languages(catalog, lang: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert expected in render_text(catalog.get("order_status").variants[lang].text, ORDER_VALUES)


def test_missing_and_blank_values_are_errors_naming_every_variable(catalog) -> None:  # type: ignore[no-untyped-def]
    template = catalog.get("shipping_delay")
    with pytest.raises(MissingVariablesError) as info:
        render_text(template.text, {"order_id": "A123", "tracking_number": "  "}, "shipping_delay",
                    template.labels())
    assert info.value.missing == ["customer_name", "eta", "tracking_number"]
    assert "eta (预计送达日期)" in str(info.value)


def test_extra_values_are_ignored() -> None:
    assert render_text("单号 {{ order_id }}", {"order_id": "A1", "unused": "x"}) == "单号 A1"


def test_sandbox_refuses_attribute_tricks() -> None:
    with pytest.raises(TemplateError):
        render_text("{{ order_id.__class__.__mro__[1].__subclasses__() }}", {"order_id": "A1"})
    with pytest.raises(TemplateError, match="syntax"):
        render_text("{{ order_id ", {"order_id": "A1"})


def test_values_are_not_evaluated_as_template_code() -> None:
    assert render_text("单号 {{ order_id }}", {"order_id": "{{ 7*7 }}"}) == "单号 {{ 7*7 }}"


def test_catalog_rejects_variants_with_different_placeholders(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "name: bad\ntitle: 坏\nvariables:\n  order_id: {label: 订单号}\nzh: 订单 {{ order_id }}\n"
        "variants:\n  en: {text: 'Order {{ order_number }}'}\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("name: renamed\ntitle: x\nzh: 您好 {{ who }}\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(tmp_path)
    problems = "\n".join(info.value.problems)
    assert "bad.yaml [en]: placeholders ['order_number'] differ" in problems
    assert "other.yaml: name 'renamed' must equal the file name" in problems
    assert "other.yaml: source uses undeclared variables ['who']" in problems
