"""The administrators' keyword layer: YAML per language, validated, matched per script."""

from pathlib import Path

import pytest

from domain.nlp import Industry, RequestDomain, Urgency
from nlp.classify.rules import DEFAULT_RULES_DIR, RuleSet


def write(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text(body, encoding="utf-8")


def test_every_shipped_rule_file_loads_and_names_real_domains() -> None:
    rules = RuleSet.load(DEFAULT_RULES_DIR)
    assert {"en", "zh", "ja", "ko", "th", "de", "fr", "es"} <= set(rules.by_language)


@pytest.mark.parametrize(("lang", "text", "domain"), [
    ("en", "I want a refund for the broken kettle", RequestDomain.AFTER_SALES),
    ("de", "Ich möchte eine Rückerstattung", RequestDomain.AFTER_SALES),
    ("zh", "我要退款", RequestDomain.AFTER_SALES),
    ("ko", "환불해 주세요", RequestDomain.AFTER_SALES),
    ("th", "ขอคืนเงินด้วยครับ", RequestDomain.AFTER_SALES),
    ("ja", "荷物がまだ届いていません", RequestDomain.LOGISTICS),
    ("es", "Necesito la factura del mes pasado", RequestDomain.BILLING),
    ("fr", "Pouvez-vous nous envoyer un devis ?", RequestDomain.PRE_SALES),
])
def test_the_refund_keyword_and_friends_match_in_their_language(lang: str, text: str,
                                                                domain: RequestDomain) -> None:
    hits = RuleSet.load().match(text, [lang])
    assert max(hits.domains, key=hits.domains.__getitem__) == domain


def test_spaced_languages_match_at_word_starts_and_unspaced_ones_anywhere(tmp_path: Path) -> None:
    write(tmp_path, "en.yaml", "language: en\ndomains:\n  billing: [invoice]\n")
    write(tmp_path, "zh.yaml", "language: zh\ndomains:\n  billing: [发票]\n")
    rules = RuleSet.load(tmp_path)
    assert rules.match("two invoices", ["en"]).domains == {RequestDomain.BILLING: 1.0}  # stem catches plural
    assert rules.match("reinvoiced", ["en"]).domains == {}  # not at a word start
    assert rules.match("请开发票给我们", ["zh"]).domains == {RequestDomain.BILLING: 1.0}


def test_a_multi_word_keyword_counts_double(tmp_path: Path) -> None:
    write(tmp_path, "en.yaml", "language: en\ndomains:\n  logistics: [tracking number, parcel]\n")
    hits = RuleSet.load(tmp_path).match("The tracking number of my parcel", ["en"])
    assert hits.domains == {RequestDomain.LOGISTICS: 3.0}


def test_only_the_requested_languages_are_looked_at(tmp_path: Path) -> None:
    write(tmp_path, "de.yaml", "language: de\ndomains:\n  complaint: [frechheit]\n")
    rules = RuleSet.load(tmp_path)
    assert rules.match("So eine Frechheit", ["en"]).domains == {}
    assert rules.match("So eine Frechheit", ["en", "de"]).domains == {RequestDomain.COMPLAINT: 1.0}


def test_industry_urgency_and_sentiment_sections_are_matched(tmp_path: Path) -> None:
    write(tmp_path, "en.yaml", """language: en
industries:
  machinery: [pump]
urgency:
  high: [urgent]
sentiment:
  negative: [terrible]
  positive: [thanks]
""")
    hits = RuleSet.load(tmp_path).match("URGENT: the pump is terrible, thanks", ["en"])
    assert hits.industries == {Industry.MACHINERY: 1.0}
    assert hits.urgency == {Urgency.HIGH: 1.0}
    assert (hits.negative, hits.positive) == (1.0, 1.0)


@pytest.mark.parametrize("body", [
    "language: en\ndomains:\n  refunds: [refund]\n",         # not a RequestDomain
    "language: en\nindustries:\n  food: [bread]\n",          # not an Industry
    "language: en\nsentiment:\n  angry: [grr]\n",            # not negative/positive
    "domains:\n  billing: [invoice]\n",                       # no language
])
def test_a_typo_in_a_rule_file_fails_loudly_with_the_file_name(tmp_path: Path, body: str) -> None:
    write(tmp_path, "en.yaml", body)
    with pytest.raises(ValueError, match=r"en\.yaml"):
        RuleSet.load(tmp_path)
