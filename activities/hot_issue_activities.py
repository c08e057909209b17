"""The hot-issue scan (task queue `tickets`): recent tickets from SQL -> topics -> spikes -> alerts.

Glossaries are loaded once per worker (nlp/glossary); thresholds come from the environment
(insights/settings.py HotIssueSettings). The scan is idempotent for a given `now`: a retry finds
the alert it created and updates it instead of raising another.
"""

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity

from domain.hot_issues import SCAN_HOT_ISSUES, AlertNotice, ScanHotIssuesRequest, ScanHotIssuesResult
from insights.settings import HotIssueSettings
from insights.spikes import find_hot_groups
from insights.topics import ConceptIndex, topics_all
from store.hot_issues import apply_groups, load_ticket_texts, notification_id


class HotIssueActivities:
    def __init__(
        self, sessions: sessionmaker[Session], index: ConceptIndex, settings: HotIssueSettings | None = None
    ) -> None:
        self.sessions = sessions
        self.index = index
        self.settings = settings or HotIssueSettings()

    @activity.defn(name=SCAN_HOT_ISSUES)
    def scan_hot_issues(self, req: ScanHotIssuesRequest) -> ScanHotIssuesResult:
        cfg = self.settings
        since = req.now - timedelta(hours=cfg.window_hours) - timedelta(days=cfg.baseline_days)
        with self.sessions() as session:
            texts = load_ticket_texts(session, since, cfg.max_tickets)
        topics = topics_all(texts, self.index)
        outcome = find_hot_groups(topics, req.now, cfg, self.index.label)
        languages = {t.ticket_id: t.language for t in texts}
        created = {t.ticket_id: t.created_at for t in texts}
        with self.sessions.begin() as session:
            changes = apply_groups(
                session, outcome.groups, req.now, timedelta(hours=cfg.cool_down_hours), languages, created
            )
        return ScanHotIssuesResult(
            tickets_scanned=len(texts),
            hot_keys=[s.key for s in outcome.stats if s.hot],
            alerts=[
                AlertNotice(
                    alert_id=c.alert_id,
                    notification_id=notification_id(c.alert_id),
                    summary=c.summary,
                    created=c.created,
                    notify=c.notify,
                )
                for c in changes
            ],
            recipients=list(cfg.recipients),
        )
