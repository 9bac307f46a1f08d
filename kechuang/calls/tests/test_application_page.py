"""/calls/applications/<pk>/: the applicant's form (read-only once submitted), attachments,
submission with the deadline, withdrawal, the state log; the bureau's view with the check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.calls import services
from kechuang.calls.models import Application, Attachment
from kechuang.calls.tests.conftest import ANSWERS


def url(app) -> str:
    return f"/calls/applications/{app.pk}/"


def form_data(**overrides) -> dict:
    data = {
        "title": "高性能聚烯烃催化剂研发",
        "summary": "简介",
        "fields": ["新材料"],
        "requested_amount": "120",
        "answer_overview": ANSWERS["overview"],
        "answer_plan": ANSWERS["plan"],
        "answer_benefits": "",
    }
    return data | overrides


# --- the applicant ------------------------------------------------------------------------------


def test_the_draft_opens_as_a_form_with_counters_and_the_deadline(client_for, own_user, draft):
    html = client_for(own_user).get(url(draft)).content.decode()
    assert 'name="answer_overview"' in html and 'data-max="100"' in html
    assert "calls-counter" in html and "calls/counter.js" in html
    deadline = timezone.localtime(draft.call.closes_at).strftime("%Y-%m-%d %H:%M")
    assert f"须在 {deadline} 前提交" in html
    assert "保存并提交" in html and "上传" in html


def test_saving_keeps_the_draft_and_its_content(client_for, own_user, draft):
    data = form_data(action="save", title="改后的名称", requested_amount="150.5")
    response = client_for(own_user).post(url(draft), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "改后的名称" and str(draft.requested_amount) == "1505000.00"
    assert draft.state == "draft"


def test_submitting_from_the_page_saves_then_submits(client_for, own_user, draft):
    response = client_for(own_user).post(url(draft), form_data(action="submit"), follow=True)
    draft.refresh_from_db()
    assert draft.state == "submitted"
    html = response.content.decode()
    assert f"申报编号 {draft.code}" in html
    assert 'name="answer_overview"' not in html  # read-only now
    assert ANSWERS["overview"] in html and "草稿 → " in html and "已提交" in html


def test_a_late_submission_keeps_the_text_and_shows_the_deadline(
    client_for, own_user, draft, monkeypatch
):
    closes = draft.call.closes_at
    monkeypatch.setattr(timezone, "now", lambda: closes + dt.timedelta(seconds=1))
    data = form_data(action="submit", answer_plan="新写的计划")
    response = client_for(own_user).post(url(draft), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"申报已于 {timezone.localtime(closes):%Y-%m-%d %H:%M} 截止" in html
    assert "新写的计划" in html
    draft.refresh_from_db()
    assert draft.state == "draft" and draft.answers["plan"] == "新写的计划"


def test_missing_sections_are_named_on_the_page(client_for, own_user, draft):
    response = client_for(own_user).post(url(draft), form_data(action="submit", answer_plan=""))
    assert "请填写“实施计划”" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_uploading_and_removing_an_attachment_from_the_page(client_for, own_user, draft, upload):
    c = client_for(own_user)
    response = c.post(url(draft), {"action": "upload", "files": [upload("预算.xlsx")]})
    assert response.status_code == 302
    a = Attachment.objects.get()
    assert f"/calls/attachments/{a.pk}/" in c.get(url(draft)).content.decode()
    response = c.post(url(draft), {"action": "remove", "attachment": a.pk})
    assert response.status_code == 302 and not Attachment.objects.exists()


def test_a_file_whose_content_does_not_match_is_refused_on_the_page(
    client_for, own_user, draft, upload
):
    response = client_for(own_user).post(
        url(draft), {"action": "upload", "files": [upload("申报书.pdf", kind="docx")]}
    )
    assert response.status_code == 200 and "不符" in response.content.decode()
    assert not Attachment.objects.exists()


def test_withdrawing_from_the_page_needs_a_reason(client_for, own_user, submitted):
    c = client_for(own_user)
    response = c.post(url(submitted), {"action": "withdraw", "reason": ""})
    assert response.status_code == 200 and "撤回原因" in response.content.decode()
    c.post(url(submitted), {"action": "withdraw", "reason": "计划调整"})
    submitted.refresh_from_db()
    assert submitted.state == "withdrawn"


def test_the_applicant_sees_its_eligibility_results(client_for, own_user, submitted):
    html = client_for(own_user).get(url(submitted)).content.decode()
    assert "申报条件核验" in html and "在本区企业库中登记为区内企业" in html


def test_the_applicant_cannot_do_the_formal_check(client_for, own_user, submitted):
    response = client_for(own_user).post(url(submitted), {"action": "check", "outcome": "accept"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == "submitted"


def test_an_unknown_action_is_refused(client_for, own_user, draft):
    assert client_for(own_user).post(url(draft), {"action": "delete"}).status_code == 403


# --- who may see it -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["other_user", "enterprise_user", "institution_user", "reporter", "expert_user"]
)
def test_anyone_but_the_applicant_and_the_bureau_gets_not_found(role, client_for, submitted, who):
    assert client_for(role(who)).get(url(submitted)).status_code == 404


def test_another_enterprise_cannot_post_to_it_either(client_for, other_user, draft):
    response = client_for(other_user).post(url(draft), form_data(action="save", title="夺"))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title != "夺"


def test_anonymous_visitors_are_sent_to_log_in(client, draft):
    assert client.get(url(draft))["Location"].startswith("/accounts/login/")


# --- the bureau ---------------------------------------------------------------------------------


def test_staff_see_the_application_with_todays_eligibility_and_the_check(
    client_for, staff_user, submitted
):
    html = client_for(staff_user).get(url(submitted)).content.decode()
    assert "形式审查" in html and 'value="check"' in html
    assert "提交时的核验结果" in html and "企业库记录重新核验" in html
    assert 'name="answer_overview"' not in html


def test_staff_pass_the_check_from_the_page_and_the_applicant_is_told(
    client_for, staff_user, own_user, submitted
):
    response = client_for(staff_user).post(
        url(submitted), {"action": "check", "outcome": "accept", "note": ""}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == "accepted" and own_user.notifications.count() == 1


def test_staff_return_from_the_page_with_a_deadline(client_for, staff_user, submitted):
    when = (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    data = {"action": "check", "outcome": "return", "note": "补充预算", "resubmit_by": when}
    client_for(staff_user).post(url(submitted), data)
    submitted.refresh_from_db()
    assert submitted.state == "returned" and submitted.resubmit_by is not None


def test_a_rejection_without_a_reason_is_explained_on_the_page(client_for, staff_user, submitted):
    data = {"action": "check", "outcome": "reject", "note": ""}
    response = client_for(staff_user).post(url(submitted), data)
    assert response.status_code == 200 and "请填写审查意见" in response.content.decode()


def test_staff_cannot_edit_the_applicants_content(client_for, staff_user, draft):
    response = client_for(staff_user).post(url(draft), form_data(action="save", title="改"))
    assert response.status_code == 403


def test_the_page_costs_the_same_queries_however_many_files_and_steps(
    client_for, staff_user, own_user, draft, upload, django_assert_max_num_queries
):
    c = client_for(staff_user)
    with django_assert_max_num_queries(30) as few:
        c.get(url(draft))
    services.add_attachment(own_user, draft, [upload(f"{i}.pdf") for i in range(5)])
    app = services.submit(own_user, draft)
    services.formal_check(staff_user, app, True)
    assert Application.objects.get().state_changes.count() == 3
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(url(draft))
