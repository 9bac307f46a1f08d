"""The public notice of a call's result (立项公示)."""

import pytest
from django.urls import reverse

from kechuang.reviews import services


def url(call):
    return reverse("reviews:notice", args=[call.code])


def test_there_is_no_notice_before_the_result(client, client_for, staff_user, reviewed, call):
    assert client.get(url(call)).status_code == 404
    assert client_for(staff_user).get(url(call)).status_code == 404


@pytest.fixture
def published(staff_user, reviewed, application, call):
    services.record_decision(
        staff_user, application, approved=True, amount="700000", opinion="同意"
    )
    services.publish_result(staff_user, call)
    return call


def test_anyone_reads_the_approved_list_the_date_and_the_panel_experts(client, published, reviewed):
    r = client.get(url(published))
    body = r.content.decode()
    assert r.status_code == 200
    assert "SB-2026-0001" in body and "独山子申报一号公司" in body and "70.00" in body
    notice = r.context["page"].notice
    assert f"公示日期：{notice.published_at.astimezone():%Y-%m-%d}" in body
    for a in reviewed.assignments.select_related("expert"):
        assert a.expert.name in body and a.expert.organisation_label in body
    assert "80.00" not in body, "no scores on the notice"


def test_not_approved_applications_and_conflicted_experts_are_not_listed(
    client, staff_user, call, application, other_application, library, make_expert
):
    from kechuang.reviews.models import Assignment, Panel
    from kechuang.reviews.tests.conftest import score_all

    make_expert(8)
    services.start_review(staff_user, call)
    services.run_draws(staff_user, call)
    first = Panel.objects.get(application=application)
    gone = first.assignments.select_related("expert__user").first()
    services.declare_conflict(gone.expert.user, gone, "有合作")
    for app in (application, other_application):
        score_all(Panel.objects.get(application=app), [0.8] * 5)
    services.record_decision(
        staff_user, application, approved=True, amount="500000", opinion="同意"
    )
    services.record_decision(staff_user, other_application, approved=False, opinion="不同意")
    services.publish_result(staff_user, call)
    page = client.get(url(call)).context["page"]
    assert [a.code for a in page.approved] == ["SB-2026-0001"]
    submitted = Assignment.objects.filter(state="submitted").values_list("expert", flat=True)
    assert {e.pk for e in page.experts} == set(submitted)
    on_other = Panel.objects.get(application=other_application).assignments.filter(
        expert=gone.expert
    )
    assert (gone.expert in page.experts) == on_other.exists()
