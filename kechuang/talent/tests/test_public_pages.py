"""The public pages: programs and open calls for anyone, without any personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kechuang.talent import services

from .conftest import person


def test_anyone_sees_the_programs_and_the_open_calls(client, call):
    page = client.get(reverse("talent:home")).content.decode()
    assert "油城英才" in page and call.title in page
    assert reverse("talent:call", args=[call.code]) in page


def test_no_nominee_appears_on_public_pages(client, submitted):
    for url in (reverse("talent:home"), reverse("talent:call", args=[submitted.call.code])):
        page = client.get(url).content.decode()
        assert submitted.name not in page and submitted.id_number_masked not in page


def test_with_nothing_open_the_page_says_so(client, program):
    page = client.get(reverse("talent:home")).content.decode()
    assert "目前没有正在申报的人才计划" in page


def test_the_call_page_shows_criteria_with_weights_and_the_window(client, call):
    page = client.get(reverse("talent:call", args=[call.code])).content.decode()
    assert "业绩与贡献" in page and "40" in page and "申报中" in page
    assert "登录后推荐" in page


def test_a_draft_call_is_not_public(client, staff_user, call_data, client_for):
    draft = services.create_call(staff_user, **call_data(code="draft-call"))
    assert client.get(reverse("talent:call", args=[draft.code])).status_code == 404
    assert client_for(staff_user).get(reverse("talent:call", args=[draft.code])).status_code == 200


def test_an_employer_saves_a_nomination_from_the_call_page(client_for, employer, call):
    response = client_for(employer).post(reverse("talent:call", args=[call.code]), person(1))
    app = employer.organization.talent_applications.get()
    assert response.status_code == 302 and response.url == f"/talent/applications/{app.pk}/"


def test_a_refused_nomination_keeps_what_was_typed(client_for, employer, call):
    response = client_for(employer).post(
        reverse("talent:call", args=[call.code]), person(1, id_number="650202198506010010")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "校验位错误" in page and "测试人才1" in page
    assert not employer.organization.talent_applications.exists()


@pytest.mark.parametrize("who", ["staff_user", "reporter", "provider_user", "unassigned_expert"])
def test_only_employers_may_post_a_nomination(request, client_for, who, call):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("talent:call", args=[call.code]), person(1)
    )
    assert response.status_code == 403


def test_the_public_list_reads_a_fixed_number_of_queries(
    client, make_call, django_assert_max_num_queries
):
    for n in range(8):
        make_call(code=f"c{n}")
    with django_assert_max_num_queries(8):
        client.get(reverse("talent:home"))
