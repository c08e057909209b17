"""Polling one IMAP folder (imap-tools), with IDLE where the server offers it.

Progress is a UID cursor per mailbox in SQL (`mailbox_cursors`), advanced only after a mail is
handled, so mail read in another client is not skipped and a crash re-reads at most one mail
(which the Message-ID dedup then recognises). A new UIDVALIDITY restarts the cursor. Mail far
above the size limit is not downloaded: it stays on the server, flagged, and is recorded as
rejected. Errors never end the loop: it logs, reconnects and backs off.
"""

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from imap_tools import A, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage, MailMessageFlags
from imap_tools.mailbox import BaseMailBox
from sqlalchemy.orm import Session, sessionmaker

from channels.email.config import MailboxConfig
from channels.email.ingest import EmailIngestor, IngestOutcome, TransientIngestError
from channels.email.smtp_receiver import hard_size_cap
from store import email_threads as threads

log = logging.getLogger("lingodesk.mail.imap")

IDLE_MAX_S = 29 * 60  # RFC 2177: re-issue IDLE before the server's 30-minute timeout
MAX_BACKOFF_S = 300.0


class RawMailMessage(MailMessage):
    """Keeps the exact bytes the server sent (imap-tools re-parses them into `obj`)."""

    def __init__(self, fetch_data: list[Any]) -> None:
        super().__init__(fetch_data)
        self.raw: bytes = self._get_message_data_parts(fetch_data)[0]


@dataclass
class PollStats:
    seen: int = 0
    handled: int = 0
    deferred: int = 0  # left for the next poll (ticket unreachable)
    outcomes: list[IngestOutcome] = field(default_factory=list)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


