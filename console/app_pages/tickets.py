"""Tickets: a filterable, sortable list with keyset pagination (fast at 100,000 tickets)."""

from collections.abc import Callable

import streamlit as st

from console import auth, services
from console.i18n import label, t
from console.widgets import dataframe_pick, open_ticket, ticket_opener, ticket_rows
from domain.status import TicketStatus
from store.queries import OPEN, Cursor, SlaState, TicketFilter, TicketSort

PAGE_SIZE = 50
user = auth.require_user()

st.title(t("tickets_title"))
options = services.load(services.filter_options, services.database_url())
if options is None:
    st.stop()


def choice(label_key: str, values: list[str], key: str, fmt: Callable[[str], str] = label) -> str | None:
    """A drop-down whose first entry means 'no filter'."""
    # Labels are computed now, in this run's language; AppTest re-reads format_func later.
    labels = {"": t("all"), **{v: fmt(v) for v in values}}
    picked = st.selectbox(t(label_key), list(labels), key=key, format_func=labels.__getitem__)
    return picked or None


with st.expander(t("filters"), expanded=True, icon=":material/filter_list:"):
    text = st.text_input(t("search"), key="f_text", placeholder="DEMO-0001, k.weber@…, Firmware")
    row1 = st.columns(4)
    with row1[0]:
        status = choice(
            "col_status",
            [OPEN, *[str(s) for s in TicketStatus]],
            "f_status",
            fmt=lambda v: t("all_open") if v == OPEN else label(v),
        )
    with row1[1]:
        language = choice("col_language", options.languages, "f_language", fmt=str)
    with row1[2]:
        domain = choice("col_domain", options.domains, "f_domain")
    with row1[3]:
        priority = choice("col_priority", ["urgent", "high", "normal", "low"], "f_priority")
    row2 = st.columns(4)
    with row2[0]:
        assignee = choice("col_assignee", options.assignees, "f_assignee", fmt=str)
    with row2[1]:
        team = choice("col_team", options.teams, "f_team", fmt=str)
    with row2[2]:
        sla = choice("sla_state", [s.value for s in SlaState], "f_sla", fmt=lambda v: t(v))
    with row2[3]:
        sorts = {s.value: t(f"sort_{s.value}") for s in TicketSort}
        sort = st.selectbox(t("sort"), list(sorts), key="f_sort", format_func=sorts.__getitem__)
    triage_only = st.toggle(t("triage_only"), key="f_triage")

flt = TicketFilter(
    status=status,
    language=language,
    domain=domain,
    priority=priority,
    assignee=assignee,
    team=team,
    sla=SlaState(sla) if sla else None,
    needs_triage=True if triage_only else None,
    text=text,
)
filter_key = flt.model_dump_json() + sort
# A stack of cursors: page 1 has none; "Next" pushes the page's last key, "Previous" pops.
if st.session_state.get("_list_filter") != filter_key:
    st.session_state["_list_filter"] = filter_key
    st.session_state["_cursors"] = []
cursors: list[str] = st.session_state["_cursors"]

page = services.load(
    services.ticket_page,
    services.database_url(),
    flt.model_dump_json(),
    sort,
    cursors[-1] if cursors else None,
    PAGE_SIZE,
)
if page is None:
    st.stop()
if text.strip() and st.session_state.get("_audited_search") != filter_key:
    # Looking a customer up by name or e-mail is a view of customer data: audited once per search,
    # with a hash of the terms (searchable by whoever knows them) rather than the terms themselves.
    st.session_state["_audited_search"] = filter_key
    services.record_audit(
        "search_tickets", detail={"terms_sha256": services.terms_hash(text), "results": len(page.items)}
    )

st.caption(t("page_n", n=len(cursors) + 1))
if page.items:
    event = st.dataframe(
        ticket_rows(page.items),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=f"ticket_table_{len(cursors)}",
    )
    picked = dataframe_pick(event)
    if picked is not None and picked < len(page.items):
        open_ticket(page.items[picked].ticket_id)
else:
    st.info(t("empty"))

nav = st.columns(3)
if nav[0].button(t("first_page"), disabled=not cursors, key="page_first", width="stretch"):
    cursors.clear()
    st.rerun()
if nav[1].button(t("prev_page"), disabled=not cursors, key="page_prev", width="stretch"):
    cursors.pop()
    st.rerun()
if nav[2].button(t("next_page"), disabled=page.next_cursor is None, key="page_next", width="stretch"):
    next_cursor: Cursor | None = page.next_cursor
    if next_cursor is not None:
        cursors.append(next_cursor.model_dump_json())
    st.rerun()

ticket_opener(page.items, key="tickets")
