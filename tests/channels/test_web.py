"""The customer web pages: intake form, signed status page, lookup; escaping and privacy."""

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from channels.gateway import TicketGateway
from channels.signing import StatusLinkSigner
from channels.web import i18n
from channels.web.app import WebConfig, create_app
from domain.nlp import TranslationState
from domain.status import TicketStatus
from domain.store_io import RecordTicketRequest
from domain.ticket import Customer, DeliveryState, Direction, TicketMessage, TicketState, TimelineEvent
from store.projection import project_ticket
from store.tables import AgentRow
from tests.channels.conftest import MailStack
from tests.channels.helpers import DownGateway, eventually, ticket_row, wait_for_messages

SIGNER = StatusLinkSigner(b"web-test-secret-0123456789abcdef")
T0 = datetime(2025, 1, 20, 9, 0, tzinfo=UTC)
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def seed(sessions: sessionmaker[Session]) -> None:
    def message(seq: int, direction: Direction, text: str, **kw: object) -> TicketMessage:
        return TicketMessage.model_validate(
            {
                "seq": seq,
                "direction": direction,
                "original_text": text,
                "created_at": T0 + timedelta(minutes=seq),
                **kw,
            }
        )

    def event(seq: int, kind: str, summary: str, public: bool, **kw: object) -> TimelineEvent:
        return TimelineEvent.model_validate(
            {
                "seq": seq,
                "at": T0 + timedelta(minutes=seq),
                "kind": kind,
                "summary": summary,
                "public": public,
                **kw,
            }
        )

    ann = TicketState(
        ticket_id="W-ANN",
        status=TicketStatus.PROCESSING,
        customer=Customer(email="Ann@Example.com"),
        subject=f"Bestellung {EVIL}",
        language="de",
        assignee="lukas.meyer",
        created_at=T0,
        updated_at=T0 + timedelta(minutes=9),
    )
    ann_messages = [
        message(1, Direction.INBOUND, f"Hallo {EVIL}\nZeile zwei", language="de"),
        message(2, Direction.NOTE, "INTERN: 客户很生气，先别退款", author="lukas.meyer"),
        message(
            3,
            Direction.OUTBOUND,
            "请重启。",
            author="lukas.meyer",
            translated_text="Bitte <b>neu</b> starten.",
            translation_state=TranslationState.TRANSLATED,
            delivery=DeliveryState.SENT,
        ),
        message(
            4,
            Direction.OUTBOUND,
            "草稿",
            author="lukas.meyer",
            translated_text="Entwurf, noch nicht gesendet",
            delivery=DeliveryState.HELD,
        ),
    ]
    ann_events = [
        event(1, "created", "Ticket received via web", True, actor="customer"),
        event(2, "assigned", "Assigned to lukas.meyer", False),
        event(
            3,
            "status",
            "Assigned to lukas.meyer",
            True,
            data={"from": "pending_assignment", "to": "processing"},
        ),
        event(4, "note", "Internal note added", False),
        event(5, "reply_sent", "Reply 3 sent in de", True, actor="lukas.meyer"),
    ]
    bob = TicketState(
        ticket_id="W-BOB",
        customer=Customer(email="bob@example.org"),
        subject="Bob's secret order",
        language="en",
        created_at=T0,
        updated_at=T0,
    )
    with sessions.begin() as session:
        project_ticket(
            session, RecordTicketRequest(state=ann, messages=ann_messages, events=ann_events, version=5)
        )
        project_ticket(
            session,
            RecordTicketRequest(
                state=bob,
                messages=[message(1, Direction.INBOUND, "BOB-ONLY")],
                events=[event(1, "created", "x", True)],
                version=1,
            ),
        )
        session.add(AgentRow(agent_id="lukas.meyer", name="Lukas Meyer"))


