"""Composition helpers: settings, Temporal client, embedded dev server."""
