"""The "change deadline" form for an open collaboration task (department view and ticket detail).

It only proposes the `change_deadline` update (console.actions: propose -> confirm -> Temporal);
the task workflow's validator decides (not in the past, task open, at most 90 days ahead) and its
message is shown as it is. The date and time are read in the department's time zone.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from console.actions import PendingAction, propose
from console.i18n import current_language
from store.collaboration import TaskView

_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Change deadline", "修改截止时间"),
    "date": ("New deadline: date", "新截止日期"),
    "time": ("Time", "时间"),
    "reason": ("Reason (required)", "原因（必填）"),
    "submit": ("Continue", "继续"),
    "summary": ("move the deadline of {id} to {at}", "将 {id} 的截止时间改为 {at}"),
}


def _t(key: str, **kw: str) -> str:
    en, zh = _LABELS[key]
    text = zh if current_language() == "zh" else en
    return text.format(**kw) if kw else text


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def deadline_form(scope: str, task: TaskView, by: str, timezone: str = "Asia/Shanghai") -> None:
    """Render the form; on submit, park the update for confirmation in `scope`."""
    zone = _zone(timezone)
    current = task.deadline.astimezone(zone)
    suggested = current + timedelta(days=1)
    with st.form(f"f_deadline_{scope}_{task.task_id}", clear_on_submit=True):
        st.caption(f"{_t('title')} ({timezone})")
        day = st.date_input(_t("date"), value=suggested.date(), key=f"dl_day_{scope}_{task.task_id}")
        at = st.time_input(_t("time"), value=time(suggested.hour, suggested.minute),
                           key=f"dl_time_{scope}_{task.task_id}")
        reason = st.text_input(_t("reason"), key=f"dl_reason_{scope}_{task.task_id}")
        if st.form_submit_button(_t("submit")):
            new = datetime.combine(day, at, tzinfo=zone)
            propose(scope, PendingAction(
                ticket_id=task.ticket_id, task_id=task.task_id, update="change_deadline",
                summary=_t("summary", id=task.task_id, at=f"{new:%Y-%m-%d %H:%M} ({timezone})"),
                payload={"by": by, "deadline": new.isoformat(), "reason": reason}))
            st.rerun()
