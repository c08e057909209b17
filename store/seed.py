"""Demo data: four teams (Berlin, Manila, Shenzhen, New York), their agents, the departments,
business calendars and SLA policies."""

from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from store.sla_policies import seed_sla_demo
from store.tables import AgentRow, DepartmentRow, TeamRow
from store.upsert import upsert

WEEKDAYS_9_TO_6 = {str(d): [["09:00", "12:00"], ["13:00", "18:00"]] for d in range(5)}

TEAMS: list[dict[str, Any]] = [
    {
        "team_id": "berlin",
        "name": "Berlin (fr/de/it)",
        "timezone": "Europe/Berlin",
        "languages": ["de", "fr", "it", "nl"],
        "domains": [],
        "supervisor": "anna.schmidt",
        "manager": "li.wei",
        "calendar": {"country": "DE", "hours": WEEKDAYS_9_TO_6},
    },
    {
        "team_id": "manila",
        "name": "Manila (en/th/vi)",
        "timezone": "Asia/Manila",
        "languages": ["en", "th", "vi", "tl", "id", "ms"],
        "domains": [],
        "supervisor": "maria.santos",
        "manager": "li.wei",
        "calendar": {"country": "PH", "hours": WEEKDAYS_9_TO_6},
    },
    {
        "team_id": "shenzhen",
        "name": "Shenzhen (zh, hard technical cases)",
        "timezone": "Asia/Shanghai",
        "languages": ["zh", "en", "ja", "ko"],
        "domains": ["technical_support"],
        "supervisor": "zhang.min",
        "manager": "li.wei",
        "calendar": {"country": "CN", "hours": WEEKDAYS_9_TO_6},
    },
    # Routing/SLA demo (issue #6): the Americas desk works US Eastern business hours and US holidays.
    {
        "team_id": "newyork",
        "name": "New York (Americas: en/es/pt)",
        "timezone": "America/New_York",
        "languages": ["es", "pt"],
        "domains": ["billing"],
        "supervisor": "james.miller",
        "manager": "li.wei",
        "calendar": {"calendar_id": "us_eastern"},
    },
]

