"""An expert's own page: the record with the number masked, availability, relationships."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.experts.models import Relationship
from kechuang.experts.tests.conftest import id_number

URL = "/experts/me/"


def test_an_expert_sees_their_own_record_masked(client_for, make_expert, expert_user):
    e = make_expert(1, user=expert_user, name="王建国")
    make_expert(2, name="别人")
    html = client_for(expert_user).get(URL).content.decode()
    assert "王建国" in html and e.id_number_masked in html
    assert id_number(1) not in html and "别人" not in html


def test_an_expert_without_a_record_is_told_whom_to_ask(client_for, expert_user):
    html = client_for(expert_user).get(URL).content.decode()
    assert "尚未关联" in html and "联系科技局" in html


def test_the_bureau_is_sent_to_the_library(client_for, staff_user):
    response = client_for(staff_user).get(URL)
    assert response.status_code == 302 and response["Location"] == "/experts/"


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "provider_user"])
def test_other_roles_are_refused(as_role, who):
    assert as_role(who).get(URL).status_code == 403
    assert as_role(who).post(URL + "availability/", {}).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_an_expert_marks_a_period_they_cannot_serve(client_for, make_expert, expert_user):
    e = make_expert(1, user=expert_user)
    c = client_for(expert_user)
    response = c.post(
        URL + "availability/",
        {"unavailable_from": "2026-07-01", "unavailable_until": "2026-07-15", "reason": "出差"},
    )
    assert response.status_code == 302
    e.refresh_from_db()
    assert not e.available and e.unavailable_from == dt.date(2026, 7, 1)
    c.post(URL + "availability/", {"available": "on"})
    e.refresh_from_db()
    assert e.available and e.unavailable_from is None


def test_a_backwards_period_is_reported_and_not_saved(client_for, make_expert, expert_user):
    e = make_expert(1, user=expert_user)
    page = client_for(expert_user).post(
        URL + "availability/",
        {"unavailable_from": "2026-07-15", "unavailable_until": "2026-07-01"},
        follow=True,
    )
    assert "结束日期早于开始日期" in page.content.decode()
    e.refresh_from_db()
    assert e.available


def test_an_expert_declares_a_relationship(client_for, make_expert, expert_user):
    e = make_expert(1, user=expert_user)
    c = client_for(expert_user)
    c.post(URL + "relationships/", {"organization_name": "某研究院", "kind": "part_time"})
    r = Relationship.objects.get()
    assert r.expert == e and r.declared_by == expert_user
    assert "某研究院" in c.get(URL).content.decode()


def test_posting_without_a_record_finds_nothing(client_for, expert_user):
    response = client_for(expert_user).post(
        URL + "relationships/", {"organization_name": "x", "kind": "other"}
    )
    assert response.status_code == 404
    assert not Relationship.objects.exists()


def test_the_menu_shows_the_page_to_experts(client_for, make_expert, expert_user):
    make_expert(1, user=expert_user)
    html = client_for(expert_user).get(URL).content.decode()
    assert 'href="/experts/me/" aria-current="page"' in html
