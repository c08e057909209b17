"""CSAT settings and cross-language hot-issue detection (topics, spikes); no Temporal, no SQL."""
