"""SQL store: tables, engine factory, idempotent projection writes and read views."""
