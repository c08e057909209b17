"""Small rendering helpers shared by the pages.

Everything a customer or agent wrote is data, never markup: `escape_md` backslash-escapes
every ASCII punctuation character, so Markdown, HTML and `javascript:` links in ticket text
are shown as the characters they are. Nothing here uses `unsafe_allow_html`.
"""

import string
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from console.i18n import label, t
from console.translation import Preview
from domain.nlp import AppliedTerm
from domain.sla import SlaClock
from store.queries import MessageView, TicketListItem
from store.timestamps import as_utc

PAGE_PATHS = {
    "overview": "app_pages/overview.py",
    "reports": "app_pages/reports.py",
    "tickets": "app_pages/tickets.py",
    "ticket": "app_pages/ticket_detail.py",
    "workspace": "app_pages/workspace.py",
    "departments": "app_pages/departments.py",
    "admin": "app_pages/admin.py",
}
_PUNCT = set(string.punctuation)
HIGHLIGHT = ":orange-background[{}]"


def escape_md(text: str) -> str:
    """Text -> Markdown that renders exactly as that text (line breaks kept)."""
    escaped = "".join("\\" + ch if ch in _PUNCT else ch for ch in text)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


def highlight(text: str, terms: Sequence[str]) -> str:
    """Escaped Markdown of `text` with each glossary term occurrence highlighted."""
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for term in sorted({x for x in terms if x.strip()}, key=len, reverse=True):
        start = lowered.find(term.lower())
        while start != -1:
            end = start + len(term)
            if all(end <= a or start >= b for a, b in spans):
                spans.append((start, end))
            start = lowered.find(term.lower(), end)
    out, pos = [], 0
    for a, b in sorted(spans):
        out += [escape_md(text[pos:a]), HIGHLIGHT.format(escape_md(text[a:b]))]
        pos = b
    out.append(escape_md(text[pos:]))
    return "".join(out)


def show_text(text: str, terms: Sequence[str] = ()) -> None:
    st.markdown(highlight(text, terms) if terms else escape_md(text))


def local_tz() -> ZoneInfo:
    name = getattr(st.context, "timezone", None)
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def fmt_dt(value: datetime | None) -> str:
    if value is None:
        return "-"
    return as_utc(value).astimezone(local_tz()).strftime("%Y-%m-%d %H:%M")


def fmt_duration(seconds: float) -> str:
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes:02d}m"
    return f"{minutes}m"


def remaining(deadline: datetime | None, now: datetime | None = None) -> str:
    if deadline is None:
        return "-"
    left = (as_utc(deadline) - (now or datetime.now(UTC))).total_seconds()
    return t("left", d=fmt_duration(left)) if left >= 0 else t("overdue_by", d=fmt_duration(left))


def sla_state(
    item: TicketListItem, now: datetime | None = None, window: timedelta = timedelta(hours=1)
) -> str:
    now = now or datetime.now(UTC)
    if item.sla_breached:
        return "🔴 " + t("breached")
    if item.next_deadline is not None and as_utc(item.next_deadline) <= now + window:
        return "🟠 " + t("at_risk")
    return "🟢 " + t("on_track")


def ticket_rows(items: Sequence[TicketListItem]) -> list[dict[str, object]]:
    """Rows for st.dataframe: cells are rendered as plain text by the grid, never as markup."""
    now = datetime.now(UTC)
    return [
        {
            t("col_ticket"): i.ticket_id,
            t("col_subject"): i.subject_translated or i.subject,
            t("col_status"): label(i.status),
            t("col_language"): i.language,
            t("col_domain"): label(i.domain),
            t("col_priority"): label(i.priority),
            t("col_assignee"): i.assignee or "-",
            t("col_sla"): sla_state(i, now),
            t("col_remaining"): remaining(i.next_deadline, now),
            t("col_customer"): i.customer_name or i.customer_email,
            t("col_created"): fmt_dt(i.created_at),
        }
        for i in items
    ]


def open_ticket(ticket_id: str) -> None:
    st.session_state["ticket_id"] = ticket_id
    st.switch_page(PAGE_PATHS["ticket"], query_params={"ticket": ticket_id})


