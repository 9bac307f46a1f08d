"""Permissions on projects.

The bureau runs the projects: creates them, settles and signs the contract, pays, decides
changes, evaluates and accepts. The organisation that carries a project (its enterprise users)
sees it and reports on it: progress, change requests, acceptance, self-inspection. An expert
sees only the mid-term evaluations whose panel it sits on. Misconduct findings stay with the
bureau; 容错 decisions are shown to the organisation too, since they clear it.
"""

import rules

from kechuang.accounts.rules import is_bureau
from kechuang.enterprises.rules import is_enterprise_user
from kechuang.experts.rules import is_expert_user as is_expert
from kechuang.projects.models import PanelMember


@rules.predicate
def is_project_org(user, obj) -> bool:
    """The project (or the report, change, inspection's project) is carried by the user's unit."""
    if obj is None:
        return False
    project = getattr(obj, "project", obj)
    return user.organization_id is not None and project.organization_id == user.organization_id


@rules.predicate
def sits_on_panel(user, evaluation) -> bool:
    if evaluation is None:
        return False
    return evaluation.panel.filter(expert__user=user).exists()


@rules.predicate
def on_project_panel(user, obj) -> bool:
    """The user is an expert on the mid-term panel of the project (or the report's project)."""
    if obj is None:
        return False
    project = getattr(obj, "project", obj)
    return PanelMember.objects.filter(evaluation__project=project, expert__user=user).exists()


own = is_enterprise_user & is_project_org

PERMISSIONS = {
    "projects.view_list": is_bureau,
    "projects.create_project": is_bureau,
    "projects.view_project": is_bureau | own,
    "projects.manage_contract": is_bureau,
    # Completion is the organisation's claim, with a note of the evidence; the bureau may record it.
    "projects.complete_milestone": is_bureau | own,
    "projects.disburse": is_bureau,
    "projects.report_progress": own,
    # The panel reads the reports it evaluates, attachments included.
    "projects.view_attachment": is_bureau | own | (is_expert & on_project_panel),
    "projects.request_change": own,
    "projects.decide_change": is_bureau,
    "projects.start_midterm": is_bureau,
    "projects.conclude_midterm": is_bureau,
    # Individual experts' scores and opinions are the bureau's; the organisation sees the result.
    "projects.view_midterm_scores": is_bureau,
    "projects.score_midterm": is_expert & sits_on_panel,
    "projects.view_midterm_panels": is_expert,
    "projects.apply_acceptance": own,
    "projects.decide_acceptance": is_bureau,
    "projects.submit_self_inspection": own,
    "projects.review_self_inspection": is_bureau,
    "projects.record_tolerance": is_bureau,
    "projects.view_tolerance": is_bureau | own,
    "projects.record_misconduct": is_bureau,
    "projects.view_misconduct": is_bureau,
    "projects.view_mine": is_enterprise_user,
}

for name, predicate in PERMISSIONS.items():
    rules.add_perm(name, predicate)
