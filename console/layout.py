"""Navigation: which pages a role sees, in which sections, and the role's home page."""

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from console.auth import ROLE_PAGES
from console.i18n import t
from console.widgets import PAGE_PATHS
from store.users import Role

# key -> (title key, icon, section key)
PAGES: dict[str, tuple[str, str, str]] = {
    "overview": ("nav_overview", ":material/monitoring:", "section_supervise"),
    "reports": ("nav_reports", ":material/analytics:", "section_supervise"),
    "workspace": ("nav_workspace", ":material/support_agent:", "section_work"),
    "tickets": ("nav_tickets", ":material/list_alt:", "section_work"),
    "ticket": ("nav_ticket", ":material/confirmation_number:", "section_work"),
    "departments": ("nav_departments", ":material/groups:", "section_collab"),
    "admin": ("nav_admin", ":material/admin_panel_settings:", "section_admin"),
}


def _page(key: str, default: bool) -> StreamlitPage:
    title, icon, _ = PAGES[key]
    return st.Page(PAGE_PATHS[key], title=t(title), icon=icon, url_path=key, default=default)


def all_pages() -> list[StreamlitPage]:
    """Every page, for the signed-out state: the URL (e.g. /ticket?ticket=…) survives signing in."""
    return [_page(key, default=i == 0) for i, key in enumerate(PAGES)]


def pages_for(role: Role) -> dict[str, list[StreamlitPage]]:
    keys = ROLE_PAGES[role]
    sections: dict[str, list[StreamlitPage]] = {}
    for key in PAGES:  # PAGES order, so sections read the same for every role
        if key in keys:
            sections.setdefault(t(PAGES[key][2]), []).append(_page(key, default=key == keys[0]))
    return sections
