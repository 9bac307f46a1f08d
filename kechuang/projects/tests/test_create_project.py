"""Opening a project from an approved application."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.projects import services
from kechuang.projects.models import Project


def create(user, application, today, **overrides):
    values = {
        "approved_amount": Decimal("1000000.00"),
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=365),
        "lead_person": "王工",
    } | overrides
    return services.create_project(user, application, **values)


def test_staff_open_a_project_that_copies_the_application(
    staff_user, make_application, today, org, enterprise_user
):
    enterprise_user.email = "ent@example.com"
    enterprise_user.save()
    application = make_application(major=True)
    project = create(staff_user, application, today)
    assert project.code == f"XM-{today.year}-001"
    assert project.organization == org and project.title == application.title
    assert project.is_major and project.program == application.call.program
    assert project.fields == ["新材料"] and project.state == Project.State.IN_PROGRESS
    assert project.requested_amount == Decimal("1200000.00")
    assert list(project.state_changes.values_list("from_state", "to_state")) == [
        ("", "in_progress")
    ]
    assert enterprise_user.notifications.filter(title_zh__contains=project.code).exists()


def test_codes_count_up_and_a_non_major_program_is_not_major(staff_user, make_application, today):
    create(staff_user, make_application(), today)
    second = create(staff_user, make_application(major=False), today)
    assert second.code == f"XM-{today.year}-002" and not second.is_major


def test_one_project_per_application(staff_user, make_application, today):
    application = make_application()
    first = create(staff_user, application, today)
    with pytest.raises(Rejected) as exc:
        create(staff_user, application, today)
    assert first.code in str(exc.value)
    assert Project.objects.count() == 1


def test_an_application_not_yet_approved_is_refused(staff_user, make_application, today):
    application = make_application()
    application.state = "in_review"
    application.save()
    with pytest.raises(Rejected) as exc:
        create(staff_user, application, today)
    assert "尚未立项" in str(exc.value)
    assert not Project.objects.exists()


def test_the_approved_amount_cannot_exceed_the_request(staff_user, make_application, today):
    with pytest.raises(Rejected) as exc:
        create(staff_user, make_application(), today, approved_amount=Decimal("1300000"))
    problem = exc.value.problems[0]
    assert problem.where == "approved_amount"
    assert "130.00 万元" in problem.message_zh and "120.00 万元" in problem.message_zh
    assert not Project.objects.exists()


def test_every_bad_field_is_reported_at_once(staff_user, make_application, today):
    with pytest.raises(Rejected) as exc:
        create(
            staff_user,
            make_application(),
            today,
            approved_amount=Decimal("-1"),
            ends_on=today - dt.timedelta(days=1),
            lead_person=" ",
        )
    assert {p.where for p in exc.value.problems} == {"approved_amount", "ends_on", "lead_person"}
    assert not Project.objects.exists() and not mail.outbox


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "admin_user"])
def test_only_the_bureau_opens_projects(request, who, make_application, today):
    user = request.getfixturevalue(who)
    application = make_application()
    if who == "admin_user":
        assert create(user, application, today).pk
        return
    with pytest.raises(PermissionDenied):
        create(user, application, today)
    assert not Project.objects.exists()
