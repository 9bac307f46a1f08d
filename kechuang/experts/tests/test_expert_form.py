"""Adding and editing an expert in the browser."""

from __future__ import annotations

import pytest

from kechuang.experts import identity
from kechuang.experts.models import Expert
from kechuang.experts.tests.conftest import id_number

NEW = "/experts/new/"


def form(**changes) -> dict:
    return {
        "name": "张志强",
        "id_number": id_number(3),
        "title": "associate",
        "title_name": "高级工程师",
        "organization_name": "北疆石化技术研究院",
        "expert_fields": ["新材料", "资源与环境"],
        "available": "on",
    } | changes


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_opens_the_form(as_role, who):
    assert as_role(who).get(NEW).status_code == 403
    assert as_role(who).post(NEW, form()).status_code == 403
    assert not Expert.objects.exists()


def test_staff_add_an_expert_and_land_on_the_page(client_for, staff_user):
    c = client_for(staff_user)
    assert c.get(NEW).status_code == 200
    response = c.post(NEW, form())
    assert response.status_code == 302 and response["Location"] == "/experts/E00001/"
    e = Expert.objects.get()
    assert e.fields == ["新材料", "资源与环境"] and identity.decrypt(
        e.id_number_token
    ) == id_number(3)


def test_problems_are_shown_and_nothing_saved(client_for, staff_user):
    response = client_for(staff_user).post(NEW, form(id_number="650202", organization_name=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "身份证号应为 18 位" in html and "请填写工作单位" in html
    assert not Expert.objects.exists()


def test_editing_leaves_the_number_alone_unless_a_new_one_is_given(
    client_for, staff_user, make_expert
):
    e = make_expert(1)
    c = client_for(staff_user)
    page = c.get("/experts/E00001/edit/").content.decode()
    assert id_number(1) not in page and "留空则不修改" in page
    response = c.post("/experts/E00001/edit/", form(id_number="", name="新名"))
    assert response.status_code == 302
    e.refresh_from_db()
    assert e.name == "新名" and identity.decrypt(e.id_number_token) == id_number(1)


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "provider_user"])
def test_other_roles_cannot_open_or_post_the_edit_form(as_role, who, make_expert):
    make_expert(1)
    assert as_role(who).get("/experts/E00001/edit/").status_code == 403
    assert as_role(who).post("/experts/E00001/edit/", form(name="x")).status_code == 403
    assert Expert.objects.get().name == "测试专家1"


def test_an_expert_finds_no_edit_form(as_role, make_expert, expert_user):
    make_expert(1, user=expert_user)
    assert as_role("expert_user").get("/experts/E00001/edit/").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, make_expert):
    make_expert(1)
    assert client.get("/experts/E00001/edit/").status_code == 302
    assert client.get(NEW).status_code == 302
