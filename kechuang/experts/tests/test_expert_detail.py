"""One expert's page: profile with the masked number, relationships, collaborations, draws."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.core import draw as D
from kechuang.experts import services
from kechuang.experts.models import Relationship
from kechuang.experts.tests.conftest import id_number

URL = "/experts/E00001/"


def test_anonymous_users_are_sent_to_log_in(client, make_expert):
    make_expert(1)
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "provider_user"])
def test_other_roles_are_refused(as_role, who, make_expert):
    make_expert(1)
    assert as_role(who).get(URL).status_code == 403


def test_an_expert_finds_no_other_experts_page(as_role, make_expert, expert_user):
    make_expert(1)
    make_expert(2, user=expert_user)
    assert as_role("expert_user").get(URL).status_code == 404
    assert as_role("expert_user").get("/experts/E00002/").status_code == 404  # own is at /me/


def test_an_unknown_code_is_404(client_for, staff_user, db):
    assert client_for(staff_user).get("/experts/E09999/").status_code == 404


@pytest.mark.parametrize("who", ["admin_user", "staff_user"])
def test_the_bureau_sees_the_profile_and_ties_with_the_number_masked(
    as_role, who, make_expert, staff_user
):
    e = make_expert(1, specialty="石化装备")
    services.declare_relationship(staff_user, e, kind="part_time", organization_name="某研究院")
    services.record_collaboration(
        staff_user, e, on=dt.date(2024, 1, 5), organization_name="某企业", source="项目甲"
    )
    html = as_role(who).get(URL).content.decode()
    assert "石化装备" in html and "某研究院" in html and "兼职" in html and "项目甲" in html
    assert e.id_number_masked in html and id_number(1) not in html


def test_only_admins_get_the_button_for_the_whole_number(as_role, make_expert):
    make_expert(1)
    assert "查看完整号码" in as_role("admin_user").get(URL).content.decode()
    assert "查看完整号码" not in as_role("staff_user").get(URL).content.decode()


def test_the_draws_the_expert_was_chosen_in_are_listed(client_for, staff_user, make_expert):
    make_expert(1)
    draw = services.create_draw(
        staff_user,
        purpose="评审抽取",
        kind="review",
        candidates=[D.Candidate("E00001", {})],
        exclusions={},
        k=1,
    )
    services.perform_draw(staff_user, draw)
    html = client_for(staff_user).get(URL).content.decode()
    assert draw.draw_id in html and "评审抽取" in html


def test_bureau_records_relationships_and_collaborations_from_the_page(
    client_for, staff_user, make_expert
):
    e = make_expert(1)
    c = client_for(staff_user)
    r = c.post(URL + "relationships/", {"organization_name": "甲单位", "kind": "relative"})
    assert r.status_code == 302
    c.post(
        URL + "collaborations/",
        {"organization_name": "乙单位", "on": "2025-02-01", "source": "x"},
    )
    assert e.relationships.get().kind == "relative"
    assert e.collaborations.get().on == dt.date(2025, 2, 1)
    bad = c.post(
        URL + "collaborations/", {"organization_name": "丙", "on": "2999-01-01"}, follow=True
    )
    assert "合作日期不能晚于今天" in bad.content.decode()
    assert e.collaborations.count() == 1


def test_experts_cannot_post_collaborations_for_anyone(as_role, make_expert):
    make_expert(1)
    c = as_role("expert_user")
    assert (
        c.post(URL + "collaborations/", {"organization_name": "x", "on": "2025-01-01"}).status_code
        == 404
    )
    assert (
        c.post(URL + "relationships/", {"organization_name": "x", "kind": "other"}).status_code
        == 404
    )
    assert not Relationship.objects.exists()


def test_a_period_not_yet_begun_is_shown_as_such(client_for, staff_user, make_expert):
    make_expert(1, available=False, unavailable_from=timezone.localdate() + dt.timedelta(days=3))
    assert "今天不在不可参加期间" in client_for(staff_user).get(URL).content.decode()


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "provider_user", None])
def test_other_roles_cannot_post_ties(as_role, who, make_expert):
    make_expert(1)
    c = as_role(who)
    expected = 302 if who is None else 403
    assert (
        c.post(URL + "relationships/", {"organization_name": "x", "kind": "other"}).status_code
        == expected
    )
    assert (
        c.post(URL + "collaborations/", {"organization_name": "x", "on": "2025-01-01"}).status_code
        == expected
    )
    assert not Relationship.objects.exists()


def test_the_page_reads_in_a_fixed_number_of_queries(
    client_for, staff_user, make_expert, django_assert_max_num_queries
):
    e = make_expert(1)
    for n in range(6):
        services.declare_relationship(staff_user, e, kind="other", organization_name=f"u{n}")
        services.record_collaboration(
            staff_user, e, on=dt.date(2024, 1, 1 + n), organization_name=f"c{n}"
        )
    c = client_for(staff_user)
    with django_assert_max_num_queries(10):
        assert c.get(URL).status_code == 200
