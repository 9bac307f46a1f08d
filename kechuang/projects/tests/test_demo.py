"""The demo project: made from the approved demo application, flagged, and removable."""

from __future__ import annotations

from kechuang.projects import selectors
from kechuang.projects.demo import load_projects_demo, remove_projects_demo
from kechuang.projects.models import ChangeRequest, Disbursement, Project


def test_without_an_approved_demo_application_nothing_is_made(staff_user, make_application):
    make_application()  # approved, but not demo data
    assert set(load_projects_demo().values()) == {0}
    assert not Project.objects.exists()


def test_the_demo_project_shows_every_step_in_progress(staff_user, make_application, today):
    application = make_application()
    application.is_demo = True
    application.save()
    report = load_projects_demo()
    assert report == {
        "projects": 1,
        "milestones": 3,
        "disbursements": 2,
        "reports": 1,
        "changes": 1,
    }
    project = Project.objects.get()
    assert project.is_demo and project.state == "in_progress" and project.signed_on
    states = sorted(mv.state for mv in selectors.milestone_views(project))
    assert states == ["done", "overdue", "pending"]
    budget = selectors.budget_of(project)
    assert budget.fiscal == project.approved_amount and 0 < budget.disbursed < budget.approved
    assert project.changes.get().state == "pending"
    assert list(selectors.missing_inspections()) == [project]
    assert set(load_projects_demo().values()) == {0}  # loading again adds nothing


def test_removing_the_demo_leaves_no_project_behind(staff_user, make_application):
    application = make_application()
    application.is_demo = True
    application.save()
    load_projects_demo()
    assert remove_projects_demo() == {"projects": 1}
    assert not Project.objects.exists()
    assert not Disbursement.objects.exists() and not ChangeRequest.objects.exists()
