"""Raw mail and attachment content on disk, addressed by SHA-256; only paths travel in payloads.

Content addressing makes every write idempotent (the same bytes land in the same file, a retry
rewrites nothing) and shares storage between a mail delivered twice. Files are written to a
temporary name and renamed, so a crash never leaves a half-written file under a final name.
"""

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path

from channels.email.models import ParsedAttachment
from domain.ticket import AttachmentMeta

_UNSAFE = set('<>:"/\\|?*\x00')
MAX_FILENAME_CHARS = 180


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """A display name without paths, control characters or reserved characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join("_" if ch in _UNSAFE or unicodedata.category(ch).startswith("C") else ch for ch in name)
    cleaned = cleaned.strip(" .")
    if len(cleaned) > MAX_FILENAME_CHARS:
        stem, dot, ext = cleaned.rpartition(".")
        cleaned = (
            (stem[: MAX_FILENAME_CHARS - len(ext) - 1] + dot + ext)
            if dot and len(ext) < 16
            else cleaned[:MAX_FILENAME_CHARS]
        )
    return cleaned or fallback


class MailStore:
    """`<root>/raw/ab/<sha256>.eml` for whole mails, `<root>/attachments/ab/<sha256>` for parts."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _write(self, folder: str, data: bytes, suffix: str) -> tuple[str, Path]:
        digest = hashlib.sha256(data).hexdigest()
        path = self.root / folder / digest[:2] / f"{digest}{suffix}"
        if path.exists() and path.stat().st_size == len(data):
            return digest, path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest, path

    def save_raw(self, raw: bytes) -> tuple[str, Path]:
        return self._write("raw", raw, ".eml")

    def save_attachment(self, data: bytes) -> tuple[str, Path]:
        return self._write("attachments", data, "")

    def attachment_metas(
        self, attachments: list[ParsedAttachment], max_bytes: int
    ) -> tuple[list[AttachmentMeta], list[str]]:
        """Store each part within the limit; (metadata for the ticket, notes on what was skipped)."""
        metas: list[AttachmentMeta] = []
        notes: list[str] = []
        for index, att in enumerate(attachments, start=1):
            name = safe_filename(att.filename, f"attachment-{index}")
            meta = AttachmentMeta(
                filename=name,
                content_type=att.content_type,
                size=att.size,
                inline=att.inline,
                content_id=att.content_id,
            )
            if att.size > max_bytes:
                meta.detail = f"not stored: {att.size} bytes is over the {max_bytes} byte limit"
                notes.append(f"attachment {index} not stored: {att.size} > {max_bytes} bytes")
            else:
                digest, path = self.save_attachment(att.data)
                meta.sha256 = digest
                meta.storage_path = str(path)
            metas.append(meta)
        return metas, notes
