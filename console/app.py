"""Lingodesk console entry point: `streamlit run console/app.py`.

Pages only render (console/app_pages/); data comes from store/ queries (console/services.py),
actions go through Temporal updates (console/gateway.py).
"""

import sys
from pathlib import Path

# `streamlit run console/app.py` puts console/ on sys.path, not the repository root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from console import auth, layout  # noqa: E402
from console.i18n import DEFAULT_LANGUAGE, LANGUAGES, t  # noqa: E402
from console.widgets import escape_md  # noqa: E402

st.set_page_config(page_title="Lingodesk", page_icon=":material/support_agent:", layout="wide")

with st.sidebar:
    st.session_state.setdefault("lang", DEFAULT_LANGUAGE)
    st.segmented_control(
        t("language"), list(LANGUAGES), format_func=LANGUAGES.__getitem__, key="lang", required=True
    )

user = auth.current_user()
if user is None:
    st.navigation(layout.all_pages(), position="hidden")
    auth.sign_in_form()
    st.stop()

nav = st.navigation(layout.pages_for(user.role))
with st.sidebar:
    st.caption(
        t("signed_in_as", name=escape_md(user.display_name or user.username), role=auth.role_label(user.role))
    )
    if st.button(t("sign_out"), icon=":material/logout:", key="sign_out"):
        auth.sign_out()
        st.rerun()
nav.run()
