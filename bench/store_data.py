"""Set-based generation of a large, realistic ticket store in PostgreSQL (bench/store_scale_bench.py).

One INSERT ... SELECT over generate_series per table, so a million tickets take about a minute,
not the hours a row-by-row ORM load would. Distributions (skewed like real traffic):
- created_at: two years back, denser toward now (power 1.6 on the age);
- language: 18 languages, Zipf-like (en, zh, de, es first);
- status: tickets older than 21 days are closed but for 1%; newer ones spread over the open states;
- domain/priority/channel: fixed weights; assignee: 200 agents (plus the demo ones), none while pending;
- sla_breached 6% (each with an `sla_breach` notification), needs_triage 4% of open tickets,
  next_deadline only on open tickets;
- messages (1-3) for `detail_share` of the tickets, timeline events (created, status, assigned,
  closed) for the same share.
"""

from sqlalchemy import Connection, text

LANGUAGES = ["en", "zh", "de", "es", "fr", "ja", "pt", "ru", "it", "ko", "th", "vi", "ar", "nl", "pl", "tr",
             "id", "he"]
DOMAINS = ["order_inquiry", "logistics", "after_sales", "technical_support", "billing", "pre_sales",
           "complaint", "other"]
TEAMS = ["berlin", "manila", "shenzhen", "newyork"]
AGENTS = 200