AGENTS: list[dict[str, Any]] = [
    {
        "agent_id": "anna.schmidt",
        "name": "Anna Schmidt",
        "role": "supervisor",
        "team_id": "berlin",
        "languages": {"de": 5, "en": 5, "zh": 3},
        "domains": ["complaint", "billing"],
        "timezone": "Europe/Berlin",
    },
    {
        "agent_id": "lukas.meyer",
        "name": "Lukas Meyer",
        "role": "agent",
        "team_id": "berlin",
        "languages": {"de": 5, "fr": 4, "zh": 4},
        "domains": ["after_sales", "logistics", "order_inquiry"],
        "industries": ["machinery"],
        "timezone": "Europe/Berlin",
    },
    {
        "agent_id": "chloe.martin",
        "name": "Chloé Martin",
        "role": "agent",
        "team_id": "berlin",
        "languages": {"fr": 5, "it": 4, "es": 3, "zh": 4},
        "domains": ["order_inquiry", "pre_sales"],
        "industries": ["light_industry"],
        "timezone": "Europe/Paris",
    },
    {
        "agent_id": "maria.santos",
        "name": "Maria Santos",
        "role": "supervisor",
        "team_id": "manila",
        "languages": {"en": 5, "tl": 5, "zh": 3},
        "domains": ["complaint"],
        "timezone": "Asia/Manila",
    },
    {
        "agent_id": "somchai.k",
        "name": "Somchai Kittisak",
        "role": "agent",
        "team_id": "manila",
        "languages": {"th": 5, "en": 4, "zh": 4},
        "domains": ["after_sales", "logistics"],
        "industries": ["electronics", "light_industry"],
        "timezone": "Asia/Bangkok",
    },
    {
        "agent_id": "nguyen.an",
        "name": "Nguyễn An",
        "role": "agent",
        "team_id": "manila",
        "languages": {"vi": 5, "en": 4, "zh": 4},
        "domains": ["order_inquiry", "logistics", "billing"],
        "industries": ["electronics"],
        "timezone": "Asia/Ho_Chi_Minh",
    },
    {
        "agent_id": "zhang.min",
        "name": "张敏",
        "role": "supervisor",
        "team_id": "shenzhen",
        "languages": {"zh": 5, "en": 4},
        "domains": ["technical_support", "complaint"],
        "timezone": "Asia/Shanghai",
    },
    {
        "agent_id": "wang.lei",
        "name": "王磊",
        "role": "agent",
        "team_id": "shenzhen",
        "languages": {"zh": 5, "en": 4, "ja": 3},
        "domains": ["technical_support", "pre_sales"],
        "industries": ["electronics", "machinery"],
        "timezone": "Asia/Shanghai",
    },
    {
        "agent_id": "kim.jiwoo",
        "name": "김지우",
        "role": "agent",
        "team_id": "shenzhen",
        "languages": {"ko": 5, "zh": 5, "ja": 4, "en": 3},
        "domains": ["order_inquiry", "after_sales"],
        "industries": ["electronics"],
        "timezone": "Asia/Seoul",
    },
    {
        "agent_id": "li.wei",
        "name": "李伟",
        "role": "manager",
        "team_id": "shenzhen",
        "languages": {"zh": 5, "en": 5},
        "domains": [],
        "timezone": "Asia/Shanghai",
    },
    {
        "agent_id": "james.miller",
        "name": "James Miller",
        "role": "supervisor",
        "team_id": "newyork",
        "languages": {"en": 5, "es": 3, "zh": 3},
        "domains": ["complaint", "billing"],
        "timezone": "America/New_York",
        "working_hours": {str(d): [["09:00", "17:00"]] for d in range(5)},
    },
    {
        "agent_id": "sofia.garcia",
        "name": "Sofía García",
        "role": "agent",
        "team_id": "newyork",
        "languages": {"es": 5, "pt": 4, "en": 5, "zh": 3},
        "domains": ["order_inquiry", "billing", "after_sales"],
        "industries": ["machinery", "light_industry"],
        "timezone": "America/New_York",
        "working_hours": {str(d): [["09:00", "17:00"]] for d in range(5)},
    },
]

DEPARTMENTS: list[dict[str, Any]] = [
    {
        "department_id": "logistics",
        "name": "Logistics",
        "name_zh": "物流部",
        "head": "chen.jie",
        "manager": "li.wei",
        "email": "logistics@lingodesk.local",
    },
    {
        "department_id": "engineering",
        "name": "Engineering",
        "name_zh": "技术部",
        "head": "zhao.gang",
        "manager": "li.wei",
        "email": "engineering@lingodesk.local",
    },
    {
        "department_id": "warehouse",
        "name": "Warehouse",
        "name_zh": "仓库",
        "head": "sun.li",
        "manager": "li.wei",
        "email": "warehouse@lingodesk.local",
    },
    {
        "department_id": "finance",
        "name": "Finance",
        "name_zh": "财务部",
        "head": "zhou.yan",
        "manager": "li.wei",
        "email": "finance@lingodesk.local",
    },
]


def _agent_defaults(agent: dict[str, Any]) -> dict[str, Any]:
    return {
        "email": f"{agent['agent_id']}@lingodesk.local",
        "industries": [],
        "working_hours": WEEKDAYS_9_TO_6,
        "capacity": 12,
        "presence": "online",
        "active": True,
        **agent,
    }


def seed_demo(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Insert or refresh the demo set; running it twice changes nothing."""
    with sessions.begin() as session:
        upsert(session, TeamRow.__table__, TEAMS, ["team_id"])  # type: ignore[arg-type]
        upsert(session, AgentRow.__table__, [_agent_defaults(a) for a in AGENTS], ["agent_id"])  # type: ignore[arg-type]
        upsert(
            session,
            DepartmentRow.__table__,  # type: ignore[arg-type]
            [{"timezone": "Asia/Shanghai", "calendar": {}, **d} for d in DEPARTMENTS],
            ["department_id"],
        )
        sla = seed_sla_demo(session)  # business calendars and SLA policy versions (store/sla_policies.py)
    return {"teams": len(TEAMS), "agents": len(AGENTS), "departments": len(DEPARTMENTS), **sla}
