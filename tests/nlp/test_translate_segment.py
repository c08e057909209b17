"""E-mail segmentation: what is translated, what is kept, and that rendering puts it back."""

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.translate.segment import (
    MAX_SENTENCE_CHARS,
    MAX_UNIT_CHARS,
    render,
    segment,
    sentences_of,
    split_sentences,
    split_units,
)


def test_sentences_split_on_cjk_and_latin_terminators() -> None:
    assert split_sentences("您好！我的订单还没到。请帮忙查一下？") == [
        "您好！", "我的订单还没到。", "请帮忙查一下？"]
    assert split_sentences("Hello Mr. Smith. Is it 3.5 kg? Yes.") == [
        "Hello Mr. Smith.", "Is it 3.5 kg?", "Yes."]
    # Terminators inside URLs, e-mails and amounts are not sentence ends.
    assert split_sentences("访问 https://x.com/a?b=1 或 a.b@c.com。价格$3.50。") == [
        "访问 https://x.com/a?b=1 或 a.b@c.com。", "价格$3.50。"]


def test_overlong_sentences_are_split_at_commas() -> None:
    sentence = "，".join(["这是一段很长的没有句号的文字"] * 40) + "。"
    pieces = split_sentences(sentence)
    assert len(pieces) > 1 and all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert "".join(pieces) == sentence


def test_a_line_is_one_unit_unless_it_is_long() -> None:
    assert split_units("  您好！我的订单还没到。请帮忙查一下？ ") == ["您好！我的订单还没到。请帮忙查一下？"]
    long_line = "我的订单还没到，请帮忙查一下。" * 30
    units = split_units(long_line)
    assert len(long_line) > MAX_UNIT_CHARS
    assert units == split_sentences(long_line) and len(units) == 30


def test_structure_lists_quotes_history_signature() -> None:
    text = ("您好，\r\n\r\n"
            "  1. 第一点。第二句！\r\n"
            "  - 第二点\r\n"
            "> 引用的旧邮件\r\n"
            "谢谢\r\n"
            "-- \r\n"
            "王明\r\n"
            "-----Original Message-----\r\n"
            "From: a@b.com\r\n"
            "以前的内容。\r\n")
    lines = segment(text)
    assert [line.verbatim for line in lines] == [
        None, "", None, None, "> 引用的旧邮件", None, "-- ", None,
        "-----Original Message-----", "From: a@b.com", "以前的内容。"]
    # A line is one translation unit, as the model sees a line when called directly.
    assert lines[2].prefix == "  1. " and lines[2].sentences == ["第一点。第二句！"]
    assert lines[3].prefix == "  - "
    assert sentences_of(lines) == ["您好，", "第一点。第二句！", "第二点", "谢谢", "王明"]
    upper = {s: s.upper() + "#" for s in sentences_of(lines)}
    rendered = render(lines, upper, "en")
    assert rendered.splitlines(keepends=True)[2] == "  1. 第一点。第二句！#\r\n"
    assert rendered.endswith("-----Original Message-----\r\nFrom: a@b.com\r\n以前的内容。\r\n")


def test_from_header_starts_history_only_with_another_header() -> None:
    customer = segment("From: Shenzhen factory\n我们的订单呢？\n")
    assert customer[0].verbatim is None and customer[1].verbatim is None
    forwarded = segment("看下面\n\nFrom: x@y.com\nSent: Monday\n旧内容\n")
    assert [line.verbatim is not None for line in forwarded] == [False, True, True, True, True]


def test_chinese_reply_header_starts_history() -> None:
    lines = segment("好的\n在 2024年5月1日 上午10:00，客服 写道：\n旧内容\n")
    assert [line.verbatim for line in lines] == [None, "在 2024年5月1日 上午10:00，客服 写道：", "旧内容"]


_line = st.text(alphabet=st.sampled_from(list("您好订单。！？ab .,!?-1>\t")), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(_line, max_size=8), st.sampled_from(["\n", "\r\n"]))
def test_identity_translation_keeps_every_line_break_and_kept_line(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    segmented = segment(text)
    identity = {s: s for s in sentences_of(segmented)}
    rendered = render(segmented, identity, "zh")
    assert rendered.count("\n") == text.count("\n")
    for original, out in zip(text.splitlines(), rendered.splitlines(), strict=True):
        # Kept lines are byte-identical; translated ones only change whitespace between sentences.
        assert out == original or "".join(out.split()) == "".join(original.split())
