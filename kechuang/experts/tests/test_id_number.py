"""The whole ID number: admins only, by POST, and every look is in the audit log."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from kechuang.experts.tests.conftest import id_number

URL = "/experts/E00001/id-number/"


def accesses():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS)


def test_an_admin_sees_the_whole_number_and_each_look_is_audited(
    client_for, admin_user, make_expert
):
    make_expert(1)
    c = client_for(admin_user)
    first = c.post(URL)
    assert first.status_code == 200 and id_number(1) in first.content.decode()
    assert "no-cache" in first["Cache-Control"] or "max-age=0" in first["Cache-Control"]
    c.post(URL, HTTP_HX_REQUEST="true")
    entries = list(accesses().order_by("pk"))
    assert len(entries) == 2
    assert {e.actor for e in entries} == {admin_user}
    assert entries[0].object_repr.startswith("E00001")
    assert entries[0].remote_addr == "127.0.0.1"
    assert id_number(1) not in str(entries[0].changes)


def test_the_htmx_answer_is_only_the_number(client_for, admin_user, make_expert):
    make_expert(1)
    html = client_for(admin_user).post(URL, HTTP_HX_REQUEST="true").content.decode()
    assert html.startswith('<span id="id-number">') and "<html" not in html


def test_a_get_does_not_reveal_it(client_for, admin_user, make_expert):
    make_expert(1)
    assert client_for(admin_user).get(URL).status_code == 405
    assert not accesses().exists()


def test_staff_see_only_the_masked_number(client_for, staff_user, make_expert):
    make_expert(1)
    assert client_for(staff_user).post(URL).status_code == 403
    assert not accesses().exists()


def test_an_expert_cannot_see_even_their_own(client_for, make_expert, expert_user):
    make_expert(1, user=expert_user)
    assert client_for(expert_user).post(URL).status_code == 404
    assert not accesses().exists()


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "provider_user"])
def test_other_roles_are_refused(as_role, who, make_expert):
    make_expert(1)
    assert as_role(who).post(URL).status_code == 403
    assert not accesses().exists()


def test_anonymous_users_are_sent_to_log_in(client, make_expert):
    make_expert(1)
    assert client.post(URL).status_code == 302
    assert not accesses().exists()


def test_the_audit_page_lists_each_look(client_for, admin_user, make_expert):
    make_expert(1)
    c = client_for(admin_user)
    c.post(URL)
    page = c.get("/audit/?action=3").content.decode()
    assert "E00001" in page and "whole number viewed" in page
