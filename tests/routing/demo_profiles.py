"""The demo agents and teams (store/seed.py) as routing profiles, for tests without a database."""

from typing import Any

from domain.calendar import BusinessCalendar
from domain.routing import AgentProfile, TeamProfile
from store.seed import AGENTS, TEAMS, WEEKDAYS_9_TO_6
from store.sla_policies import US_EASTERN


def demo_teams() -> dict[str, TeamProfile]:
    teams: dict[str, TeamProfile] = {}
    for raw in TEAMS:
        spec: dict[str, Any] = dict(raw["calendar"])
        if spec.get("calendar_id") == "us_eastern":
            calendar = US_EASTERN
        else:
            calendar = BusinessCalendar.model_validate(spec | {"calendar_id": raw["team_id"],
                                                               "timezone": raw["timezone"]})
        teams[raw["team_id"]] = TeamProfile.model_validate(raw | {"calendar": calendar})
    return teams


def demo_agents(**overrides: Any) -> list[AgentProfile]:
    """Every demo agent online with the seed's defaults; `overrides` apply to all."""
    defaults = {"working_hours": WEEKDAYS_9_TO_6, "capacity": 12, "presence": "online"}
    return [AgentProfile.model_validate(defaults | raw | overrides) for raw in AGENTS]
