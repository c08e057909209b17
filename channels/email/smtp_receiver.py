"""Receiving mail by SMTP (aiosmtpd), e.g. behind the company MX or a relay that forwards to us.

The server runs on the caller's event loop (not aiosmtpd's `Controller` thread) so it shares
the Temporal client. Answers follow SMTP's contract with the sending MTA: 250 once the mail is
handled (a ticket, a follow-up, or recorded as ignored/rejected with the raw bytes on disk),
451 when the ticket could not be reached now (the sender retries; our dedup makes that safe),
550 for recipients this mailbox does not serve. Mail above the hard size cap is refused with 552
before it is read, so one sender cannot fill memory.
"""

import asyncio
import logging

from aiosmtpd.smtp import SMTP, Envelope, Session

from channels.email.config import MailboxConfig
from channels.email.ingest import EmailIngestor, TransientIngestError

log = logging.getLogger("lingodesk.mail.smtp")

# Mail up to this multiple of the ticket size limit is still read, so it can be kept on disk
# and recorded as rejected with a reason; beyond it the sender gets 552 and keeps the mail.
HARD_CAP_FACTOR = 2


class IngestHandler:
    def __init__(self, ingestor: EmailIngestor, mailbox: MailboxConfig) -> None:
        self.ingestor = ingestor
        self.mailbox = mailbox

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if not self.mailbox.accepts(address):
            return "550 5.1.1 No such recipient here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        if isinstance(raw, str):  # only when decode_data=True, which we never set
            raw = raw.encode("utf-8", errors="surrogateescape")
        try:
            await self.ingestor.ingest(raw, self.mailbox.name)
        except TransientIngestError:
            return "451 4.3.0 Temporary failure, please try again later"
        except Exception as exc:  # never drop the connection on our bug; the sender keeps the mail
            log.error("mailbox=%s ingest failed: %s", self.mailbox.name, type(exc).__name__)
            return "451 4.3.0 Temporary failure, please try again later"
        return "250 2.0.0 Message accepted"


def hard_size_cap(ingestor: EmailIngestor) -> int:
    return ingestor.config.max_message_bytes * HARD_CAP_FACTOR


async def start_smtp_receiver(
    ingestor: EmailIngestor, mailbox: MailboxConfig, hostname: str | None = None
) -> asyncio.Server:
    """Listen on the mailbox's host and port; close the returned server to stop."""
    handler = IngestHandler(ingestor, mailbox)
    loop = asyncio.get_running_loop()
    cap = hard_size_cap(ingestor)

    def factory() -> SMTP:
        return SMTP(
            handler,
            data_size_limit=cap,
            enable_SMTPUTF8=True,
            decode_data=False,
            hostname=hostname,
            ident="Lingodesk ESMTP",
        )

    server = await loop.create_server(factory, host=mailbox.host, port=mailbox.effective_port())
    log.info("mailbox=%s SMTP receiver on %s:%d", mailbox.name, mailbox.host, mailbox.effective_port())
    return server
