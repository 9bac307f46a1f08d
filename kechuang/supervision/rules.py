"""Permissions on tasks, milestones, progress reports, evidence and 督办."""

import rules

from kechuang.accounts.rules import is_bureau, is_reporter, is_task_department


@rules.predicate
def leads_task(user, obj) -> bool:
    """The user's department leads the task (or the milestone's / report's task)."""
    if obj is None:
        return False
    task = getattr(obj, "task", obj)
    return user.organization_id is not None and task.lead_department_id == user.organization_id


@rules.predicate
def is_supervised_department(user, supervision) -> bool:
    """The 督办 notice was sent to the user's department."""
    return (
        supervision is not None
        and user.organization_id is not None
        and supervision.department_id == user.organization_id
    )


PERMISSIONS = {
    "supervision.view_board": is_bureau | is_reporter,
    "supervision.report_progress": is_bureau | (is_reporter & is_task_department),
    "supervision.manage_milestones": is_bureau,
    "supervision.view_evidence": is_bureau | (is_reporter & is_task_department),
    "supervision.supervise": is_bureau,
    # Completion is a claim the responsible department makes; the bureau may record it too.
    "supervision.complete_milestone": is_bureau | (is_reporter & leads_task),
    # Only the department pressed answers a 督办; the bureau reads and closes.
    "supervision.respond_supervision": is_reporter & is_supervised_department,
    # 督办 names and presses a department: its history stays between the bureau and the task's
    # departments.
    "supervision.view_supervisions": is_bureau | (is_reporter & is_task_department),
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
