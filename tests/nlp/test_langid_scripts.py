"""Script counting: the ASCII and code-page fast paths count exactly what the per-character table does."""

import string

from hypothesis import example, given
from hypothesis import strategies as st

from nlp.langid import scripts


def table_counts(text: str) -> dict[str, int]:
    tagged = text[:scripts.PROFILE_CHARS].translate(scripts._TABLE)
    return {scripts._TAGS[t]: tagged.count(t) for t in set(tagged) if t in scripts._TAGS}


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=400))
@example("")
@example("Order #4242 - where is it?")
@example("x" * 250)
def test_ascii_fast_path_matches_the_table(text: str) -> None:
    assert scripts.script_counts(text) == table_counts(text)


@given(st.text(alphabet=string.ascii_letters + " äöüßéèñçøå中文かなカナ한국어ไทยабвгдαβγ", max_size=300))
def test_mixed_scripts_match_the_table(text: str) -> None:
    assert scripts.script_counts(text) == table_counts(text)


# Letters and signs of each code page the fast path uses, its near misses (ª µ º are letters of no
# script we tag; ˇ is a modifier letter; × ÷ are signs inside Latin-1), and letters no code page
# has (Romanian ș, Vietnamese ế, Han, Hangul, an emoji beyond the BMP).
CODE_PAGE_ALPHABET = ("abcXYZ 09.,-«»—€ ªµº×÷ äöüßéñçøå őűčřžłśą ğışİ абвЖЁїє ابتپچگکی،؟٣ αβγΏ אבגשׁ "
                      "กขคไ ș ế 中文 한 🙂")


@given(st.text(alphabet=CODE_PAGE_ALPHABET, max_size=300))
@example("Grüße aus München")
@example("Zażółć gęślą jaźń")
@example("Şikayetim var, ığdır")
@example("Здравствуйте, заказ Nr. 5")
@example("مرحبا، أين طلبي؟")
@example("ª µ º")
def test_code_page_fast_path_matches_the_table(text: str) -> None:
    assert scripts.script_counts(text) == table_counts(text)


def test_counts_letters_per_script() -> None:
    assert scripts.script_counts("Hello, 世界! 123") == {"Latn": 5, "Hani": 2}
    assert scripts.script_counts("12345 !?") == {}