class ImapPoller:
    def __init__(
        self, mailbox: MailboxConfig, ingestor: EmailIngestor, sessions: sessionmaker[Session]
    ) -> None:
        self.mailbox = mailbox
        self.ingestor = ingestor
        self.sessions = sessions
        self._client: BaseMailBox | None = None

    # ------------------------------------------------------------ connection
    def _connect(self) -> BaseMailBox:
        m = self.mailbox
        port, timeout = m.effective_port(), m.timeout_s
        box: BaseMailBox
        if m.security == "ssl":
            box = MailBox(m.host, port, timeout=timeout)
        elif m.security == "starttls":
            box = MailBoxStartTls(m.host, port, timeout=timeout)
        else:
            box = MailBoxUnencrypted(m.host, port, timeout=timeout)
        box.email_message_class = RawMailMessage
        box.login(m.username, m.password(), initial_folder=m.folder)
        return box

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            # The connection may already be gone; there is nothing to save.
            with contextlib.suppress(Exception):
                await asyncio.to_thread(client.logout)

    # ------------------------------------------------------------ one poll
    async def poll_once(self) -> PollStats:
        if self._client is None:
            self._client = await asyncio.to_thread(self._connect)
        box = self._client
        # NOOP lets the server tell this session about mail delivered since its last command.
        await asyncio.to_thread(box.client.noop)
        status = await asyncio.to_thread(box.folder.status, self.mailbox.folder, ["UIDVALIDITY"])
        uidvalidity = int(status["UIDVALIDITY"])
        stored_validity, last_uid = await asyncio.to_thread(self._cursor)
        if stored_validity != uidvalidity:
            if stored_validity:
                log.warning(
                    "mailbox=%s UIDVALIDITY changed; re-reading the folder (dedup skips known mail)",
                    self.mailbox.name,
                )
            last_uid = 0
        found = await asyncio.to_thread(box.uids, A(uid=f"{last_uid + 1}:*"))
        # "N:*" always returns the highest UID, even when it is below N.
        uids = sorted(u for u in (int(x) for x in found) if u > last_uid)
        stats = PollStats(seen=len(uids))
        sizes = await asyncio.to_thread(self._sizes, box, uids)
        for uid in uids:
            try:
                outcome = await self._handle(box, uid, sizes.get(uid, 0), uidvalidity)
            except TransientIngestError:
                stats.deferred = len(uids) - stats.handled
                break
            if outcome is not None:
                stats.outcomes.append(outcome)
            stats.handled += 1
            await asyncio.to_thread(self._save_cursor, uidvalidity, uid)
        return stats

    def _sizes(self, box: BaseMailBox, uids: list[int]) -> dict[int, int]:
        sizes: dict[int, int] = {}
        for start in range(0, len(uids), 200):
            chunk = [str(u) for u in uids[start : start + 200]]
            for msg in box.fetch(uid_list=chunk, headers_only=True, mark_seen=False, bulk=True):
                if msg.uid:
                    sizes[int(msg.uid)] = msg.size_rfc822
        return sizes

    async def _handle(self, box: BaseMailBox, uid: int, size: int, uidvalidity: int) -> IngestOutcome | None:
        name = self.mailbox.name
        if size > hard_size_cap(self.ingestor):
            await asyncio.to_thread(self._reject_on_server, box, uid, size, uidvalidity)
            return None
        messages = await asyncio.to_thread(lambda: list(box.fetch(uid_list=[str(uid)], mark_seen=False)))
        if not messages:
            return None  # expunged meanwhile
        message = messages[0]
        raw = message.raw if isinstance(message, RawMailMessage) else message.obj.as_bytes()
        outcome = await self.ingestor.ingest(raw, name)
        if self.mailbox.mark_seen:
            await asyncio.to_thread(box.flag, [str(uid)], MailMessageFlags.SEEN, True)
        return outcome

    def _reject_on_server(self, box: BaseMailBox, uid: int, size: int, uidvalidity: int) -> None:
        key = hashlib.sha256(f"imap:{self.mailbox.name}:{uidvalidity}:{uid}".encode()).hexdigest()
        reason = (
            f"message too large to download: {size} bytes (limit {self.ingestor.config.max_message_bytes}); "
            f"left on the IMAP server, folder {self.mailbox.folder}, UID {uid}, flagged"
        )
        with self.sessions.begin() as session:
            threads.record_rejected(session, key, self.mailbox.name, None, reason, "", size)
        box.flag([str(uid)], MailMessageFlags.FLAGGED, True)
        log.warning("mailbox=%s uid=%d rejected: too large (%d bytes)", self.mailbox.name, uid, size)

    def _cursor(self) -> tuple[int, int]:
        with self.sessions.begin() as session:
            return threads.get_cursor(session, self.mailbox.name)

    def _save_cursor(self, uidvalidity: int, uid: int) -> None:
        with self.sessions.begin() as session:
            threads.set_cursor(session, self.mailbox.name, uidvalidity, uid)

    # ------------------------------------------------------------ the loop
    async def run_forever(self, stop: asyncio.Event) -> None:
        backoff = 1.0
        while not stop.is_set():
            try:
                stats = await self.poll_once()
                backoff = 1.0
                if stats.deferred:
                    await _wait(stop, min(self.mailbox.poll_interval_s, 30.0))
                else:
                    await self._wait_for_mail(stop)
            except Exception as exc:  # network, auth, server errors: log, reconnect, back off
                log.warning(
                    "mailbox=%s IMAP error (%s); retrying in %.0fs",
                    self.mailbox.name,
                    type(exc).__name__,
                    backoff,
                )
                await self.close()
                await _wait(stop, backoff)
                backoff = min(backoff * 2, MAX_BACKOFF_S)
        await self.close()

    async def _wait_for_mail(self, stop: asyncio.Event) -> None:
        box = self._client
        timeout = min(self.mailbox.poll_interval_s, IDLE_MAX_S)
        if box is not None and self.mailbox.idle and "IDLE" in box.client.capabilities:
            # Returns on the server's first EXISTS/RECENT push or after the timeout.
            await asyncio.to_thread(box.idle.wait, timeout)
        else:
            await _wait(stop, timeout)
