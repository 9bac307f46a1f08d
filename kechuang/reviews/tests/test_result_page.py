"""The applicant's result page: only the state before the result; afterwards its own final
score and the experts' comments as 专家1…n, never their names, never another's scores."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from kechuang.reviews import services


def url(app):
    return reverse("reviews:application", args=[app.pk])


@pytest.fixture
def published(staff_user, reviewed, application, call):
    services.record_decision(
        staff_user,
        application,
        approved=True,
        amount="700000",
        opinion="同意立项，建议加强产业化。",
    )
    services.publish_result(staff_user, call)
    return application


def test_before_the_result_the_applicant_sees_only_that_it_is_in_review(
    client_for, applicant, reviewed, application
):
    r = client_for(applicant).get(url(application))
    body = r.content.decode()
    assert r.status_code == 200 and "当前状态：评审中" in body
    assert "80.00" not in body and "研究基础扎实" not in body
    assert not any(a.expert.name in body for a in reviewed.assignments.select_related("expert"))


def test_after_the_result_the_applicant_sees_its_score_and_anonymous_comments(
    client_for, applicant, published, reviewed
):
    r = client_for(applicant).get(url(published))
    body = r.content.decode()
    result = r.context["result"]
    assert result.published and str(result.final) == "80.00"
    assert [c.label for c in result.comments] == ["专家1", "专家2", "专家3", "专家4", "专家5"]
    assert "专家1" in body and "研究基础扎实" in body and "同意立项，建议加强产业化" in body
    for a in reviewed.assignments.select_related("expert"):
        assert a.expert.name not in body and a.expert.code not in body


def test_another_applicants_result_is_not_found(client_for, other_applicant, published):
    assert client_for(other_applicant).get(url(published)).status_code == 404
    entry = LogEntry.objects.get_for_object(published).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == other_applicant and entry.additional_data["denied"]


def test_an_assigned_expert_is_sent_to_the_assignment(client_for, member, assignment, application):
    r = client_for(member).get(url(application))
    assert r.status_code == 302 and r["Location"] == reverse(
        "reviews:assignment", args=[assignment.pk]
    )


def test_an_unassigned_expert_gets_not_found_and_is_audited(
    client_for, outsider, drawn, application
):
    assert client_for(outsider).get(url(application)).status_code == 404
    entry = LogEntry.objects.get_for_object(application).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == outsider and entry.additional_data["denied"]


def test_the_bureau_is_sent_to_the_panel(client_for, staff_user, drawn, application):
    r = client_for(staff_user).get(url(application))
    assert r["Location"] == reverse("reviews:panel", args=[drawn.pk])


@pytest.mark.parametrize("who", ["reporter", "provider_user"])
def test_other_roles_get_not_found(as_user, drawn, application, who):
    assert as_user(who).get(url(application)).status_code == 404
