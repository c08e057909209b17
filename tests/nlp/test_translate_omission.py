"""The omission check that sends a whole-line translation back for sentence-by-sentence decoding."""

from nlp.translate.omission import lost_sentences, source_sentences


def test_a_translation_with_fewer_sentences_than_its_source_lost_one() -> None:
    source = source_sentences("轴承坏了。减速机也坏了！请尽快处理。")
    assert len(source) == 3
    assert lost_sentences(source, "The bearing is broken. Please deal with it quickly.", "en")
    assert not lost_sentences(source, "The bearing is broken. The reducer too! Please hurry.", "en")


def test_single_sentences_and_unpunctuated_targets_are_never_flagged() -> None:
    assert not lost_sentences(source_sentences("轴承坏了。"), "", "en")
    # Thai writes no sentence punctuation: its sentences cannot be counted.
    assert not lost_sentences(source_sentences("轴承坏了。减速机也坏了！"), "ตลับลูกปืนเสีย", "th")


def test_chinese_targets_count_chinese_terminators() -> None:
    source = source_sentences("The bearing is broken. The reducer too!")
    assert not lost_sentences(source, "轴承坏了。减速机也坏了！", "zh")
    assert lost_sentences(source, "轴承坏了。", "zh")
