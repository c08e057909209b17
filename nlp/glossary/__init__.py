"""Glossaries: the shared concept model, the CSV loader and (issue #5) validation and TBX exchange."""
