"""Deterministic orchestration. Nothing here does I/O or imports heavy libraries."""
