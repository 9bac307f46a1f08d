"""The bureau's list of calls to review."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kechuang.reviews.tests.conftest import ROLES_OUTSIDE_THE_BUREAU

URL = reverse("reviews:calls")


def test_calls_past_their_window_are_listed_with_their_progress(
    client_for, staff_user, make_call, call, application, drawn
):
    make_call("still-open", closes_at=timezone.now() + dt.timedelta(days=3), state="published")
    r = client_for(staff_user).get(URL)
    assert r.status_code == 200
    calls = list(r.context["page"].object_list)
    assert [c.code for c in calls] == [call.code]
    assert (calls[0].n_accepted, calls[0].n_in_review, calls[0].n_decided) == (0, 1, 0)
    assert reverse("reviews:board", args=[call.code]) in r.content.decode()


def test_an_empty_list_says_when_calls_appear(client_for, staff_user):
    assert "还没有截止申报的指南" in client_for(staff_user).get(URL).content.decode()


def test_the_list_costs_the_same_queries_for_more_calls(
    client_for, staff_user, make_call, django_assert_max_num_queries
):
    c = client_for(staff_user)
    make_call("a1")
    with django_assert_max_num_queries(8) as few:
        c.get(URL)
    for n in range(5):
        make_call(f"b{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(URL).context["page"].paginator.count == 6


@pytest.mark.parametrize("who", ["admin_user", "staff_user"])
def test_the_bureau_opens_it(as_user, who):
    assert as_user(who).get(URL).status_code == 200


@pytest.mark.parametrize("who", ROLES_OUTSIDE_THE_BUREAU)
def test_nobody_else_does(as_user, drawn, who):
    assert as_user(who).get(URL).status_code == 403


def test_anonymous_visitors_log_in_first(client):
    assert client.get(URL).status_code == 302
