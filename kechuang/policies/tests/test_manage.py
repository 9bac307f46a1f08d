"""The bureau's policy pages: the overview with figures, starting a matching run and watching
its progress, and the form that creates and edits policies (conditions in YAML)."""

from __future__ import annotations

import pytest

from kechuang.policies.models import MatchRun, Policy

CONDITIONS = "all:\n  - fact: registered_in_district\n    is: true\n"
FORM = {
    "title": "新政策",
    "issuer": "克拉玛依市独山子区人民政府",
    "level": "district",
    "category": "reward",
    "state": "published",
    "department": "区科学技术局",
    "summary": "摘要",
    "benefits": "首次认定奖励 | 100000 | 元\n咨询服务",
    "steps": "提交\n审核",
    "conditions": CONDITIONS,
}


def test_the_overview_lists_every_policy_with_its_figures(client_for, staff_user, catalog):
    response = client_for(staff_user).get("/policies/manage/")
    assert response.status_code == 200
    assert len(response.context["policies"]) == 13
    assert "尚未运行过匹配" in response.content.decode()


def test_staff_start_a_run_and_watch_it(client_for, staff_user, catalog, make_enterprise):
    make_enterprise(1)
    c = client_for(staff_user)
    response = c.post("/policies/manage/")
    run = MatchRun.objects.get()
    assert response["Location"] == f"/policies/runs/{run.pk}/"
    assert run.status == "done"  # the test settings run tasks at once
    assert "匹配完成" in c.get(f"/policies/runs/{run.pk}/").content.decode()
    progress = c.get(f"/policies/runs/{run.pk}/progress/")
    assert "hx-trigger" not in progress.content.decode()  # finished: polling stops


def test_staff_create_a_policy_with_the_form(client_for, staff_user):
    c = client_for(staff_user)
    assert c.get("/policies/manage/new/").status_code == 200
    response = c.post("/policies/manage/new/", {**FORM, "code": "new-one"})
    policy = Policy.objects.get(code="new-one")
    assert response["Location"] == f"/policies/{policy.pk}/"
    assert [(b.description, b.amount, b.unit) for b in policy.benefits.all()] == [
        ("首次认定奖励", 100000, "元"),
        ("咨询服务", None, ""),
    ]
    assert policy.conditions == {"all": [{"fact": "registered_in_district", "is": True}]}


def test_the_form_shows_where_a_condition_is_wrong(client_for, staff_user):
    data = {**FORM, "code": "bad", "conditions": "all:\n  - fact: revenue_big\n    is: true\n"}
    response = client_for(staff_user).post("/policies/manage/new/", data)
    assert response.status_code == 200
    assert "conditions.all[0].fact" in response.content.decode()
    assert not Policy.objects.exists()


def test_the_form_reports_bad_yaml_with_its_line(client_for, staff_user):
    data = {**FORM, "code": "bad", "conditions": "all: [\n"}
    text = client_for(staff_user).post("/policies/manage/new/", data).content.decode()
    assert "YAML" in text and not Policy.objects.exists()


def test_staff_edit_a_policy_and_its_code_stays(client_for, staff_user, make_policy):
    p = make_policy("keep", conditions={"fact": "resident", "is": True})
    c = client_for(staff_user)
    form = c.get(f"/policies/{p.pk}/edit/").context["form"]
    assert "fact: resident" in form.initial["conditions"]
    c.post(f"/policies/{p.pk}/edit/", {**FORM, "code": "changed", "phone": "0992-1234567"})
    p.refresh_from_db()
    assert (p.code, p.title, p.phone) == ("keep", "新政策", "0992-1234567")


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_the_bureau_pages_are_refused_to_others(client_for, request, make_policy, who):
    p = make_policy("pp")
    run = MatchRun.objects.create(matched_on="2026-06-30")
    c = client_for(request.getfixturevalue(who))
    for url in (
        "/policies/manage/",
        "/policies/manage/new/",
        f"/policies/{p.pk}/edit/",
        f"/policies/runs/{run.pk}/",
        f"/policies/runs/{run.pk}/progress/",
    ):
        assert c.get(url).status_code == 403, url
    assert c.post("/policies/manage/").status_code == 403
    assert not MatchRun.objects.exclude(pk=run.pk).exists()


def test_anonymous_users_log_in_first(client, db):
    assert client.get("/policies/manage/")["Location"].startswith("/accounts/login/")


def test_the_overview_queries_do_not_grow_with_policies(
    client_for, staff_user, make_policy, django_assert_max_num_queries
):
    for i in range(20):
        make_policy(f"p{i}")
    c = client_for(staff_user)
    with django_assert_max_num_queries(12):
        assert len(c.get("/policies/manage/").context["policies"]) == 20
