"""Survey links: signed for one ticket and resolution round, expiring, refused when altered."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from channels.csat_gateway import CsatRefused
from channels.csat_link import CsatLinkSigner, survey_url
from channels.signing import ExpiredToken, InvalidToken, StatusLinkSigner
from channels.web.app import WebConfig, create_app
from domain.actions import ActionResult
from domain.csat import CsatSubmission
from domain.status import TicketStatus
from domain.store_io import RecordTicketRequest
from domain.ticket import Customer, TicketState
from store.projection import project_ticket
from tests.channels.helpers import DownGateway

SECRET = b"csat-link-test-secret-0123456789"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_round_trip_names_ticket_and_round() -> None:
    signer = CsatLinkSigner(SECRET)
    token = signer.sign("E-42", 2, NOW + timedelta(days=7))
    survey = signer.verify(token, now=NOW)
    assert (survey.ticket_id, survey.round) == ("E-42", 2)
    assert survey.expires_at == NOW + timedelta(days=7)
    assert survey_url("https://x.test/", token, "de") == f"https://x.test/survey/{token}?lang=de"


@pytest.mark.parametrize("part", [0, 1, 2, 3])
def test_any_altered_part_is_refused(part: int) -> None:
    signer = CsatLinkSigner(SECRET)
    parts = signer.sign("E-42", 0, NOW + timedelta(days=7)).split(".")
    replacement = {0: "RS00Mw", 1: "1", 2: str(int(parts[2]) + 86400), 3: parts[3][:-2] + "AA"}
    parts[part] = replacement[part]
    with pytest.raises(InvalidToken):
        signer.verify(".".join(parts), now=NOW)


def test_expired_wrong_secret_and_status_tokens_are_refused() -> None:
    signer = CsatLinkSigner(SECRET)
    token = signer.sign("E-42", 0, NOW + timedelta(days=7))
    with pytest.raises(ExpiredToken):
        signer.verify(token, now=NOW + timedelta(days=7))
    with pytest.raises(InvalidToken):
        CsatLinkSigner(b"another-secret-0123456789abcdef").verify(token, now=NOW)
    status_token = StatusLinkSigner(SECRET).sign("E-42", now=NOW)  # same secret, other purpose
    with pytest.raises(InvalidToken):
        signer.verify(status_token, now=NOW)
    with pytest.raises(InvalidToken):
        signer.verify("a.b.c.d", now=NOW)
    with pytest.raises(ValueError):
        CsatLinkSigner(b"short")


class RecordingCsat:
    def __init__(self) -> None:
        self.calls: list[tuple[str, CsatSubmission]] = []

    async def submit(self, ticket_id: str, answer: CsatSubmission) -> ActionResult:
        self.calls.append((ticket_id, answer))
        if answer.score == 3:
            raise CsatRefused("this resolution was already rated")
        return ActionResult(status="closed", detail="rated")


@pytest.fixture
def resolved(mail_sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    state = TicketState(
        ticket_id="W-CSAT",
        status=TicketStatus.CLOSED,
        customer=Customer(email="a@b.c"),
        language="ja",
        created_at=NOW,
        updated_at=NOW,
        closed_at=NOW,
        resolved_at=NOW,
    )
    with mail_sessions.begin() as session:
        project_ticket(session, RecordTicketRequest(state=state, version=1))
    return mail_sessions


def web(sessions: sessionmaker[Session], csat: RecordingCsat) -> httpx.AsyncClient:
    app = create_app(
        sessions,
        StatusLinkSigner(SECRET),
        WebConfig(),
        DownGateway(),
        csat=csat,
        csat_signer=CsatLinkSigner(SECRET),
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://help.example.com")


async def test_web_refuses_tampered_and_expired_links_and_bad_scores(resolved: sessionmaker[Session]) -> None:
    signer = CsatLinkSigner(SECRET)
    csat = RecordingCsat()
    future = datetime.now(UTC) + timedelta(days=3)
    good = signer.sign("W-CSAT", 0, future)
    tampered = signer.sign("W-OTHER", 0, future).split(".")[0] + "." + good.split(".", 1)[1]
    expired = signer.sign("W-CSAT", 0, datetime.now(UTC) - timedelta(seconds=1))
    async with web(resolved, csat) as client:
        for token, message in ((tampered, "not valid"), (expired, "expired"), ("x.y.z", "not valid")):
            for response in (
                await client.get(f"/survey/{token}?lang=en"),
                await client.post(f"/survey/{token}", data={"score": "5", "lang": "en"}),
            ):
                assert response.status_code == 403 and message in response.text
        page = await client.get(f"/survey/{good}")  # the ticket's language (ja) without ?lang=
        assert page.status_code == 200 and "対応はいかがでしたか" in page.text
        for bad in ("0", "6", "abc", ""):
            response = await client.post(f"/survey/{good}", data={"score": bad, "lang": "en"})
            assert response.status_code == 400 and "Please choose a rating from 1 to 5." in response.text
        too_long = await client.post(
            f"/survey/{good}", data={"score": "4", "comment": "x" * 2001, "lang": "en"}
        )
        assert too_long.status_code == 400
        refused = await client.post(f"/survey/{good}", data={"score": "3", "lang": "en"})
        assert refused.status_code == 409 and "already been rated" in refused.text
        ok = await client.post(f"/survey/{good}", data={"score": "4", "comment": "<b>ok</b>", "lang": "en"})
        assert ok.status_code == 200 and "Thank you for your feedback" in ok.text
        stale = signer.sign("W-CSAT", 1, future)  # a round the ticket has not reached
        assert (await client.get(f"/survey/{stale}?lang=en")).status_code == 410
    assert [(t, a.score, a.round, a.comment) for t, a in csat.calls] == [
        ("W-CSAT", 3, 0, ""),
        ("W-CSAT", 4, 0, "<b>ok</b>"),
    ]
