"""Opening a project from the list of approved applications."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.projects.models import Project


def test_staff_see_approved_applications_waiting_for_a_project(
    client_for, staff_user, make_application
):
    application = make_application()
    html = client_for(staff_user).get("/projects/new/").content.decode()
    assert application.code in html and f"/projects/new/{application.pk}/" in html


def test_staff_open_a_project_from_the_form(client_for, staff_user, make_application, today):
    application = make_application()
    response = client_for(staff_user).post(
        f"/projects/new/{application.pk}/",
        {
            "approved_amount": "1000000",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=365)).isoformat(),
            "lead_person": "王工",
        },
    )
    project = Project.objects.get()
    assert response["Location"] == f"/projects/{project.code}/"
    waiting = client_for(staff_user).get("/projects/new/").content.decode()
    assert f"/projects/new/{application.pk}/" not in waiting and "没有待建立项目的申报" in waiting


def test_a_refused_form_keeps_what_was_typed(client_for, staff_user, make_application, today):
    application = make_application()
    response = client_for(staff_user).post(
        f"/projects/new/{application.pk}/",
        {
            "approved_amount": "9999999",
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=365)).isoformat(),
            "lead_person": "王工",
        },
    )
    html = response.content.decode()
    assert "不能超过申请金额" in html and 'value="9999999"' in html
    assert not Project.objects.exists()


@pytest.mark.parametrize("who", ["enterprise_user", "reporter"])
def test_only_the_bureau_opens_projects(request, client_for, who, make_application):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/projects/new/").status_code == 403
    assert client.get(f"/projects/new/{make_application().pk}/").status_code == 403
