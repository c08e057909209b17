"""Skill-based routing and business-time SLA arithmetic (pure; used by activities)."""
