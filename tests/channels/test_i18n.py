"""The hand-written UI strings: every language complete, placeholders intact, RTL for Arabic."""

import string

from channels.web import i18n


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_language_has_every_key_with_the_same_placeholders() -> None:
    catalog = i18n.catalog()
    english = catalog["en"]
    assert set(catalog) == set(i18n.SUPPORTED) >= {"en", "zh", "de", "es", "fr", "ja", "ko", "th", "ar"}
    for lang, strings in catalog.items():
        assert set(strings) == set(english), lang
        for key, text in strings.items():
            assert text.strip(), (lang, key)
            assert _placeholders(text) == _placeholders(english[key]), (lang, key)
        if lang != "en":  # really translated, not copied
            same = [k for k in english if strings[k] == english[k] and not k.startswith("event_status")]
            assert not same, (lang, same)


def test_language_choice_and_direction() -> None:
    assert i18n.pick_language("zh-CN") == "zh"
    assert i18n.pick_language(None, "th") == "th"
    assert i18n.pick_language(None, "und", "pt-BR,ja;q=0.8,de;q=0.9") == "de"
    assert i18n.pick_language("xx", None, None) == "en"
    assert i18n.direction("ar") == "rtl" and i18n.direction("ja") == "ltr"
    assert (
        i18n.t("de", "thanks_body", ticket_id="W1")
        == "Ihre Ticketnummer lautet W1. Wir antworten Ihnen per E-Mail."
    )
