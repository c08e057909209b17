"""People and places: agents with their skills, teams with calendars, departments."""

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.queries.views import AgentView, DepartmentView, TeamView
from store.tables import AgentRow, DepartmentRow, TeamRow


def list_agents(sessions: sessionmaker[Session]) -> list[AgentView]:
    with sessions() as session:
        rows = session.scalars(select(AgentRow).order_by(AgentRow.team_id, AgentRow.agent_id))
        return [AgentView.model_validate(r, from_attributes=True) for r in rows]


def list_teams(sessions: sessionmaker[Session]) -> list[TeamView]:
    with sessions() as session:
        return [
            TeamView.model_validate(r, from_attributes=True)
            for r in session.scalars(select(TeamRow).order_by(TeamRow.team_id))
        ]


def list_departments(sessions: sessionmaker[Session]) -> list[DepartmentView]:
    with sessions() as session:
        return [
            DepartmentView.model_validate(r, from_attributes=True)
            for r in session.scalars(select(DepartmentRow).order_by(DepartmentRow.department_id))
        ]