def ticket_opener(items: Sequence[TicketListItem], key: str) -> None:
    """A phone-friendly 'open this ticket' picker under a list."""
    if not items:
        return
    labels = {i.ticket_id: f"{i.ticket_id} · {(i.subject_translated or i.subject)[:60]}" for i in items}
    cols = st.columns([4, 1], vertical_alignment="bottom")
    chosen = cols[0].selectbox(
        t("open_ticket"), list(labels), format_func=labels.__getitem__, key=f"{key}_pick"
    )
    if cols[1].button(t("open"), key=f"{key}_open", width="stretch") and chosen:
        open_ticket(chosen)


def dataframe_pick(event: object) -> int | None:
    """The selected row index of an `st.dataframe(on_select="rerun")` event, if any."""
    rows = getattr(getattr(event, "selection", None), "rows", None)
    return rows[0] if rows else None


def term_strings(terms: Sequence[AppliedTerm]) -> tuple[list[str], list[str]]:
    present = [x for x in terms if x.present]
    return [x.source for x in present], [x.target for x in present]


def message_card(m: MessageView) -> None:
    """One message: original and translation side by side, glossary terms highlighted."""
    icon = {"inbound": "📨", "outbound": "📤", "note": "📝"}.get(m.direction, "•")
    kind = t("dir_" + m.direction) if m.direction in ("inbound", "outbound", "note") else m.direction
    with st.container(border=True):
        meta = [f"{icon} {kind}", m.author or "-", fmt_dt(m.created_at)]
        if m.direction == "outbound":
            meta.append(t("delivery", state=label(m.delivery)))
        st.caption(escape_md(" · ".join(meta)))
        if m.direction == "note":
            show_text(m.original_text)
            return
        sources, targets = term_strings(m.applied_terms)
        left, right = st.columns(2)
        with left:
            st.caption(t("original", lang=m.language or "?"))
            show_text(m.original_text, sources)
        with right:
            st.caption(t("translation", lang=m.translation_language or "?"))
            if m.translated_text is not None and m.translation_state != "not_needed":
                show_text(m.translated_text, targets)
            elif m.translation_state == "not_needed":
                st.caption(t("not_needed"))
            else:
                st.warning(
                    t("no_translation", detail=escape_md(m.delivery_detail or label(m.translation_state)))
                )
        if sources:
            pairs = " · ".join(
                f"{escape_md(a)} → {escape_md(b)}" for a, b in zip(sources, targets, strict=True)
            )
            st.caption(f"{t('terms_applied')}: {pairs}")


def mt_preview_box(preview: Preview, lang: str) -> None:
    """A machine-translation preview with glossary terms marked, or the explicit no-model state."""
    with st.container(border=True):
        st.caption(t("preview_into", lang=lang))
        if not preview.available or preview.text is None:
            st.warning(
                t("no_model", lang=lang, detail=escape_md(preview.detail)), icon=":material/translate:"
            )
            return
        _, targets = term_strings(preview.applied_terms)
        st.markdown(highlight(preview.text, targets))
        if targets:
            pairs = " · ".join(
                f"{escape_md(x.source)} → {escape_md(x.target)}" for x in preview.applied_terms
            )
            st.caption(f"{t('terms_applied')}: {pairs}")


def clock_rows(clocks: Sequence[SlaClock], now: datetime) -> list[dict[str, str]]:
    rows = []
    for c in clocks:
        state = t("paused") if c.paused_at else (t("breached") if c.breached else remaining(c.deadline, now))
        rows.append(
            {
                t("col_target"): label(str(c.target)),
                t("col_deadline"): fmt_dt(c.deadline),
                t("col_remaining"): state,
            }
        )
    return rows


def outcome_message(kind: str, message: str, detail: str = "") -> None:
    """Show a gateway outcome: success, the workflow's own rejection text, or the degraded state."""
    text = escape_md(message or detail)
    if kind == "ok":
        st.success(t("accepted", detail=escape_md(detail or message or "ok")), icon=":material/check_circle:")
    elif kind == "invalid":
        st.error(t("rejected", detail=text), icon=":material/block:")
    elif kind == "unavailable":
        st.error(t("temporal_down", detail=text), icon=":material/cloud_off:")
    elif kind == "not_found":
        st.warning(t("not_found_wf", detail=text), icon=":material/search_off:")
    else:
        st.error(t("failed", detail=text), icon=":material/error:")
