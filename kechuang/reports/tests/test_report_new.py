"""Asking for a report from the list page."""

import pytest
from django.urls import reverse

from kechuang.reports import builders
from kechuang.reports.models import Report

URL = reverse("reports:new")


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(
        builders,
        "yearly_report",
        lambda plan, year, *, progress: builders.Built(b"docx", "t", []),
    )


def test_staff_ask_for_a_yearly_report_and_land_on_its_page(
    demo, staff_user, client_for, quick, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_user).post(
            URL, {"kind": "yearly", "plan": demo.code, "year": "2024"}
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    report.refresh_from_db()
    assert report.state == "done"


def test_a_year_without_data_is_refused_on_the_page_and_nothing_is_queued(
    plan, staff_user, client_for
):
    response = client_for(staff_user).post(
        URL, {"kind": "yearly", "plan": plan.code, "year": "2023"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "2023年没有审核通过的数据" in html
    assert "9项关键指标均无审核通过的数值" in html
    assert not Report.objects.exists()


def test_unknown_codes_are_each_named(plan, staff_user, client_for):
    response = client_for(staff_user).post(
        URL, {"kind": "enterprise", "plan": "nope", "enterprise": "91650202XXXXXXXXXX"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "没有代码为 nope 的规划" in html
    assert "企业库中没有统一社会信用代码为 91650202XXXXXXXXXX 的企业" in html


def test_an_enterprise_profile_is_asked_for_by_credit_code(
    demo, staff_user, enterprise, client_for, monkeypatch
):
    monkeypatch.setattr(
        builders, "enterprise_report", lambda e, *, progress: builders.Built(b"d", "t", [])
    )
    response = client_for(staff_user).post(
        URL, {"kind": "enterprise", "enterprise": enterprise.uscc.lower()}
    )
    assert response.status_code == 302
    assert Report.objects.get().enterprise == enterprise


@pytest.mark.parametrize("who", ["reporter", "own_user", "expert_user", "provider_user"])
def test_only_the_bureau_may_ask(demo, who, request, client_for):
    response = client_for(request.getfixturevalue(who)).post(
        URL, {"kind": "yearly", "plan": demo.code, "year": "2024"}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_asking_needs_a_post(demo, staff_user, client_for):
    assert client_for(staff_user).get(URL).status_code == 405