def _array(values: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def _zipf(values: list[str], expo: float = 2.2, draw: str = "random()") -> str:
    # draw^expo piles up near 0: the first values are much more frequent than the last.
    return f"({_array(values)})[1 + floor(power({draw}, {expo}) * {len(values)})::int]"


TICKETS_SQL = f"""
INSERT INTO tickets (
    ticket_id, status, channel, customer_email, customer_name, customer_country, customer_tier,
    subject, subject_translated, language, language_confidence, language_mixed, domain,
    domain_confidence, industry, urgency, needs_triage, priority, assignee, team, assignment_count,
    reassigned, sla_breached, escalation_level, sla_clocks, next_deadline, created_at, updated_at,
    first_response_at, resolved_at, closed_at, resolution, reopen_count, workflow_runs, state_version)
SELECT
    'B' || lpad(g::text, 8, '0'), s.status,
    (ARRAY['email','email','email','web','web','api'])[1 + floor(random() * 6)::int],
    'customer' || (g % 250000) || '@example.com', 'Customer ' || (g % 250000), NULL,
    CASE WHEN random() < 0.05 THEN 'vip' ELSE 'standard' END,
    'Order ' || g || ': question', '订单 ' || g || ' 问题', s.language, 0.5 + random() / 2, false,
    {_zipf(DOMAINS, 1.5)}, 0.5 + random() / 2, NULL, 'normal',
    s.status <> 'closed' AND random() < 0.04,
    CASE WHEN r.p < 0.03 THEN 'urgent' WHEN r.p < 0.23 THEN 'high' WHEN r.p < 0.30 THEN 'low'
         ELSE 'normal' END,
    CASE WHEN s.status = 'pending_assignment' THEN NULL
         ELSE 'agent' || lpad((g % {AGENTS})::text, 3, '0') END,
    (ARRAY{TEAMS})[1 + (g % 4)],
    CASE WHEN s.status = 'pending_assignment' THEN 0 ELSE 1 END, false, random() < 0.06, 0, '{{}}'::json,
    CASE WHEN s.status = 'closed' THEN NULL ELSE s.created_at + interval '8 hours' END,
    s.created_at, s.created_at + interval '2 hours',
    CASE WHEN s.status = 'pending_assignment' THEN NULL ELSE s.created_at + interval '1 hour' END,
    CASE WHEN s.status = 'closed' THEN s.created_at + interval '1 day' END,
    CASE WHEN s.status = 'closed' THEN s.created_at + interval '1 day' END,
    CASE WHEN s.status = 'closed' THEN 'resolved' END, 0, 1, 5
FROM generate_series(CAST(:first AS bigint), CAST(:last AS bigint)) AS g
-- `+ 0 * g` ties each draw to its row: an uncorrelated LATERAL would be evaluated only once.
CROSS JOIN LATERAL (SELECT random() + 0 * g AS p, random() + 0 * g AS q, random() + 0 * g AS a,
                           random() + 0 * g AS l) AS r
CROSS JOIN LATERAL (
    SELECT now() - power(r.a, 1.6) * interval '730 days' AS created_at,
           {_zipf(LANGUAGES, draw="r.l")} AS language
) AS c
CROSS JOIN LATERAL (
    SELECT c.created_at, c.language,
        CASE WHEN c.created_at < now() - interval '21 days' AND r.q > 0.01 THEN 'closed'
             WHEN r.q < 0.25 THEN 'pending_assignment' WHEN r.q < 0.55 THEN 'processing'
             WHEN r.q < 0.65 THEN 'pending_collaboration' WHEN r.q < 0.80 THEN 'pending_reply'
             ELSE 'closed' END AS status
) AS s
"""

MESSAGES_SQL = """
INSERT INTO messages (ticket_id, seq, direction, author, original_text, language, translated_text,
    translation_language, translation_state, engine, model_id, glossary_version, applied_terms,
    created_at, external_message_id, delivery, delivery_detail)
SELECT t.ticket_id, m.seq, CASE WHEN m.seq = 2 THEN 'outbound' ELSE 'inbound' END, t.customer_email,
    'Message ' || m.seq || ' about ' || t.subject, t.language, '消息 ' || m.seq, 'zh', 'translated',
    'ctranslate2', 'bench', '', '[]'::json, t.created_at + m.seq * interval '1 hour', NULL, 'none', ''
FROM tickets t CROSS JOIN LATERAL generate_series(1, 1 + (hashtext(t.ticket_id) & 1)) AS m(seq)
WHERE t.ticket_id LIKE 'B%' AND (hashtext(t.ticket_id) & 1023) < CAST(:per_mille AS int) * 1024 / 1000
"""

TIMELINE_SQL = """
INSERT INTO timeline_events (ticket_id, seq, at, kind, actor, summary, data, public)
SELECT t.ticket_id, e.seq, t.created_at + e.seq * interval '10 minutes', e.kind, 'system', e.kind,
    json_build_object('to', e.target), e.seq = 1
FROM tickets t CROSS JOIN LATERAL (VALUES
    (1, 'created', NULL), (2, 'status', 'pending_assignment'), (3, 'assigned', NULL),
    (4, 'status', 'processing'), (5, 'status', 'closed')) AS e(seq, kind, target)
WHERE t.ticket_id LIKE 'B%' AND (hashtext(t.ticket_id) & 1023) < CAST(:per_mille AS int) * 1024 / 1000
    AND (e.seq < 3 OR t.assignee IS NOT NULL) AND (e.seq < 5 OR t.status = 'closed')
"""

NOTIFICATIONS_SQL = """
INSERT INTO notifications (notification_id, ticket_id, kind, recipients, summary, severity, created_at,
    acknowledged_by, acknowledged_at)
SELECT 'bench:' || t.ticket_id, t.ticket_id, 'sla_breach', '["supervisor"]'::json, 'SLA breached',
    'critical', t.created_at + interval '8 hours',
    CASE WHEN t.status = 'closed' THEN 'supervisor' END,
    CASE WHEN t.status = 'closed' THEN t.created_at + interval '9 hours' END
FROM tickets t WHERE t.ticket_id LIKE 'B%' AND t.sla_breached
"""


def generate(conn: Connection, tickets: int, detail_share: float, batch: int = 250_000) -> dict[str, int]:
    """Insert `tickets` generated tickets (ids B00000001...) and their messages/timeline rows."""
    for first in range(1, tickets + 1, batch):
        conn.execute(text(TICKETS_SQL), {"first": first, "last": min(first + batch - 1, tickets)})
    per_mille = round(detail_share * 1000)
    messages = conn.execute(text(MESSAGES_SQL), {"per_mille": per_mille}).rowcount
    events = conn.execute(text(TIMELINE_SQL), {"per_mille": per_mille}).rowcount
    alerts = conn.execute(text(NOTIFICATIONS_SQL)).rowcount
    return {"tickets": tickets, "messages": messages, "timeline_events": events, "notifications": alerts}
