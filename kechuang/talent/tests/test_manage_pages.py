"""The bureau's pages: calls with counts, publishing and starting the review, the program and
call forms; everyone else is refused."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.talent import services
from kechuang.talent.models import TalentCall, TalentProgram

BUREAU_PAGES = ["talent:manage", "talent:program_new", "talent:call_new", "talent:registry"]


def test_the_manage_page_counts_nominations_by_state(client_for, staff_user, submitted):
    page = client_for(staff_user).get(reverse("talent:manage")).content.decode()
    assert submitted.call.title in page and "油城英才" in page
    assert submitted.name not in page


def test_publishing_from_the_manage_page(client_for, staff_user, call_data):
    call = services.create_call(staff_user, **call_data())
    client_for(staff_user).post(reverse("talent:manage"), {"call": call.code, "action": "publish"})
    call.refresh_from_db()
    assert call.state == "published"


def test_starting_the_review_from_the_manage_page(
    client_for, staff_user, submitted, experts, after_deadline
):
    c = client_for(staff_user)
    page = c.get(reverse("talent:manage")).content.decode()
    assert "抽取专家、开始评审" in page
    c.post(reverse("talent:manage"), {"call": submitted.call.code, "action": "panel"})
    submitted.refresh_from_db()
    assert submitted.state == "in_review"


def test_a_refused_start_is_explained(client_for, staff_user, submitted):
    response = client_for(staff_user).post(
        reverse("talent:manage"), {"call": submitted.call.code, "action": "panel"}, follow=True
    )
    assert "截止后才能抽取" in response.content.decode()


def test_a_program_is_created_from_its_form_with_support_in_wan(client_for, staff_user):
    data = {
        "code": "special",
        "name": "特聘专家",
        "level": "district",
        "kind": "special_expert",
        "support_wan": "5",
        "term_years": "2",
    }
    response = client_for(staff_user).post(reverse("talent:program_new"), data)
    assert response.status_code == 302
    assert TalentProgram.objects.get(code="special").support_amount == 50000


def test_a_call_is_created_from_its_form_with_criteria(client_for, staff_user, program):
    now = timezone.localtime()
    data = {
        "program": program.pk,
        "code": "new-call",
        "title": "新通知",
        "year": "2027",
        "opens_at": f"{now:%Y-%m-%dT%H:%M}",
        "closes_at": f"{now.replace(year=now.year + 1):%Y-%m-%dT%H:%M}",
        "panel_size": "5",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "业绩",
        "criteria-0-weight": "60",
        "criteria-0-max_score": "10",
        "criteria-1-name": "潜力",
        "criteria-1-weight": "40",
        "criteria-1-max_score": "10",
    }
    c = client_for(staff_user)
    assert c.post(reverse("talent:call_new"), data).status_code == 302
    call = TalentCall.objects.get(code="new-call")
    assert call.state == "draft" and call.criteria.count() == 2
    # As the edit page renders it: the two saved rows are initial forms.
    data |= {"criteria-INITIAL_FORMS": "2", "criteria-1-weight": "30"}
    page = c.post(reverse("talent:call_edit", args=[call.code]), data).content.decode()
    assert "权重之和为 90，应为 100" in page


def test_an_existing_call_opens_in_its_form(client_for, staff_user, call):
    page = client_for(staff_user).get(reverse("talent:call_edit", args=[call.code]))
    assert page.status_code == 200 and "业绩与贡献" in page.content.decode()


@pytest.mark.parametrize("name", BUREAU_PAGES)
@pytest.mark.parametrize("who", ["employer", "reporter", "provider_user", "unassigned_expert"])
def test_bureau_pages_refuse_other_roles(request, client_for, program, name, who):
    response = client_for(request.getfixturevalue(who)).get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", BUREAU_PAGES)
def test_bureau_pages_open_for_admin_and_staff(client_for, admin_user, staff_user, name):
    for user in (admin_user, staff_user):
        assert client_for(user).get(reverse(name)).status_code == 200


def test_anonymous_is_asked_to_log_in(client):
    assert client.get(reverse("talent:manage")).status_code == 302


def test_the_manage_page_reads_a_fixed_number_of_queries(
    client_for, staff_user, make_call, django_assert_max_num_queries
):
    for n in range(8):
        make_call(code=f"c{n}")
    c = client_for(staff_user)
    with django_assert_max_num_queries(10):
        c.get(reverse("talent:manage"))
