"""An expert's assignment: the application, the score sheet and "declare conflict"; to anyone
else it does not exist, and an expert's attempt is audited."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from kechuang.calls.models import Attachment
from kechuang.reviews.models import Assignment, Score
from kechuang.supervision.tests.files import CONTENTS


def url(a):
    return reverse("reviews:assignment", args=[a.pk])


def denied_entries(obj):
    return LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.ACCESS)


@pytest.fixture
def attachment(application, applicant):
    from django.core.files.base import ContentFile

    a = Attachment(
        application=application,
        original_name="申报书.pdf",
        kind="pdf",
        size=len(CONTENTS["pdf"]),
        sha256="0" * 64,
        uploaded_by=applicant,
    )
    a.file.save("x.pdf", ContentFile(CONTENTS["pdf"]), save=False)
    a.save()
    return a


def test_the_expert_reads_the_application_and_its_attachments(
    client_for, member, assignment, attachment
):
    c = client_for(member)
    r = c.get(url(assignment))
    body = r.content.decode()
    assert r.status_code == 200
    assert (
        "高性能聚烯烃催化剂研发1" in body and "独山子申报一号公司" in body
    )  # the applicant is shown
    assert "项目面向石化产业链的共性需求" in body
    link = reverse("calls:attachment", args=[attachment.pk])
    assert link in body
    download = c.get(link)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


def test_the_expert_also_reads_it_on_the_calls_page(client_for, member, assignment, application):
    assert (
        client_for(member).get(reverse("calls:application", args=[application.pk])).status_code
        == 200
    )


def test_other_experts_names_and_scores_are_never_shown(client_for, member, assignment, drawn):
    from kechuang.reviews import services
    from kechuang.reviews.tests.conftest import sheet

    other = drawn.assignments.exclude(pk=assignment.pk).select_related("expert__user").first()
    services.submit_scores(
        other.expert.user, other, sheet(drawn.call, 61, 62, 6, 63), "另一位专家的意见", True
    )
    body = client_for(member).get(url(assignment)).content.decode()
    names = [
        a.expert.name for a in drawn.assignments.exclude(pk=assignment.pk).select_related("expert")
    ]
    assert not any(n in body for n in names)
    assert "另一位专家的意见" not in body and "61" not in body


def test_another_experts_assignment_is_not_found_and_the_attempt_is_audited(
    client_for, drawn, assignment, outsider
):
    other = drawn.assignments.exclude(pk=assignment.pk).first()
    r = client_for(assignment.expert.user).get(url(other))
    assert r.status_code == 404
    (entry,) = denied_entries(other)
    assert entry.actor == assignment.expert.user and entry.additional_data["denied"] is True
    assert client_for(outsider).get(url(assignment)).status_code == 404
    assert denied_entries(assignment).get().actor == outsider


def test_an_expert_not_assigned_cannot_download_the_attachment(
    client_for, drawn, outsider, attachment
):
    assert (
        client_for(outsider).get(reverse("calls:attachment", args=[attachment.pk])).status_code
        == 404
    )


def test_saving_a_draft_and_submitting_from_the_page(client_for, member, assignment):
    call = assignment.panel.call
    c = client_for(member)
    criteria = list(call.criteria.order_by("order"))
    data = {f"score-{k.pk}": v for k, v in zip(criteria, ["80", "70", "9", ""], strict=True)}
    data |= {f"comment-{criteria[0].pk}": "创新点突出", "overall_comment": "", "action": "save"}
    r = c.post(url(assignment), data, follow=True)
    assert "已保存草稿" in r.content.decode() and 'value="80.00"' in r.content.decode()
    data |= {f"score-{criteria[3].pk}": "60", "overall_comment": "建议支持", "action": "submit"}
    r = c.post(url(assignment), data, follow=True)
    assert "评分已提交" in r.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).state == "submitted"
    assert "disabled" in r.content.decode()


def test_a_refused_sheet_keeps_what_was_typed_and_names_the_criterion(
    client_for, member, assignment
):
    criteria = list(assignment.panel.call.criteria.order_by("order"))
    data = {f"score-{k.pk}": v for k, v in zip(criteria, ["80", "70", "12", "60"], strict=True)}
    data |= {"overall_comment": "意见很长的一段话", "action": "submit"}
    r = client_for(member).post(url(assignment), data)
    body = r.content.decode()
    assert r.status_code == 200 and "「团队能力」" in body and "超过满分 10" in body
    assert 'value="12"' in body and "意见很长的一段话" in body
    assert not Score.objects.exists()


def test_declaring_a_conflict_from_the_page(client_for, member, assignment):
    c = client_for(member)
    r = c.post(url(assignment), {"action": "conflict", "reason": "与申报单位有合作"}, follow=True)
    body = r.content.decode()
    assert "已声明回避" in body and "项目面向石化产业链的共性需求" not in body
    assert Assignment.objects.get(pk=assignment.pk).state == "conflict"
    assert (
        c.get(reverse("calls:application", args=[assignment.panel.application_id])).status_code
        == 404
    )


def test_a_conflict_without_a_reason_is_refused_on_the_page(client_for, member, assignment):
    r = client_for(member).post(url(assignment), {"action": "conflict", "reason": ""})
    assert r.status_code == 200 and "回避理由" in r.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).state == "invited"


def test_accepting_from_the_page(client_for, member, assignment):
    r = client_for(member).post(url(assignment), {"action": "accept"}, follow=True)
    assert "已接受评审邀请" in r.content.decode()


def test_the_bureau_is_sent_to_the_panel(client_for, staff_user, assignment):
    r = client_for(staff_user).get(url(assignment))
    assert r.status_code == 302 and r["Location"] == reverse(
        "reviews:panel", args=[assignment.panel_id]
    )


@pytest.mark.parametrize("who", ["reporter", "applicant", "other_applicant", "provider_user"])
def test_everyone_else_gets_not_found(as_user, assignment, who):
    assert as_user(who).get(url(assignment)).status_code == 404


def test_anonymous_visitors_log_in_first(client, assignment):
    assert client.get(url(assignment)).status_code == 302
