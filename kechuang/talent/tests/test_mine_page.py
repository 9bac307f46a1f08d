"""The employer's page: its own nominations and talents only."""

from __future__ import annotations

import pytest
from django.urls import reverse


def test_the_employer_sees_its_nominations_masked(client_for, employer, draft):
    page = client_for(employer).get(reverse("talent:mine")).content.decode()
    assert draft.name in page and draft.id_number_masked in page
    assert draft.id_number_masked[3:-4] == "*" * 11


def test_another_employers_nominations_are_not_listed(client_for, other_employer, draft):
    page = client_for(other_employer).get(reverse("talent:mine")).content.decode()
    assert draft.name not in page and "本单位还没有推荐人才" in page


def test_selected_people_are_listed_with_their_term(client_for, employer, staff_user, scored):
    from kechuang.talent import services

    services.decide(staff_user, scored, approved=True)
    page = client_for(employer).get(reverse("talent:mine")).content.decode()
    assert "2028-12-31" in page and "有效" in page


def test_the_bureau_is_sent_to_its_own_page(client_for, staff_user):
    response = client_for(staff_user).get(reverse("talent:mine"))
    assert response.status_code == 302 and response.url == reverse("talent:manage")


@pytest.mark.parametrize("who", ["reporter", "provider_user", "unassigned_expert"])
def test_other_roles_are_refused(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("talent:mine")).status_code == 403


def test_anonymous_is_asked_to_log_in(client):
    assert client.get(reverse("talent:mine")).status_code == 302


def test_the_list_reads_a_fixed_number_of_queries(
    client_for, employer, make_application, django_assert_max_num_queries
):
    for n in range(10):
        make_application(n=n + 1)
    c = client_for(employer)
    with django_assert_max_num_queries(12):
        c.get(reverse("talent:mine"))
