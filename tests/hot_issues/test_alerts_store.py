"""Alerts in SQL: one alert per open issue, updated as it grows, closed after cooling down."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from activities.hot_issue_activities import HotIssueActivities
from domain.hot_issues import ScanHotIssuesRequest
from store.hot_issues import acknowledge_alert, list_alerts
from store.tables import HotIssueAlertRow
from tests.hot_issues.data import concept_index, normal_days, seed, spike

NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def scan(store: sessionmaker[Session], now: datetime):  # type: ignore[no-untyped-def]
    return HotIssueActivities(store, concept_index()).scan_hot_issues(ScanHotIssuesRequest(now=now))


def test_growing_spike_is_one_alert_updated_then_closed_then_a_new_spike_is_new(
    store: sessionmaker[Session],
) -> None:
    seed(store, normal_days(NOW + timedelta(hours=1)) + spike(NOW, {"de": 3, "es": 2, "ja": 2}))
    first = scan(store, NOW)
    assert [(a.created, a.notify) for a in first.alerts] == [(True, True)]
    assert first.alerts[0].summary == "battery, overheating, model X200: 7 tickets in 6 hours from de, es, ja"
    alert_id = first.alerts[0].alert_id
    assert first.alerts[0].notification_id == f"hot-issue-{alert_id}"

    # Fifteen minutes later, more reports: the same alert grows (and is sent again once doubled).
    later = NOW + timedelta(minutes=15)
    seed(store, spike(later, {"de": 4, "es": 3, "ja": 3}, hours=0.2, prefix="L"))
    second = scan(store, later)
    assert [(a.alert_id, a.created, a.notify) for a in second.alerts] == [(alert_id, False, True)]
    again = scan(store, later)  # a retried scan activity: nothing new, nothing sent
    assert [(a.alert_id, a.created, a.notify) for a in again.alerts] == [(alert_id, False, False)]
    (view,) = list_alerts(store)
    assert view.ticket_count == 17 and view.languages == ["de", "es", "ja"]
    assert len(view.tickets) == 17 and {t.language for t in view.tickets} == {"de", "es", "ja"}

    assert acknowledge_alert(store, alert_id, "zhang.min", now=later)
    assert not acknowledge_alert(store, alert_id, "li.wei")  # the first acknowledgement stays
    (view,) = list_alerts(store)
    assert view.acknowledged_by == "zhang.min" and view.acknowledged_at is not None

    # A day later, quiet: the alert closes. A new spike after that is a new alert.
    quiet = later + timedelta(hours=30)
    assert scan(store, quiet).alerts == []
    assert list_alerts(store) == [] and list_alerts(store, include_closed=True)[0].status == "closed"
    seed(store, spike(quiet + timedelta(hours=1), {"de": 3, "es": 3, "ja": 3}, prefix="R"))
    new = scan(store, quiet + timedelta(hours=1))
    assert [(a.created, a.notify) for a in new.alerts] == [(True, True)] and new.alerts[
        0
    ].alert_id != alert_id
    with store() as session:
        assert len(session.scalars(select(HotIssueAlertRow)).all()) == 2


def test_normal_days_raise_no_alert(store: sessionmaker[Session]) -> None:
    seed(store, normal_days(NOW, days=9, per_hour=3))
    for minutes in range(0, 24 * 60, 15 * 8):  # a scan every two hours across a day
        assert scan(store, NOW - timedelta(days=1) + timedelta(minutes=minutes)).alerts == []
    assert list_alerts(store, include_closed=True) == []
