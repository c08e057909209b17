"""SLA activities (task queue `tickets`): resolve the policy version and calendar, compute deadlines.

Calendar arithmetic (time zones, public holidays) happens here, never in the workflow: the
workflow receives absolute datetimes and only compares them with `workflow.now()`.
"""

from zoneinfo import ZoneInfoNotFoundError

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.ids import ActivityName
from domain.routing import ComputedDeadlines, ComputeDeadlinesRequest, ResolvedSla, ResolveSlaRequest
from domain.sla import SlaPolicy
from routing.deadlines import compute_deadlines, resolve_with
from routing.scoring import route_team
from store.agents import list_teams
from store.sla_policies import resolve_calendar, resolve_policy


def bad_calendar(exc: Exception) -> ApplicationError:
    # Retrying cannot fix a calendar without open hours or an unknown time zone.
    return ApplicationError(f"SLA calendar unusable: {exc}", type="BadCalendar", non_retryable=True)


class SlaActivities:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    @activity.defn(name=ActivityName.RESOLVE_SLA)
    def resolve_sla(self, req: ResolveSlaRequest) -> ResolvedSla:
        with self.sessions.begin() as session:
            policy = req.policy or resolve_policy(session, req.priority, req.tier, req.channel) or SlaPolicy()
            team = route_team(list_teams(session), req.language, req.domain)
            team_id = team.team_id if team else None
            calendar = resolve_calendar(session, policy, team_id)
        try:
            return resolve_with(req, policy, calendar, team_id if calendar is not None else None)
        except (ValueError, ZoneInfoNotFoundError) as exc:
            raise bad_calendar(exc) from exc

    @activity.defn(name=ActivityName.COMPUTE_SLA_DEADLINES)
    def compute_sla_deadlines(self, req: ComputeDeadlinesRequest) -> ComputedDeadlines:
        try:
            return compute_deadlines(req)
        except (ValueError, ZoneInfoNotFoundError) as exc:
            raise bad_calendar(exc) from exc
