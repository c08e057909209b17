"""Per request domain / industry: the language mix, and the issues that keep coming back."""

from collections import Counter, defaultdict
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.reports.aggregate import TICKET_FACTS
from store.reports.filters import ReportFilters, where
from store.reports.views import DistributionRow, RecurringIssueRow
from store.tables import ReportDailyFactRow

DAILY: Any = ReportDailyFactRow.__table__


def domain_language_distribution(session: Session, filters: ReportFilters | None = None,
                                 by: Literal["domain", "industry"] = "domain") -> list[DistributionRow]:
    """Tickets per (domain or industry, language), with both shares; tickets without an industry are ''."""
    f = filters or ReportFilters()
    d = DAILY.c
    q = (select(d[by], d.language, func.sum(d.tickets)).where(where(DAILY, f))
         .group_by(d[by], d.language))
    counts = {(str(g), str(lang)): int(n) for g, lang, n in session.execute(q)}
    per_group: Counter[str] = Counter()
    per_language: Counter[str] = Counter()
    for (g, lang), n in counts.items():
        per_group[g] += n
        per_language[lang] += n
    rows = [DistributionRow(group=g, language=lang, tickets=n, share_of_group=n / per_group[g],
                            share_of_language=n / per_language[lang]) for (g, lang), n in counts.items()]
    return sorted(rows, key=lambda r: (r.group, -r.tickets, r.language))


def top_recurring_issues(session: Session, filters: ReportFilters | None = None, limit: int = 20,
                         min_tickets: int = 2) -> list[RecurringIssueRow]:
    """Most frequent (domain, glossary concept) pairs, counted in distinct tickets.

    A concept is a glossary term in the internal language found in a customer's translated message,
    so "Akku" (de) and "batería" (es) meet as the same Chinese term. Tickets whose messages hit no
    glossary term are in the distribution above but in no recurring issue.
    """
    f = filters or ReportFilters()
    t = TICKET_FACTS.c
    q = select(t.domain, t.language, t.day, t.concepts).where(where(TICKET_FACTS, f))
    tickets: Counter[tuple[str, str]] = Counter()
    languages: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    days: dict[tuple[str, str], list[date]] = defaultdict(list)
    for domain, language, day, concepts in session.execute(q):
        for concept in concepts or []:
            key = (str(domain), str(concept))
            tickets[key] += 1
            languages[key][str(language)] += 1
            days[key].append(day)
    ranked = sorted((k for k, n in tickets.items() if n >= min_tickets), key=lambda k: (-tickets[k], k))
    return [RecurringIssueRow(domain=k[0], concept=k[1], tickets=tickets[k],
                              languages=", ".join(f"{lang}:{n}" for lang, n in languages[k].most_common()),
                              first_day=min(days[k]).isoformat(), last_day=max(days[k]).isoformat())
            for k in ranked[:limit]]
