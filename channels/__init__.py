"""Inbound and outbound channels: e-mail (IMAP/SMTP), web intake, API adapters."""
