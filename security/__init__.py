"""Security: payload encryption for Temporal histories, the codec endpoint, GDPR export/erase helpers."""
