"""Yearly self-inspection (自查自纠): one per project per year, reviewed by the bureau."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.projects import selectors, services
from kechuang.projects.models import SelfInspection

CLEAR = {
    "funds_as_budgeted": True,
    "milestones_on_time": True,
    "team_as_contracted": True,
    "outcomes_truthful": True,
}


def submit(user, project, year, **overrides):
    return services.submit_self_inspection(user, project, year=year, **(CLEAR | overrides))


def test_the_organisation_submits_this_years_self_inspection(enterprise_user, signed, today):
    inspection = submit(enterprise_user, signed, today.year)
    assert inspection.all_clear and inspection.submitted_by == enterprise_user


def test_one_self_inspection_per_project_per_year(enterprise_user, signed, today):
    submit(enterprise_user, signed, today.year)
    with pytest.raises(Rejected) as exc:
        submit(enterprise_user, signed, today.year)
    assert exc.value.problems[0].where == "year"
    assert f"{today.year} 年度的自查自纠已于" in exc.value.problems[0].message_zh
    assert SelfInspection.objects.count() == 1


def test_a_no_needs_the_issue_and_its_correction(enterprise_user, signed, today):
    with pytest.raises(Rejected) as exc:
        submit(enterprise_user, signed, today.year, milestones_on_time=False)
    assert {p.where for p in exc.value.problems} == {"issues", "corrective_actions"}
    inspection = submit(
        enterprise_user,
        signed,
        today.year,
        milestones_on_time=False,
        issues="中试延迟两个月",
        corrective_actions="增加夜班，9月底前完成",
    )
    assert not inspection.all_clear


def test_the_year_must_be_within_the_project_and_not_ahead(enterprise_user, signed, today):
    with pytest.raises(Rejected) as exc:
        submit(enterprise_user, signed, today.year + 1)
    assert exc.value.problems[0].where == "year"
    assert not SelfInspection.objects.exists()


def test_the_bureau_reviews_once_and_a_rectification_needs_a_note(
    enterprise_user, staff_user, signed, today
):
    inspection = submit(enterprise_user, signed, today.year)
    with pytest.raises(Rejected):
        services.review_self_inspection(staff_user, inspection, review="rectify", note="")
    services.review_self_inspection(staff_user, inspection, review="ok", note="")
    inspection.refresh_from_db()
    assert (inspection.review, inspection.reviewed_by) == ("ok", staff_user)
    assert enterprise_user.notifications.filter(title_zh__startswith="自查自纠审核").exists()
    with pytest.raises(Rejected, match="已审核"):
        services.review_self_inspection(staff_user, inspection, review="rectify", note="再查")


def test_projects_missing_this_years_self_inspection_are_listed(
    enterprise_user, signed, make_project, today
):
    unsigned = make_project()
    assert list(selectors.missing_inspections()) == [signed]
    submit(enterprise_user, signed, today.year)
    assert list(selectors.missing_inspections()) == []
    assert unsigned.signed_on is None  # nothing is owed before the contract is signed


def test_the_missing_list_page_is_for_the_bureau(client_for, staff_user, enterprise_user, signed):
    html = client_for(staff_user).get("/projects/inspections/missing/").content.decode()
    assert signed.code in html
    assert client_for(enterprise_user).get("/projects/inspections/missing/").status_code == 403


@pytest.mark.parametrize("who", ["staff_user", "other_enterprise_user", "reporter"])
def test_only_the_organisation_submits(request, who, signed, today):
    with pytest.raises(PermissionDenied):
        submit(request.getfixturevalue(who), signed, today.year)


@pytest.mark.parametrize("who", ["enterprise_user", "other_enterprise_user"])
def test_only_the_bureau_reviews(request, who, enterprise_user, signed, today):
    inspection = submit(enterprise_user, signed, today.year)
    with pytest.raises(PermissionDenied):
        services.review_self_inspection(
            request.getfixturevalue(who), inspection, review="ok", note=""
        )
