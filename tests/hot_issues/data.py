"""Synthetic ticket streams for the hot-issue tests: a steady "normal day" and a three-language spike.

Texts are what the SQL projection holds: the customer's subject/first message and its
internal-language (zh) translation.
"""

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from domain.nlp import TranslationState
from domain.status import TicketStatus
from domain.store_io import RecordTicketRequest
from domain.ticket import Direction, TicketMessage, TicketState
from insights.topics import ConceptIndex, TicketText
from nlp.glossary.loader import load_glossary_dir
from store.projection import project_ticket

GLOSSARIES = Path(__file__).resolve().parents[2] / "glossaries"

# (language, text, zh translation): the background a support desk sees every day.
BACKGROUND = [
    ("en", "Where is my order? The order number is A1001.", "我的订单在哪里？订单号是 A1001。"),
    (
        "de",
        "Wann wird meine Bestellung geliefert? Bestellnummer B2002.",
        "我的订单什么时候送到？订单号 B2002。",
    ),
    ("es", "La batería de mi P10 dura muy poco.", "我的 P10 电池续航很短。"),
    ("fr", "Le roulement de la machine TX-5000 fait du bruit.", "TX-5000 机器的轴承有噪音。"),
    ("th", "ขอหมายเลขติดตามพัสดุด้วยค่ะ", "请提供物流单号。"),
    ("ja", "注文番号 C3003 の注文をキャンセルしたいです。", "我想取消订单号 C3003 的订单。"),
]

# The same defect in three languages: model X200, battery, overheating.
SPIKE = {
    "de": (
        "Der Akku meines X200 wird beim Laden extrem heiß, Überhitzung nach 10 Minuten.",
        "我的 X200 电池在充电时非常烫，10 分钟后过热。",
    ),
    "es": (
        "La batería del X200 se calienta muchísimo: sobrecalentamiento al cargar.",
        "X200 的电池发热严重：充电时过热。",
    ),
    "ja": ("X200のバッテリーが充電中に過熱して、とても熱くなります。", "X200 的电池在充电时过热，变得很烫。"),
}


def concept_index() -> ConceptIndex:
    return ConceptIndex(load_glossary_dir(GLOSSARIES), "zh")


def normal_days(now: datetime, days: float = 8.0, per_hour: int = 2, prefix: str = "N") -> list[TicketText]:
    """A steady stream: `per_hour` tickets an hour, cycling through the background topics."""
    count = int(days * 24 * per_hour)
    step = timedelta(hours=1) / per_hour
    tickets = []
    for i in range(count):
        lang, text, zh = BACKGROUND[i % len(BACKGROUND)]
        tickets.append(
            TicketText(
                ticket_id=f"{prefix}{i:05d}",
                language=lang,
                created_at=now - step * (i + 1),
                text=text,
                translated=zh,
            )
        )
    return tickets


def spike(
    now: datetime, per_language: dict[str, int], hours: float = 6.0, prefix: str = "S"
) -> list[TicketText]:
    """Tickets about the X200 battery spread over the last `hours`, interleaved by language."""
    tickets: list[TicketText] = []
    order = [
        lang for n in range(max(per_language.values())) for lang in per_language if n < per_language[lang]
    ]
    gap = timedelta(hours=hours) / (len(order) + 1)
    for i, lang in enumerate(order):
        text, zh = SPIKE[lang]
        tickets.append(
            TicketText(
                ticket_id=f"{prefix}{i:03d}-{lang}",
                language=lang,
                created_at=now - gap * (i + 1),
                text=text,
                translated=zh,
            )
        )
    return tickets


def seed(sessions: sessionmaker[Session], tickets: list[TicketText]) -> None:
    """Write tickets the way the workflow's projection does (tickets + first message rows)."""
    with sessions.begin() as session:
        for t in tickets:
            state = TicketState(
                ticket_id=t.ticket_id,
                status=TicketStatus.PROCESSING,
                language=t.language,
                created_at=t.created_at,
                updated_at=t.created_at,
            )
            message = TicketMessage(
                seq=1,
                direction=Direction.INBOUND,
                original_text=t.text,
                language=t.language,
                translated_text=t.translated,
                translation_language="zh",
                translation_state=TranslationState.TRANSLATED,
                created_at=t.created_at,
            )
            project_ticket(session, RecordTicketRequest(state=state, messages=[message], version=1))