def client_for(
    sessions: sessionmaker[Session], gateway: TicketGateway | None = None, **config: object
) -> httpx.AsyncClient:
    app = create_app(
        sessions,
        SIGNER,
        WebConfig.model_validate({"public_url": "https://help.example.com", **config}),
        gateway or DownGateway(),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://help.example.com")


@pytest.fixture
async def web(mail_sessions: sessionmaker[Session]) -> AsyncIterator[httpx.AsyncClient]:
    seed(mail_sessions)
    async with client_for(mail_sessions) as client:
        yield client


async def test_status_page_shows_only_what_the_customer_may_see(web: httpx.AsyncClient) -> None:
    page = await web.get(f"/status/{SIGNER.sign('W-ANN')}")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="de" dir="ltr">' in html  # the ticket's language
    assert "In Bearbeitung" in html and "Anfrage eingegangen" in html and "Wir haben geantwortet" in html
    assert "Status: In Bearbeitung" in html
    # Customer text and the sent reply (in the customer's language), escaped.
    assert "Hallo &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Bitte &lt;b&gt;neu&lt;/b&gt; starten." in html
    assert "<script>" not in html and "onerror=alert(1)>" not in html
    # Never: internal notes, unsent drafts, the agent's own-language text, internal summaries, names,
    # other tickets.
    for secret in (
        "INTERN",
        "客户很生气",
        "Entwurf",
        "请重启",
        "Assigned to",
        "lukas",
        "Lukas",
        "BOB-ONLY",
        "Bob",
    ):
        assert secret not in html, secret
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"


async def test_agent_names_only_when_configured(mail_sessions: sessionmaker[Session]) -> None:
    seed(mail_sessions)
    async with client_for(mail_sessions, show_agent_names=True) as client:
        html = (await client.get(f"/status/{SIGNER.sign('W-ANN')}")).text
    assert "Lukas Meyer" in html and "lukas.meyer" not in html


async def test_status_page_in_the_chosen_language_including_rtl(web: httpx.AsyncClient) -> None:
    html = (await web.get(f"/status/{SIGNER.sign('W-ANN')}", params={"lang": "ar"})).text
    assert '<html lang="ar" dir="rtl">' in html and "قيد المعالجة" in html
    html = (await web.get(f"/status/{SIGNER.sign('W-ANN')}", params={"lang": "th"})).text
    assert '<html lang="th" dir="ltr">' in html and i18n.t("th", "status_processing") in html


async def test_bad_or_expired_links_are_refused(web: httpx.AsyncClient) -> None:
    token = SIGNER.sign("W-ANN")
    tampered = SIGNER.sign("W-BOB").split(".")[0] + "." + ".".join(token.split(".")[1:])
    for bad in (tampered, token[:-3] + "AAA", "nonsense"):
        page = await web.get(f"/status/{bad}")
        assert page.status_code == 403 and "BOB-ONLY" not in page.text and "Hallo" not in page.text
    expired = SIGNER.sign("W-ANN", now=datetime.now(UTC) - timedelta(days=400))
    page = await web.get(f"/status/{expired}", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert page.status_code == 403 and i18n.t("fr", "link_expired").replace("'", "&#39;") in page.text


async def test_lookup_by_ticket_number_and_email(web: httpx.AsyncClient) -> None:
    found = await web.post(
        "/status", data={"ticket_id": "[#W-ANN]", "email": "ann@example.COM", "lang": "ja"}
    )
    assert found.status_code == 303
    location = found.headers["location"]
    assert location.startswith("/status/") and location.endswith("?lang=ja")
    assert "お問い合わせ W-ANN" in (await web.get(location)).text
    for ticket_id, email in (("W-ANN", "bob@example.org"), ("W-BOB", "ann@example.com"), ("W-NONE", "a@b.c")):
        miss = await web.post("/status", data={"ticket_id": ticket_id, "email": email, "lang": "en"})
        assert miss.status_code == 404 and i18n.t("en", "lookup_failed") in miss.text


@pytest.mark.parametrize("lang", i18n.SUPPORTED)
async def test_intake_form_in_every_language(web: httpx.AsyncClient, lang: str) -> None:
    page = await web.get("/", params={"lang": lang})
    assert page.status_code == 200
    assert f'<html lang="{lang}" dir="{i18n.direction(lang)}">' in page.text
    for key in ("intake_title", "field_email", "field_message", "submit"):
        assert i18n.t(lang, key).replace("'", "&#39;") in page.text
    assert re.search(r'name="form_id" value="[A-Za-z0-9_-]{24}"', page.text)


async def test_intake_language_from_the_browser(web: httpx.AsyncClient) -> None:
    page = await web.get("/", headers={"accept-language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert '<html lang="ko"' in page.text


async def test_intake_validation_echoes_input_escaped(web: httpx.AsyncClient) -> None:
    page = await web.post(
        "/", data={"form_id": "f" * 24, "lang": "es", "email": "not-an-email", "subject": EVIL, "message": ""}
    )
    assert page.status_code == 400
    assert i18n.t("es", "error_email") in page.text and i18n.t("es", "error_required") in page.text
    assert "&lt;script&gt;" in page.text and "<script>" not in page.text


async def test_intake_when_temporal_is_down_keeps_the_text(web: httpx.AsyncClient) -> None:
    page = await web.post(
        "/",
        data={
            "form_id": "g" * 24,
            "lang": "de",
            "email": "ann@example.com",
            "subject": "Hilfe",
            "message": "Mein Gerät startet nicht.",
        },
    )
    assert page.status_code == 503
    assert i18n.t("de", "error_unavailable") in page.text and "Mein Gerät startet nicht." in page.text


async def test_intake_starts_one_ticket_and_its_status_link_works(mail_stack: MailStack) -> None:
    async with client_for(mail_stack.sessions, mail_stack.gateway) as client:
        form = await client.get("/", params={"lang": "th"})
        form_id = re.search(r'name="form_id" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        data = {
            "form_id": form_id,
            "lang": "th",
            "name": "สมศรี",
            "email": "Somsri@Example.co.th",
            "subject": "สินค้าเสียหาย",
            "message": "กล่องเสียหายหนึ่งกล่อง <b>ด่วน</b>",
            "website": "",
        }
        first = await client.post("/", data=data)
        second = await client.post("/", data=data)  # a double click
        assert first.status_code == second.status_code == 200
        ticket_id = re.search(r"W[0-9A-F]{14}", first.text).group(0)  # type: ignore[union-attr]
        assert ticket_id in second.text and i18n.t("th", "thanks_title") in first.text
        link = re.search(r'href="https://help.example.com(/status/[^"]+)"', first.text).group(1)  # type: ignore[union-attr]
        row = await eventually(lambda: ticket_row(mail_stack.sessions, ticket_id), "web ticket projected")
        assert (row.channel, row.customer_email) == ("web", "somsri@example.co.th")
        await wait_for_messages(mail_stack.sessions, ticket_id, 1)
        status = await client.get(link.replace("&amp;", "&"))
        assert status.status_code == 200 and '<html lang="th"' in status.text
        assert "กล่องเสียหายหนึ่งกล่อง &lt;b&gt;ด่วน&lt;/b&gt;" in status.text

        bot = await client.post("/", data={**data, "form_id": "h" * 24, "website": "http://spam.example"})
        assert bot.status_code == 200 and "/status/" not in bot.text
    handle = mail_stack.env.client.get_workflow_handle(f"ticket-{ticket_id}")
    assert (await handle.describe()).id == f"ticket-{ticket_id}"
    bot_id = "W" + __import__("hashlib").sha256(b"h" * 24).hexdigest()[:14].upper()
    assert ticket_row(mail_stack.sessions, bot_id) is None
