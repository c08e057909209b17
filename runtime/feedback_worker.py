"""Wiring of the CSAT and hot-issue activities for the `tickets` worker (used by worker.py)."""

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from channels.outbound import Mailer
from runtime.settings import Settings


def feedback_activities(sessions: sessionmaker[Session], settings: Settings,
                        mailer: Mailer | None) -> list[Callable[..., Any]]:
    from activities.csat_activities import CsatActivities
    from activities.hot_issue_activities import HotIssueActivities
    from channels.csat_link import CsatLinkSigner
    from channels.signing import load_secret
    from insights.topics import ConceptIndex
    from nlp.glossary.loader import load_glossary_dir
    from templates.loader import load_catalog
    from templates.service import TemplateService
    from templates.store import SqlVariantStore

    secret = load_secret(settings)
    csat = CsatActivities(
        sessions,
        TemplateService(load_catalog(settings.templates_dir), SqlVariantStore(sessions)),
        CsatLinkSigner(secret) if secret else None,
        mailer,
        settings.public_url,
        settings.mail_domain,
    )
    index = ConceptIndex(load_glossary_dir(settings.glossaries_dir), settings.internal_language)
    hot = HotIssueActivities(sessions, index)
    return [csat.send_csat_survey, csat.record_csat, hot.scan_hot_issues]
