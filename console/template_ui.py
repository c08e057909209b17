"""Reply templates in the console (templates/ package): pick and fill one in the workspace,
approve language variants in admin. Without the package both say so and stay out of the way."""

from typing import Any

import streamlit as st

from console import services
from console.i18n import label, t
from console.widgets import escape_md, show_text
from store.queries import TicketDetail
from store.users import UserView

PREVIEW_KEY = "_tpl_preview"
ADMIN_LANGUAGES = ["en", "de", "fr", "es", "it", "pt", "ru", "ja", "ko", "th", "vi", "ar"]


@st.cache_resource(show_spinner=False)
def _service(url: str) -> Any:
    from console.integrations import template_service

    return template_service(services.sessions())


def service() -> Any:
    """The TemplateService, or None where the templates package is not installed or its catalog is broken."""
    try:
        return services.load(_service, services.database_url())
    except ValueError as exc:  # templates.loader.CatalogError lists every bad file
        st.warning(escape_md(str(exc)))
        return None


def template_picker(ticket: TicketDetail, reply_key: str) -> None:
    """Choose a template, fill its variables, and put its Chinese text into the reply box.

    Must run before the reply text area is drawn: it writes that widget's state.
    """
    svc = service()
    if svc is None:
        st.caption(t("templates_missing"))
        return
    choices = services.load(svc.list_templates, ticket.domain, ticket.language) or []
    names = {"": t("none"), **{c.name: f"{c.title} · {label(str(c.availability))}" for c in choices}}
    name = st.selectbox(
        t("template"), list(names), format_func=names.__getitem__, key=f"tpl_{ticket.ticket_id}"
    )
    if not name:
        return
    choice = next(c for c in choices if c.name == name)
    with st.form(f"tpl_form_{ticket.ticket_id}_{name}"):
        values = {v.name: st.text_input(v.label or v.name, placeholder=v.example) for v in choice.variables}
        filled = st.form_submit_button(t("fill_template"))
    if filled:
        from templates.model import TemplateError

        try:
            preview = svc.preview(name, ticket.language, {k: v for k, v in values.items() if v.strip()})
        except TemplateError as exc:
            st.error(escape_md(str(exc)))
            return
        st.session_state[reply_key] = preview.internal_text
        st.session_state[PREVIEW_KEY] = (ticket.ticket_id, preview)
        st.rerun()


def current_preview(ticket_id: str) -> Any:
    held = st.session_state.get(PREVIEW_KEY)
    return held[1] if held and held[0] == ticket_id else None


def show_customer_text(preview: Any) -> None:
    """The template's text in the customer's language, with how trustworthy it is."""
    with st.container(border=True):
        st.caption(t("preview_into", lang=preview.language))
        availability = str(preview.availability)
        if preview.customer_text is None:
            st.info(t("tpl_missing"))
            return
        if availability in ("approved", "source"):
            st.success(t("tpl_approved"), icon=":material/verified:")
        else:
            st.warning(t("tpl_draft", detail=escape_md(preview.detail)))
        show_text(preview.customer_text)


def reply_payload(ticket_id: str, agent_id: str, text: str, request_id: str) -> dict[str, Any] | None:
    """The `reply` input built by the template service (approved customer text travels along)."""
    preview = current_preview(ticket_id)
    svc = service() if preview is not None else None
    if preview is None or svc is None:
        return None
    request = svc.reply_request(preview, agent_id, internal_text=text, request_id=request_id)
    payload: dict[str, Any] = request.model_dump(mode="json")
    return payload


def admin_templates(user: UserView) -> None:
    svc = service()
    if svc is None:
        st.caption(t("templates_missing"))
        return
    approved = st.session_state.pop("_tpl_approved", None)
    if approved:
        st.success(approved)
    rows = []
    for template in svc.catalog:
        for lang in ADMIN_LANGUAGES:
            resolved = svc.resolve(template.name, lang)
            rows.append(
                {
                    t("template"): template.name,
                    t("col_subject"): template.title,
                    t("col_language"): lang,
                    t("col_status"): label(str(resolved.availability)),
                    t("col_origin"): resolved.origin,
                }
            )
    st.dataframe(rows, hide_index=True, key="admin_templates")
    with st.form("f_approve_variant"):
        st.markdown(f"**{t('approve_variant')}**")
        name = st.selectbox(t("template"), [tpl.name for tpl in svc.catalog])
        lang = st.selectbox(t("col_language"), ADMIN_LANGUAGES)
        text = st.text_area(t("variant_text"), height=160)
        approve = st.form_submit_button(t("approve"))
    if approve:
        from templates.model import TemplateError

        try:
            record = services.load(svc.approve, name, lang, user.actor_id, text.strip() or None)
        except TemplateError as exc:
            services.record_audit(
                "approve_template", outcome="rejected", detail={"template": name, "lang": lang}
            )
            st.error(escape_md(str(exc)))
            return
        if record is not None:
            services.record_audit(
                "approve_template", detail={"template": name, "lang": lang, "revision": record.revision}
            )
            # Rerun so the table above shows the new status; the message survives in session state.
            st.session_state["_tpl_approved"] = t(
                "variant_approved", name=escape_md(name), lang=lang, rev=record.revision
            )
            st.rerun()
