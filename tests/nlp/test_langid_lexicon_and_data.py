"""The word lists' ranking (the trigram model reads the top of it) and the bench's word-pair rule."""

from pathlib import Path

import pytest

from bench.langid_data import build_dataset
from nlp.langid.lexicon import DEFAULT_PATH, Lexicon
from nlp.langid.segment import TRIGRAM_WORDS


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load(DEFAULT_PATH)


def test_words_by_language_are_most_frequent_first(lexicon: Lexicon) -> None:
    top = lexicon.words_by_language(TRIGRAM_WORDS)
    full = lexicon.words_by_language()
    for lang in ("pt", "ms", "ru", "ja"):
        assert len(top[lang]) == TRIGRAM_WORDS < len(full[lang])
        assert top[lang] == full[lang][:TRIGRAM_WORDS]
        freqs = [lexicon.frequencies(w)[lang] for w in full[lang]]
        assert freqs == sorted(freqs, reverse=True)


def test_the_lists_go_beyond_the_old_cut(lexicon: Lexicon) -> None:
    # "viajaram" (Portuguese, "they travelled") is past Portuguese's 10 000th word; with the cut it
    # looked as unseen in Portuguese as in Spanish.
    assert "viajaram" not in lexicon.words_by_language(TRIGRAM_WORDS)["pt"]
    freqs = lexicon.frequencies("viajaram")
    assert "pt" in freqs and "es" not in freqs
    assert lexicon.frequencies("de").keys() >= {"pt", "es", "fr"}


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_word_pairs_found_in_two_languages_are_left_out_of_word_pair_only(tmp_path: Path) -> None:
    flores = tmp_path / "flores200-devtest"
    _write(flores / "spa_Latn.devtest", ["El Reino Unido vota hoy.", "Gracias por todo."])
    _write(flores / "por_Latn.devtest", ["O Reino Unido vota hoje.", "Obrigado por tudo."])
    samples = build_dataset(tmp_path)
    pairs = {(s.text, s.lang) for s in samples if s.bucket == "word_pair"}
    every_pair = {(s.text, s.lang) for s in samples if s.bucket == "word_pair_all"}
    assert ("Reino Unido", "es") in every_pair and ("Reino Unido", "pt") in every_pair
    assert ("Reino Unido", "es") not in pairs and ("Reino Unido", "pt") not in pairs
    assert ("Unido vota", "es") not in pairs  # "Unido vota" is in both sentences too
    assert ("vota hoy", "es") in pairs and ("vota hoje", "pt") in pairs
    assert pairs < every_pair
