"""A panel's page for the bureau: draws, members with their sheets, the decision."""

import pytest
from django.urls import reverse

from kechuang.reviews.models import Decision, Panel
from kechuang.reviews.tests.conftest import ROLES_OUTSIDE_THE_BUREAU


def url(panel):
    return reverse("reviews:panel", args=[panel.pk])


def test_a_committed_panel_offers_its_draw(client_for, staff_user, started):
    r = client_for(staff_user).get(url(started))
    body = r.content.decode()
    assert r.status_code == 200 and started.draw.draw_id in body and 'value="perform"' in body
    r = client_for(staff_user).post(url(started), {"action": "perform"}, follow=True)
    assert "已完成抽取" in r.content.decode()
    assert Panel.objects.get(pk=started.pk).assignments.count() == 5


def test_the_bureau_sees_names_units_states_and_each_sheet(client_for, staff_user, reviewed):
    body = client_for(staff_user).get(url(reviewed)).content.decode()
    for a in reviewed.assignments.select_related("expert"):
        assert a.expert.name in body and a.expert.organisation_label in body
    assert "已提交评分" in body and "技术创新性" in body and "研究基础扎实" in body
    assert "去高去低平均" in body and "80.00" in body


def test_recording_a_decision_in_wan(client_for, staff_user, reviewed, application):
    data = {"action": "decide", "outcome": "approve", "amount_wan": "85.5", "opinion": "同意立项"}
    r = client_for(staff_user).post(url(reviewed), data, follow=True)
    assert "评审决定已记录" in r.content.decode()
    d = Decision.objects.get(application=application)
    assert d.approved and d.amount == 855000


def test_a_refused_decision_keeps_the_form_and_says_why(client_for, staff_user, reviewed):
    data = {"action": "decide", "outcome": "approve", "amount_wan": "120", "opinion": "同意"}
    r = client_for(staff_user).post(url(reviewed), data)
    body = r.content.decode()
    assert r.status_code == 200 and "超过申请资金" in body and 'value="120"' in body
    assert not Decision.objects.exists()


def test_an_incomplete_form_is_reported(client_for, staff_user, reviewed):
    r = client_for(staff_user).post(url(reviewed), {"action": "decide", "opinion": ""})
    assert "评审决定" in r.content.decode() and not Decision.objects.exists()


def test_a_supplementary_draw_is_offered_to_a_short_panel(
    client_for, staff_user, call, application, make_expert
):
    from kechuang.reviews import services

    for n in (1, 2, 3):
        make_expert(n)
    services.start_review(staff_user, call)
    panel = services.perform_panel_draw(staff_user, Panel.objects.get(application=application))
    make_expert(4)
    c = client_for(staff_user)
    assert "只能抽出 3 人" in c.get(url(panel)).content.decode()
    r = c.post(url(panel), {"action": "supplement"}, follow=True)
    assert "已生成补充抽取记录" in r.content.decode()
    assert Panel.objects.get(pk=panel.pk).draw.k == 2


@pytest.mark.parametrize("who", ROLES_OUTSIDE_THE_BUREAU)
def test_only_the_bureau_opens_a_panel(as_user, drawn, who):
    assert as_user(who).get(url(drawn)).status_code == 403
    assert as_user(who).post(url(drawn), {"action": "supplement"}).status_code == 403


def test_an_unknown_panel_is_not_found(client_for, staff_user):
    assert client_for(staff_user).get(reverse("reviews:panel", args=[999])).status_code == 404
