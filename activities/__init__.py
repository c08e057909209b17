"""Every side effect of a ticket: store writes, NLP calls, notifications, sending."""
