"""Sending replies by SMTP: `SmtpMailer` implements `channels.outbound.Mailer`.

The message threads in the customer's client (Message-ID recorded before sending by
ChannelActivities, In-Reply-To and References from the ticket's mails, the `[#id]` token in the
subject), carries a plain-text and an HTML part, and says its language (Content-Language, and
`lang`/`dir` on the HTML). The HTML is always generated here from the text, escaped: agent
input never reaches a mail client as markup.

Errors map onto Temporal's retry policy: a 5xx answer is permanent (`PermanentDeliveryFailure`,
recorded on the ticket as delivery_failed and alerted to the agent); 4xx answers, refused
logins and network errors raise `TransientDeliveryFailure` and the activity retries.
"""

import html
import re
import smtplib
import ssl
from collections.abc import Callable
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate

from channels.email.threading import ticket_ids_in_subject, ticket_of_reply_id
from channels.outbound import OutgoingEmail, PermanentDeliveryFailure
from channels.signing import signer_from_settings, status_url
from channels.web.i18n import direction, supported, t
from runtime.settings import Settings

_LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
# Fold only where RFC 5322 must (998): at 78 the stdlib turns a long Outlook Message-ID in
# In-Reply-To into an RFC 2047 encoded-word, which no client matches and the thread breaks.
SMTP_POLICY = SMTP.clone(max_line_length=998)
MAX_REFERENCES = 20  # keep the first (thread root) and the newest; clients need no more
AUTH_CODES = frozenset({530, 534, 535, 538})  # our credentials: fixable by ops, so keep retrying

StatusLink = Callable[[str], str | None]


class TransientDeliveryFailure(Exception):
    """Try again later: the server said 4xx, refused our login, or could not be reached."""


def _trim_references(references: list[str]) -> list[str]:
    refs = list(dict.fromkeys(r for r in references if r))
    if len(refs) <= MAX_REFERENCES:
        return refs
    return [refs[0], *refs[-(MAX_REFERENCES - 1) :]]


def render_html(text: str, lang: str, footer: str = "", link: str | None = None) -> str:
    """The reply as minimal, escaped HTML (paragraphs and line breaks; our status link as a link)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(html.escape(line, quote=True) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )
    if footer and link:
        label = html.escape(footer.replace(link, "").strip().rstrip(":：").strip())
        body += f'\n<hr>\n<p><a href="{html.escape(link, quote=True)}">{label}</a></p>'
    lang_attr = f' lang="{html.escape(lang)}"' if _LANG_TAG.match(lang or "") else ""
    return (
        f'<!DOCTYPE html>\n<html{lang_attr} dir="{direction(supported(lang) or lang)}">\n'
        f'<head><meta charset="utf-8"></head>\n<body>\n{body}\n</body>\n</html>\n'
    )


class SmtpMailer:
    def __init__(
        self,
        host: str,
        port: int,
        from_addr: str,
        from_name: str = "",
        security: str = "starttls",
        username: str | None = None,
        password: str | None = None,
        timeout: float = 30.0,
        status_link: StatusLink | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in ("starttls", "ssl", "none"):
            raise ValueError(f"unknown SMTP security {security!r}: use starttls, ssl or none")
        self.host, self.port, self.security = host, port, security
        self.from_addr, self.from_name = from_addr, from_name
        self.username, self.password = username, password
        self.timeout = timeout
        self.status_link = status_link
        self.ssl_context = ssl_context or ssl.create_default_context()

    def build(self, email: OutgoingEmail) -> EmailMessage:
        """The MIME message for one reply (raises PermanentDeliveryFailure on unusable input)."""
        lang = email.language if _LANG_TAG.match(email.language or "") else ""
        tokens = ticket_ids_in_subject(email.ticket_token)
        # The status link goes to customers only: on replies (our reply Message-IDs), not on alerts.
        reply_to_ticket = ticket_of_reply_id(email.message_id)
        link = self.status_link(reply_to_ticket) if self.status_link and reply_to_ticket else None
        footer = t(supported(lang) or "en", "track_request", url=link) if link else ""
        text = email.text.strip() + "\n" + (f"\n-- \n{footer}\n" if footer else "")
        subject = (
            email.subject if email.ticket_token in email.subject else f"{email.subject} {email.ticket_token}"
        )
        msg = EmailMessage(policy=SMTP_POLICY)
        try:
            msg["From"] = formataddr((self.from_name, self.from_addr))
            msg["To"] = Address(display_name=email.to_name, addr_spec=email.to)
            msg["Subject"] = subject.strip()
            msg["Date"] = formatdate(usegmt=True)
            msg["Message-ID"] = email.message_id
            if email.in_reply_to:
                msg["In-Reply-To"] = email.in_reply_to
            references = _trim_references(email.references)
            if references:
                msg["References"] = " ".join(references)
            if tokens:
                msg["X-Lingodesk-Ticket"] = tokens[0]
        except (ValueError, TypeError, HeaderParseError) as exc:  # CR/LF in a header, an unparseable address
            raise PermanentDeliveryFailure(f"invalid reply headers: {exc}") from exc
        msg.set_content(text, subtype="plain", charset="utf-8")
        msg.add_alternative(render_html(email.text, lang, footer, link), subtype="html", charset="utf-8")
        if lang:
            # After add_alternative, which moves Content-* headers into the first part.
            msg["Content-Language"] = lang
            for part in msg.iter_parts():
                part["Content-Language"] = lang
        return msg

    def _connect(self) -> smtplib.SMTP:
        if self.security == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self.ssl_context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            smtp.starttls(context=self.ssl_context)
        return smtp

    def send(self, email: OutgoingEmail) -> None:
        msg = self.build(email)
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(msg, from_addr=self.from_addr, to_addrs=[email.to])
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()), (550, b"recipient refused"))
            raise self._failure(code, reply) from exc
        except smtplib.SMTPResponseException as exc:
            raise self._failure(exc.smtp_code, exc.smtp_error) from exc
        except smtplib.SMTPNotSupportedError as exc:  # e.g. a non-ASCII address on a server without SMTPUTF8
            raise PermanentDeliveryFailure(f"not supported by the mail server: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # disconnects, refused connections, timeouts, TLS
            raise TransientDeliveryFailure(f"SMTP connection problem: {type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _failure(code: int, reply: bytes | str) -> Exception:
        text = reply.decode("utf-8", errors="replace") if isinstance(reply, bytes) else str(reply)
        detail = f"{code} {' '.join(text.split())}"[:500]
        if code >= 500 and code not in AUTH_CODES:
            return PermanentDeliveryFailure(detail)
        return TransientDeliveryFailure(detail)


def mailer_from_settings(settings: Settings) -> SmtpMailer | None:
    """The worker's mailer, or None when LINGODESK_SMTP_HOST is unset (replies are then recorded only)."""
    if not settings.smtp_host:
        return None
    password: str | None = None
    if settings.smtp_password is not None:
        password = settings.smtp_password.get_secret_value()
    elif settings.smtp_password_file is not None:
        password = settings.smtp_password_file.read_text(encoding="utf-8").strip()
    return SmtpMailer(
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_from,
        settings.smtp_from_name,
        settings.smtp_security,
        settings.smtp_username,
        password,
        status_link=status_links(settings),
    )


def status_links(settings: Settings) -> StatusLink | None:
    """Signed status-page links for reply footers, when a status secret is configured."""
    signer = signer_from_settings(settings)
    if signer is None:
        return None

    def link(ticket_id: str) -> str | None:
        return status_url(settings.public_url, signer.sign(ticket_id))

    return link
