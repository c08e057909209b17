"""Request classification: editable keyword rules plus a supervised fastText model."""
