"""The organisation's own projects."""

from __future__ import annotations

import pytest

URL = "/projects/mine/"


def test_an_enterprise_user_sees_only_its_units_projects(
    client_for, enterprise_user, signed, make_project, other_enterprise_user
):
    theirs = make_project(applicant=other_enterprise_user.organization)
    html = client_for(enterprise_user).get(URL).content.decode()
    assert signed.code in html and theirs.code not in html
    assert "年度自查自纠" in html  # this year's is owed


def test_with_no_projects_it_says_where_they_come_from(client_for, enterprise_user):
    assert "获批立项后" in client_for(enterprise_user).get(URL).content.decode()


def test_bureau_users_are_sent_to_the_full_list(client_for, staff_user):
    assert client_for(staff_user).get(URL)["Location"] == "/projects/"


@pytest.mark.parametrize("who", ["reporter", "provider_user"])
def test_others_are_refused(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 403
