"""The plan pages: the new-plan form, a plan with its next step, and the list of plans."""

from __future__ import annotations

import pytest

from kechuang.inspections.models import InspectionPlan
from kechuang.inspections.tests.conftest import record

NEW = "/inspections/plans/new/"


def form(**values) -> dict:
    return {
        "title": "在研项目抽查",
        "year": "2026",
        "pool": "projects_running",
        "sampling": "ratio",
        "ratio_pct": "10",
        "count": "",
        "inspectors_per_check": "2",
        "exclude_recent_months": "12",
        **values,
    }


def test_a_plan_is_made_from_the_form_and_its_commitment_shown(
    client_for, staff_user, make_project
):
    make_project()
    client = client_for(staff_user)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, form())
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/inspections/plans/{plan.pk}/"
    assert (plan.sampling, plan.count, plan.objects_draw.k) == ("ratio", None, 1)
    html = client.get(response["Location"]).content.decode()
    assert plan.objects_draw.commitment in html and plan.objects_draw.draw_id in html
    assert "抽取检查对象" in html


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"ratio_pct": "0"}, "抽查比例（0%）必须大于 0"),
        ({"ratio_pct": "120"}, "不能超过 100%"),
        ({"sampling": "count", "count": "5"}, "抽查数量 5 超过可抽取的对象数 1"),
        ({"pool": "hnte"}, "检查对象库为空"),
        ({"sampling": "count"}, "请填写抽查数量"),
    ],
)
def test_a_refused_plan_shows_why_and_keeps_the_form(
    client_for, staff_user, make_project, values, message
):
    make_project()
    response = client_for(staff_user).post(NEW, form(**values))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'value="在研项目抽查"' in html
    assert not InspectionPlan.objects.exists()


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "provider_user"])
def test_only_the_bureau_opens_the_plan_pages(request, who, client_for, draft):
    client = client_for(request.getfixturevalue(who))
    for url in (NEW, "/inspections/plans/", f"/inspections/plans/{draft.pk}/"):
        assert client.get(url).status_code == 403
    assert (
        client.post(f"/inspections/plans/{draft.pk}/", {"action": "draw_objects"}).status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_an_inspector_cannot_open_a_plan(client_for, draft, inspectors):
    assert client_for(inspectors[0].user).get(f"/inspections/plans/{draft.pk}/").status_code == 403


def test_the_bureau_walks_a_plan_through_its_steps(client_for, staff_user, draft):
    client = client_for(staff_user)
    url = f"/inspections/plans/{draft.pk}/"
    for action, state in [
        ("draw_objects", "objects_drawn"),
        ("draw_inspectors", "inspectors_drawn"),
    ]:
        assert client.post(url, {"action": action}).status_code == 302
        draft.refresh_from_db()
        assert draft.state == state
    html = client.get(url).content.decode()
    check = draft.checks.get()
    assert check.inspectors_draw.draw_id in html and "检查员0" in html
    assert "还有 1 个对象未记录检查结果" in html
    record(staff_user, check)
    client.post(url, {"action": "publish"})
    draft.refresh_from_db()
    assert draft.state == "published"


def test_a_refused_step_is_explained_and_changes_nothing(client_for, staff_user, draft):
    client = client_for(staff_user)
    url = f"/inspections/plans/{draft.pk}/"
    response = client.post(url, {"action": "publish"}, follow=True)
    assert "不能公开结果" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_an_unknown_step_is_refused(client_for, staff_user, draft):
    response = client_for(staff_user).post(f"/inspections/plans/{draft.pk}/", {"action": "x"})
    assert response.status_code == 403


def test_the_list_of_plans_shows_progress_and_filters_by_year(
    client_for, staff_user, draft, django_assert_max_num_queries
):
    client = client_for(staff_user)
    response = client.get("/inspections/plans/")
    assert [p.pk for p in response.context["page"].object_list] == [draft.pk]
    assert draft.objects_draw.draw_id in response.content.decode()
    assert list(client.get("/inspections/plans/", {"year": draft.year - 1}).context["page"]) == []
    # Session, user and unit, years, count, the page (with its counts); the session's save.
    with django_assert_max_num_queries(10):
        client.get("/inspections/plans/")


def test_a_missing_plan_is_404(client_for, staff_user):
    assert client_for(staff_user).get("/inspections/plans/999/").status_code == 404
