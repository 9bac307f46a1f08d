"""政策找企业: pushing a notice to the users of matched enterprises that have not applied, once a
day at most, with who pushed it and when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.core.problems import Rejected
from kechuang.notifications.models import Notification
from kechuang.policies import services
from kechuang.policies.models import PolicyPush

ON = dt.date(2026, 6, 30)


@pytest.fixture
def policy(make_enterprise, make_policy, figures, user_of):
    a = make_enterprise(1, name="甲公司")
    figures(a, 2025, main_revenue=1_000_000, rd_personnel=100_000)
    user_of(a, "t_a", email="a@example.com")
    user_of(a, "t_a2")
    b = make_enterprise(2, name="乙公司")  # possibly: no figures
    user_of(b, "t_b")
    c = make_enterprise(3, name="丙公司")  # eligible, but nobody to tell
    figures(c, 2025, main_revenue=1, rd_personnel=1)
    p = make_policy("p", phone="0990-1234567", conditions={"fact": "rd_ratio.latest", ">=": "0.03"})
    services.match_all(ON)
    return p


def test_users_of_eligible_enterprises_are_notified_and_the_push_recorded(
    staff_user, policy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.push_notice(staff_user, policy)
    assert (report.pushed, report.recipients, report.recent, report.no_users) == (1, 2, 0, 1)
    notes = Notification.objects.filter(user__username__in=["t_a", "t_a2"])
    assert notes.count() == 2
    assert "测试政策" in notes.first().title_zh and notes.first().url == "/policies/mine/"
    assert "0990-1234567" in notes.first().body_zh
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    push = PolicyPush.objects.get()
    assert (push.enterprise.name, push.recipients, push.pushed_by) == ("甲公司", 2, staff_user)


def test_possibly_eligible_enterprises_are_pushed_when_asked(staff_user, policy):
    report = services.push_notice(staff_user, policy, verdicts=["eligible", "possibly"])
    assert report.pushed == 2
    assert Notification.objects.filter(user__username="t_b").exists()


def test_no_second_push_within_a_day(staff_user, policy):
    now = timezone.now()
    services.push_notice(staff_user, policy, now=now)
    again = services.push_notice(staff_user, policy, now=now + dt.timedelta(hours=23))
    assert (again.pushed, again.recent) == (0, 1)
    assert Notification.objects.count() == 2
    later = services.push_notice(staff_user, policy, now=now + dt.timedelta(hours=25))
    assert later.pushed == 1 and PolicyPush.objects.count() == 2


def test_enterprises_that_applied_are_not_pushed(staff_user, policy):
    services.record_application(
        staff_user, policy, policy.matches.get(enterprise__name="甲公司").enterprise
    )
    assert services.push_notice(staff_user, policy).pushed == 0


def test_a_policy_out_of_force_cannot_be_pushed(staff_user, policy):
    policy = services.save_policy(
        staff_user, {**services.policy_data(policy), "expires_on": "2020-01-01"}, policy=policy
    )
    with pytest.raises(Rejected) as info:
        services.push_notice(staff_user, policy)
    assert "not in force" in info.value.problems[0].message_en
    assert not PolicyPush.objects.exists()


def test_unknown_verdicts_are_refused(staff_user, policy):
    with pytest.raises(Rejected):
        services.push_notice(staff_user, policy, verdicts=["not_eligible"])


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_may_push(request, policy, who):
    with pytest.raises(PermissionDenied):
        services.push_notice(request.getfixturevalue(who), policy)


def test_the_page_button_pushes_and_says_how_many(client_for, staff_user, policy):
    c = client_for(staff_user)
    response = c.post(f"/policies/{policy.pk}/push/", {"verdicts": ["eligible"]}, follow=True)
    assert "已向 1 家企业的 2 位用户推送" in response.content.decode()
    assert c.post(f"/policies/{policy.pk}/push/", {"verdicts": ["eligible"]}).status_code == 302
    assert PolicyPush.objects.count() == 1


def test_the_page_button_is_refused_to_others(client_for, reporter, policy):
    assert client_for(reporter).post(f"/policies/{policy.pk}/push/").status_code == 403
