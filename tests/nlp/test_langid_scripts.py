"""Script counting: the ASCII fast path must count exactly what the full per-character table does."""

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


def test_counts_letters_per_script() -> None:
    assert scripts.script_counts("Hello, 世界! 123") == {"Latn": 5, "Hani": 2}
    assert scripts.script_counts("12345 !?") == {}
