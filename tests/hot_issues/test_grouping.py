"""Pure units: topics across languages, the spike rule, merging, and the two headline scenarios."""

from datetime import UTC, datetime, timedelta

from insights.settings import HotIssueSettings
from insights.spikes import find_hot_groups, key_stats, merge_keys
from insights.topics import TicketText, TicketTopics, model_numbers, topics_all, topics_of
from tests.hot_issues.data import SPIKE, concept_index, normal_days, spike

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)
CFG = HotIssueSettings()


def test_model_numbers_are_normalized_and_found_inside_cjk_text() -> None:
    assert model_numbers("tx5000 und TX-5000, also X200") == ["TX-5000", "X200"]
    assert model_numbers("ＸＴ２００の電池") == ["XT-200"]  # full-width, glued to Japanese
    assert model_numbers("X200の電池") == ["X200"]
    assert model_numbers("order 12345, SF1234567890, A4 paper") == []  # digits only / too long / too short


def test_same_concepts_in_every_language_and_the_translation() -> None:
    index = concept_index()
    found = {
        lang: topics_of(TicketText(ticket_id=lang, language=lang, created_at=NOW, text=text), index)
        for lang, (text, _) in SPIKE.items()
    }
    for lang, topics in found.items():
        assert "electronics/battery" in topics.concepts, lang
        assert topics.models == ["X200"], lang
    assert (
        "electronics/overheating" in found["ja"].concepts
        and "electronics/overheating" in found["es"].concepts
    )
    zh = topics_of(
        TicketText(ticket_id="z", language="ko", created_at=NOW, text="", translated=SPIKE["de"][1]), index
    )
    assert {"electronics/battery", "electronics/overheating"} <= set(zh.concepts)
    # A longer term wins: "锂电池" is lithium battery, not also battery; "Akkus" still counts.
    lithium = index.match("锂电池过热", "zh")
    assert "electronics/lithium battery" in lithium and "electronics/battery" not in lithium
    assert "electronics/battery" in index.match("Zwei Akkus defekt", "de")
    assert (
        index.match("Schlager", "de") == set()
    )  # "Lager" (bearing) only at a word start in spaced languages


def test_spike_rule_needs_both_minimum_and_ratio_over_baseline() -> None:
    def t(i: int, hours_ago: float, keys: list[str]) -> TicketTopics:
        return TicketTopics(
            ticket_id=f"t{i}", language="en", created_at=NOW - timedelta(hours=hours_ago), models=keys
        )

    cfg = HotIssueSettings(window_hours=6, baseline_days=7, min_count=5, ratio=3.0)
    # 4 in the window, nothing before: under the minimum.
    stats = key_stats([t(i, 1, ["A1"]) for i in range(4)], NOW, cfg)
    assert not stats["model:A1"].hot
    # 5 in the window, a steady 2 per 6 hours before: 5 < 3 * 2.
    steady = [t(100 + i, 6 + 3 * i + 1, ["B2"]) for i in range(56)] + [t(i, 1, ["B2"]) for i in range(5)]
    b2 = key_stats(steady, NOW, cfg)["model:B2"]
    assert b2.expected == 2.0 and b2.window_count == 5 and not b2.hot
    # 6 in the window against 1 per 6 hours before: 6 >= 3 * 1.
    rising = [t(100 + i, 6 + 6 * i + 1, ["C3"]) for i in range(28)] + [t(i, 1, ["C3"]) for i in range(6)]
    assert key_stats(rising, NOW, cfg)["model:C3"].hot


def test_overlapping_hot_keys_merge_and_unrelated_ones_do_not() -> None:
    members = {"model:X200": {"a", "b", "c"}, "concept:battery": {"a", "b", "c", "z"}, "model:Q9": {"x", "y"}}
    assert merge_keys(members, 0.6) == [["concept:battery", "model:X200"], ["model:Q9"]]


def test_three_language_spike_is_exactly_one_group_with_a_readable_summary() -> None:
    index = concept_index()
    tickets = normal_days(NOW) + spike(NOW, {"de": 5, "es": 5, "ja": 4})
    outcome = find_hot_groups(topics_all(tickets, index), NOW, CFG, index.label)
    assert len(outcome.groups) == 1
    group = outcome.groups[0]
    assert group.summary() == "battery, overheating, model X200: 14 tickets in 6 hours from de, es, ja"
    assert sorted(group.ticket_ids) == sorted(t.ticket_id for t in tickets if t.ticket_id.startswith("S"))
    assert {"model:X200", "concept:electronics/battery", "concept:electronics/overheating"} <= set(group.keys)


def test_a_normal_day_raises_nothing_even_for_frequent_topics() -> None:
    index = concept_index()
    topics = topics_all(normal_days(NOW, per_hour=4), index)
    outcome = find_hot_groups(topics, NOW, CFG, index.label)
    assert outcome.groups == []
    busiest = max(outcome.stats, key=lambda s: s.window_count)
    assert busiest.window_count >= CFG.min_count  # frequent enough to pass the minimum, yet not rising
    assert not busiest.hot


def test_a_spike_below_the_minimum_is_not_an_issue() -> None:
    index = concept_index()
    tickets = normal_days(NOW) + spike(NOW, {"de": 1, "es": 1, "ja": 1})
    assert find_hot_groups(topics_all(tickets, index), NOW, CFG, index.label).groups == []
