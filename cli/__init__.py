"""The `lingodesk` command line."""
