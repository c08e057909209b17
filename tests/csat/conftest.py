"""The CSAT tests reuse the channel fixtures: real SMTP sink, production ticket worker, SQLite store."""

from tests.channels.conftest import mail_sessions, mail_stack, smtp_sink  # noqa: F401
