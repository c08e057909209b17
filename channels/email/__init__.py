"""E-mail channel: IMAP polling and SMTP receiving in, MIME parsing and threading, SMTP out."""
