"""Spike detection: which topic groups grow faster than their baseline, merged into issues.

1. Count every topic key (a concept or a model number) in the recent window and in the baseline
   period just before it.
2. A key is hot when its window count is at least `min_count` and at least `ratio` times what
   the baseline predicts for one window (baseline count scaled to the window length, floored at
   `min_expected` so a brand-new topic needs `ratio * min_expected` tickets, and `min_count`).
3. Hot keys that share most of their tickets (overlap coefficient >= `merge_overlap`) are one
   issue: "battery", "overheating" and "X200" rising together are one alert, not three.
4. The issue's tickets are the window's tickets carrying at least two of its keys (one when the
   issue has a single key), so background tickets that merely mention "battery" stay out.
Pure functions over TicketTopics; the activity feeds them from SQL.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from insights.settings import HotIssueSettings
from insights.topics import TicketTopics


class KeyStats(BaseModel):
    key: str
    window_count: int
    baseline_count: int
    expected: float  # baseline tickets per window length
    hot: bool


class HotGroup(BaseModel):
    keys: list[str]  # sorted
    label: str
    ticket_ids: list[str]
    languages: list[str]
    expected: float
    window_hours: float

    @property
    def count(self) -> int:
        return len(self.ticket_ids)

    def summary(self) -> str:
        hours = f"{self.window_hours:g}"
        return f"{self.label}: {self.count} tickets in {hours} hours from {', '.join(self.languages)}"


class ScanOutcome(BaseModel):
    stats: list[KeyStats] = Field(default_factory=list)
    groups: list[HotGroup] = Field(default_factory=list)


def key_stats(topics: Sequence[TicketTopics], now: datetime, cfg: HotIssueSettings) -> dict[str, KeyStats]:
    window = timedelta(hours=cfg.window_hours)
    baseline = timedelta(days=cfg.baseline_days)
    window_start, baseline_start = now - window, now - window - baseline
    recent: Counter[str] = Counter()
    before: Counter[str] = Counter()
    for t in topics:
        if window_start <= t.created_at <= now:
            recent.update(t.keys)
        elif baseline_start <= t.created_at < window_start:
            before.update(t.keys)
    scale = window / baseline if baseline else 0.0
    stats: dict[str, KeyStats] = {}
    for key, count in recent.items():
        expected = before[key] * scale
        hot = count >= cfg.min_count and count >= cfg.ratio * max(expected, cfg.min_expected)
        stats[key] = KeyStats(
            key=key, window_count=count, baseline_count=before[key], expected=expected, hot=hot
        )
    return stats


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def merge_keys(members: dict[str, set[str]], threshold: float) -> list[list[str]]:
    """Connected components of hot keys whose ticket sets overlap at least `threshold`."""
    keys = sorted(members, key=lambda k: (-len(members[k]), k))
    parent = {k: k for k in keys}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if overlap(members[a], members[b]) >= threshold:
                parent[root(b)] = root(a)
    components: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        components[root(k)].append(k)
    return [sorted(c) for c in components.values()]


def describe(keys: Sequence[str], tickets: Sequence[TicketTopics], label_of: Callable[[str], str]) -> str:
    """ "battery, overheating, model X200": concepts by frequency, then model numbers."""
    freq: Counter[str] = Counter(k for t in tickets for k in t.keys if k in keys)
    concepts = sorted((k for k in keys if k.startswith("concept:")), key=lambda k: (-freq[k], k))
    models = sorted((k for k in keys if k.startswith("model:")), key=lambda k: (-freq[k], k))
    parts = [label_of(k.removeprefix("concept:")) for k in concepts]
    if models:
        names = ", ".join(k.removeprefix("model:") for k in models)
        parts.append(("model " if len(models) == 1 else "models ") + names)
    return ", ".join(parts)


def find_hot_groups(
    topics: Sequence[TicketTopics],
    now: datetime,
    cfg: HotIssueSettings,
    label_of: Callable[[str], str] = lambda c: c,
) -> ScanOutcome:
    stats = key_stats(topics, now, cfg)
    window_start = now - timedelta(hours=cfg.window_hours)
    recent = [t for t in topics if window_start <= t.created_at <= now]
    hot = {k for k, s in stats.items() if s.hot}
    recent_keys = [(t, t.keys) for t in recent]  # `keys` builds a set: once per ticket, not per group
    members = {k: {t.ticket_id for t, ks in recent_keys if k in ks} for k in hot}
    groups: list[HotGroup] = []
    for keys in merge_keys(members, cfg.merge_overlap):
        need = 2 if len(keys) >= 2 else 1
        wanted = set(keys)
        chosen = [t for t, ks in recent_keys if len(ks & wanted) >= need]
        if len(chosen) < cfg.min_count:
            continue
        chosen.sort(key=lambda t: (t.created_at, t.ticket_id))
        groups.append(
            HotGroup(
                keys=keys,
                label=describe(keys, chosen, label_of),
                ticket_ids=[t.ticket_id for t in chosen],
                languages=sorted({t.language for t in chosen}),
                expected=round(max(stats[k].expected for k in keys), 3),
                window_hours=cfg.window_hours,
            )
        )
    groups.sort(key=lambda g: (-g.count, g.keys))
    return ScanOutcome(stats=sorted(stats.values(), key=lambda s: s.key), groups=groups)
