"""免申即享 rosters: built from the registry for a period, checked by staff, approved by someone
other than the preparer, then granted without any application; exported to Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from kechuang.core.problems import Rejected
from kechuang.notifications.models import Notification
from kechuang.policies import selectors, services
from kechuang.policies.models import PolicyApplication, Roster
from kechuang.policies.tests.conftest import HNTE_REWARD

TODAY = dt.date(2026, 6, 30)
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


@pytest.fixture
def reward(make_policy):
    conditions = {"all": [*HNTE_REWARD["conditions"]["all"], {"fact": "resident", "is": True}]}
    return make_policy("reward", **{**HNTE_REWARD, "conditions": conditions}, grant_amount="100000")


@pytest.fixture
def firms(make_enterprise, certify, dishonest, user_of):
    new = make_enterprise(1, name="甲新高企", resident=True)
    certify(new, issued=dt.date(2026, 3, 1), number="GR202665000001")
    user_of(new, "t_new")
    old = make_enterprise(2, name="乙老高企", resident=True)
    certify(old, issued=dt.date(2025, 6, 1))
    listed = make_enterprise(3, name="丙失信", resident=True)
    certify(listed, issued=dt.date(2026, 4, 1))
    dishonest(listed, on=dt.date(2026, 5, 1))
    undeclared = make_enterprise(4, name="丁未申报")
    certify(undeclared, issued=dt.date(2026, 2, 1))
    return {"new": new, "old": old, "listed": listed, "undeclared": undeclared}


def prepare(user, policy, start=START, end=END):
    return services.prepare_roster(user, policy, start=start, end=end, today=TODAY)


def entries(roster) -> dict[str, tuple[str, bool]]:
    return {e.enterprise.name: (e.verdict, e.included) for e in roster.entries.all()}


def test_the_roster_lists_every_certificate_of_the_period_with_its_verdict(
    staff_user, reward, firms
):
    roster = prepare(staff_user, reward)
    assert entries(roster) == {
        "甲新高企": ("eligible", True),
        "丙失信": ("not_eligible", False),
        "丁未申报": ("possibly", False),
    }
    entry = roster.entries.get(enterprise=firms["new"])
    assert (entry.basis, entry.basis_date, entry.amount) == (
        "hnte:GR202665000001",
        dt.date(2026, 3, 1),
        100000,
    )
    assert roster.entries.get(enterprise=firms["undeclared"]).missing[0]["key"] == "resident"
    assert roster.amount_each == 100000 and roster.prepared_by == staff_user


def test_certificates_already_granted_are_left_out_and_counted(
    staff_user, admin_user, reward, firms
):
    first = prepare(staff_user, reward)
    services.approve_roster(admin_user, first)
    again = prepare(staff_user, reward)
    assert "甲新高企" not in entries(again) and again.already_granted == 1


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"auto_grant": False}, "not a 免申即享 policy"),
        ({"state": "draft"}, "not in force"),
    ],
)
def test_only_published_auto_grant_policies_get_rosters(
    staff_user, reward, firms, change, fragment
):
    policy = services.save_policy(
        staff_user, {**services.policy_data(reward), **change}, policy=reward
    )
    with pytest.raises(Rejected) as info:
        prepare(staff_user, policy)
    assert any(fragment in p.message_en for p in info.value.problems)
    assert not Roster.objects.exists()


def test_the_period_must_be_sound_and_not_overlap_a_draft(staff_user, reward, firms):
    with pytest.raises(Rejected) as info:
        prepare(staff_user, reward, start=END, end=START)
    assert info.value.problems[0].where == "期间止 / end"
    with pytest.raises(Rejected):
        prepare(staff_user, reward, end=TODAY + dt.timedelta(days=1))
    prepare(staff_user, reward)
    with pytest.raises(Rejected) as info:
        prepare(staff_user, reward, start=dt.date(2026, 6, 1))
    assert "awaits review" in info.value.problems[0].message_en
    assert Roster.objects.count() == 1


def test_staff_include_a_possibly_eligible_enterprise_after_checking(staff_user, reward, firms):
    roster = prepare(staff_user, reward)
    entry = roster.entries.get(enterprise=firms["undeclared"])
    services.set_entry_included(staff_user, entry, True)
    assert entries(roster)["丁未申报"] == ("possibly", True)
    listed = roster.entries.get(enterprise=firms["listed"])
    with pytest.raises(Rejected):
        services.set_entry_included(staff_user, listed, True)


def test_approval_grants_every_included_entry_and_tells_the_enterprise(
    staff_user, admin_user, reward, firms
):
    roster = prepare(staff_user, reward)
    grants = services.approve_roster(admin_user, roster, comment="同意")
    assert [(g.enterprise.name, g.status, g.via, g.amount) for g in grants] == [
        ("甲新高企", "granted", "roster", 100000)
    ]
    roster.refresh_from_db()
    assert (roster.status, roster.decided_by, roster.comment) == ("approved", admin_user, "同意")
    assert roster.entries.get(enterprise=firms["new"]).application == grants[0]
    assert Notification.objects.get(user__username="t_new").url == "/policies/mine/"
    with pytest.raises(Rejected):
        services.approve_roster(admin_user, roster)
    entry = roster.entries.get(enterprise=firms["undeclared"])
    with pytest.raises(Rejected):
        services.set_entry_included(staff_user, entry, True)


def test_the_preparer_may_not_approve_their_own_roster(staff_user, reward, firms):
    roster = prepare(staff_user, reward)
    with pytest.raises(Rejected) as info:
        services.approve_roster(staff_user, roster)
    assert "other than the preparer" in info.value.problems[0].message_en
    assert not PolicyApplication.objects.exists()


def test_approval_needs_the_amount_set(staff_user, admin_user, reward, firms):
    roster = prepare(staff_user, reward)
    services.save_policy(
        staff_user, {**services.policy_data(reward), "grant_amount": None}, policy=reward
    )
    with pytest.raises(Rejected) as info:
        services.approve_roster(admin_user, roster)
    assert info.value.problems[0].where == "每家兑现金额（元） / grant_amount"


def test_returning_a_roster_needs_a_reason(staff_user, admin_user, reward, firms):
    roster = prepare(staff_user, reward)
    with pytest.raises(Rejected):
        services.reject_roster(admin_user, roster, comment=" ")
    services.reject_roster(admin_user, roster, comment="期间有误")
    assert Roster.objects.get().status == "rejected"


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_handles_rosters(request, staff_user, reward, firms, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        prepare(user, reward)
    roster = prepare(staff_user, reward)
    with pytest.raises(PermissionDenied):
        services.approve_roster(user, roster)


def test_the_figures_count_the_grants(staff_user, admin_user, reward, firms):
    services.approve_roster(admin_user, prepare(staff_user, reward))
    row = selectors.match_figures()["reward"]
    assert (row["applied"], row["granted"], row["granted_amount"]) == (1, 1, 100000)


# --- the pages -------------------------------------------------------------------------------


def test_staff_prepare_review_approve_and_export_on_the_pages(
    client_for, staff_user, admin_user, reward, firms, monkeypatch
):
    from kechuang.policies import views

    monkeypatch.setattr(views.timezone, "localdate", lambda: TODAY)
    monkeypatch.setattr(services.timezone, "localdate", lambda: TODAY)
    c = client_for(staff_user)
    assert c.get(f"/policies/{reward.pk}/rosters/").status_code == 200
    response = c.post(
        f"/policies/{reward.pk}/rosters/", {"start": "2026-01-01", "end": "2026-06-30"}
    )
    roster = Roster.objects.get()
    assert response["Location"] == f"/policies/rosters/{roster.pk}/"
    page = c.get(f"/policies/rosters/{roster.pk}/")
    assert "甲新高企" in page.content.decode() and not page.context["may_decide"]
    entry = roster.entries.get(enterprise=firms["undeclared"])
    c.post(f"/policies/roster-entries/{entry.pk}/", {"included": "1"})
    entry.refresh_from_db()
    assert entry.included
    xlsx = c.get(f"/policies/rosters/{roster.pk}/export.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert rows[0][2] == "企业名称" and len(rows) == 4
    approver = client_for(admin_user)
    approver.post(f"/policies/rosters/{roster.pk}/approve/", {"comment": "同意"})
    assert PolicyApplication.objects.filter(status="granted").count() == 2


def test_a_bad_period_on_the_page_shows_the_problem(client_for, staff_user, reward):
    response = client_for(staff_user).post(
        f"/policies/{reward.pk}/rosters/", {"start": "2026-06-30", "end": "2026-01-01"}
    )
    assert response.status_code == 200 and "期间止早于期间起" in response.content.decode()


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user"])
def test_roster_pages_are_refused_to_others(client_for, request, staff_user, reward, firms, who):
    roster = prepare(staff_user, reward)
    c = client_for(request.getfixturevalue(who))
    assert c.get(f"/policies/{reward.pk}/rosters/").status_code == 403
    assert c.get(f"/policies/rosters/{roster.pk}/").status_code == 403
    assert c.get(f"/policies/rosters/{roster.pk}/export.xlsx").status_code == 403
    assert c.post(f"/policies/rosters/{roster.pk}/approve/").status_code == 403
