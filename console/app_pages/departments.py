"""Departments: a department's open collaboration tasks with deadlines; complete or comment."""

import uuid
from datetime import UTC, datetime

import streamlit as st

from console import auth, integrations, services
from console.actions import PendingAction, confirm_box, propose
from console.deadline_form import deadline_form
from console.i18n import label, t
from console.widgets import escape_md, fmt_dt, open_ticket, remaining

SCOPE = "task"
user = auth.require_user()
url = services.database_url()
st.title(t("departments_title"))

directory = services.load(services.directory, url)
if directory is None:
    st.stop()
department = user.department_id
if auth.can(user, auth.Action.ANY_DEPARTMENT) and directory.departments:
    # Departments with open (and overdue) tasks first, with their counts in the picker.
    counts = services.query(integrations.department_task_counts) or {}
    ordered = sorted(
        directory.departments, key=lambda d: (-counts.get(d.department_id, (0, 0))[0], d.department_id)
    )
    names = {
        d.department_id: f"{d.name_zh or d.name} ({d.department_id}) · "
        + t(
            "task_counts",
            open=counts.get(d.department_id, (0, 0))[0],
            overdue=counts.get(d.department_id, (0, 0))[1],
        )
        for d in ordered
    }
    ids = list(names)
    department = st.selectbox(
        t("department"),
        ids,
        index=ids.index(department) if department in ids else 0,
        format_func=names.__getitem__,
        key="dept_pick",
    )
if not department:
    st.info(t("empty"))
    st.stop()

confirm_box(SCOPE)
tasks = services.load(services.department_tasks, url, department)
if tasks is None:
    st.info(t("collab_missing"))
    st.stop()
st.subheader(t("open_tasks"))
if not tasks:
    st.caption(t("empty"))
    st.stop()

now = datetime.now(UTC)
st.dataframe(
    [
        {
            t("col_ticket"): task.ticket_id,
            "#": task.task_no,
            t("col_question"): task.question,
            t("col_requested_by"): task.requested_by,
            t("col_assignee"): task.assignee,
            t("col_deadline"): fmt_dt(task.deadline),
            t("col_remaining"): remaining(task.deadline, now),
            t("col_overdue"): "🔴" if task.is_overdue(now) else "",
            t("col_status"): label(str(task.status)),
            t("col_subject"): task.ticket_subject or "",
        }
        for task in tasks
    ],
    hide_index=True,
    key="task_table",
)

by_id = {task.task_id: task for task in tasks}
task_id = st.selectbox(
    t("task"),
    list(by_id),
    key="task_pick",
    format_func=lambda i: f"{by_id[i].ticket_id} #{by_id[i].task_no} · {by_id[i].question[:50]}",
)
task = by_id[task_id]
services.record_ticket_view(task.ticket_id, "task")  # the question quotes customer data
with st.container(border=True):
    st.markdown(f"**{escape_md(task.ticket_subject or task.ticket_id)}**")
    st.markdown(escape_md(task.question))
    if task.context:
        st.caption(escape_md(task.context))
    if st.button(t("open_ticket"), key="task_open_ticket", icon=":material/open_in_new:"):
        open_ticket(task.ticket_id)

if auth.can(user, auth.Action.WORK_TASK) and str(task.status) == "open":
    complete_tab, comment_tab, deadline_tab = st.tabs([t("complete"), t("comment"), t("col_deadline")])
    with deadline_tab:  # the validator in the task workflow decides; its message is shown as is
        dept_zone = next((d.timezone for d in directory.departments if d.department_id == department), None)
        deadline_form(SCOPE, task, user.actor_id, dept_zone or "Asia/Shanghai")
    with complete_tab, st.form("f_complete", clear_on_submit=True):
        result = st.text_area(t("task_result"), height=100)
        if st.form_submit_button(t("submit")):
            propose(
                SCOPE,
                PendingAction(
                    ticket_id=task.ticket_id,
                    task_id=task.task_id,
                    update="complete_task",
                    summary=t("sum_complete", id=task.task_id),
                    payload={"by": user.actor_id, "result": result, "request_id": uuid.uuid4().hex},
                ),
            )
            st.rerun()
    with comment_tab, st.form("f_comment", clear_on_submit=True):
        comment = st.text_area(t("task_comment"), height=80)
        if st.form_submit_button(t("submit")):
            propose(
                SCOPE,
                PendingAction(
                    ticket_id=task.ticket_id,
                    task_id=task.task_id,
                    update="comment",
                    summary=t("sum_comment", id=task.task_id),
                    payload={"by": user.actor_id, "text": comment},
                ),
            )
            st.rerun()
