"""The inspector's and the inspected unit's own lists of checks."""

from __future__ import annotations

import pytest

URL = "/inspections/mine/"


def codes(response) -> list[str]:
    return [c.object_code for c in response.context["page"].object_list]


def test_an_inspector_sees_the_checks_it_was_drawn_for(client_for, check, inspector_user):
    response = client_for(inspector_user).get(URL)
    assert response.status_code == 200 and codes(response) == [check.object_code]
    assert "我参加的双随机抽查" in response.content.decode()


def test_an_inspector_not_drawn_sees_none(client_for, check, outsider_inspector):
    response = client_for(outsider_inspector).get(URL)
    assert codes(response) == [] and "没有被抽取" in response.content.decode()


def test_the_unit_sees_its_own_checks_only(
    client_for, check, enterprise_user, other_enterprise_user
):
    assert codes(client_for(enterprise_user).get(URL)) == [check.object_code]
    assert codes(client_for(other_enterprise_user).get(URL)) == []


def test_the_bureau_is_sent_to_the_full_list(client_for, staff_user):
    response = client_for(staff_user).get(URL)
    assert response.status_code == 302 and response["Location"] == "/inspections/"


@pytest.mark.parametrize("who", ["reporter", "provider_user"])
def test_other_roles_are_refused(request, who, client_for):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403


def test_the_list_takes_a_fixed_number_of_queries(
    client_for, check, inspector_user, django_assert_max_num_queries
):
    client = client_for(inspector_user)
    client.get(URL)
    with django_assert_max_num_queries(8):
        client.get(URL)
