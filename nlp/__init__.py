"""Language identification, translation, glossaries and classification. No Temporal here."""
