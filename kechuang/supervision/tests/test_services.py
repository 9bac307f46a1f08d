"""Writes a department and the bureau rely on: milestones, progress with evidence, 督办."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.supervision import services
from kechuang.supervision.models import Evidence, Milestone, ProgressReport, Supervision
from kechuang.supervision.tests.files import CONTENTS

DAY = dt.timedelta(days=1)


def wheres(exc: pytest.ExceptionInfo) -> set[str]:
    return {p.where for p in exc.value.problems}


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- milestones -------------------------------------------------------------------------------


def test_bureau_staff_add_a_milestone_to_a_task(staff_user, tjj_task, today):
    m = services.add_milestone(staff_user, tjj_task, "  完成第二批入库  ", today + 60 * DAY)
    assert (m.task, m.title, m.due_on, m.completed_on) == (
        tjj_task,
        "完成第二批入库",
        today + 60 * DAY,
        None,
    )


def test_a_reporter_cannot_set_milestones(reporter, tjj_task, today):
    with pytest.raises(PermissionDenied):
        services.add_milestone(reporter, tjj_task, "自定里程碑", today)
    assert not Milestone.objects.filter(title="自定里程碑").exists()


def test_a_milestone_needs_a_title_and_a_date_within_the_plan(staff_user, tjj_task):
    before = Milestone.objects.count()
    with pytest.raises(Rejected) as exc:
        services.add_milestone(staff_user, tjj_task, "  ", None)
    assert wheres(exc) == {"title", "due_on"}
    assert all(p.message_zh and p.message_en for p in exc.value.problems)
    with pytest.raises(Rejected) as exc:
        services.add_milestone(staff_user, tjj_task, "太早", dt.date(2019, 1, 1))
    assert "2021" in exc.value.problems[0].message_zh
    assert Milestone.objects.count() == before


def test_a_task_cannot_have_two_milestones_of_the_same_name(staff_user, tjj_task, today):
    with pytest.raises(Rejected) as exc:
        services.add_milestone(staff_user, tjj_task, "完成首批培育企业入库", today)
    assert wheres(exc) == {"title"}
    assert "同名" in exc.value.problems[0].message_zh


def test_bureau_staff_complete_a_milestone(staff_user, tjj_task, today):
    m = tjj_task.milestones.first()
    services.complete_milestone(staff_user, m, today)
    m.refresh_from_db()
    assert (m.completed_on, m.completed_by) == (today, staff_user)


def test_the_lead_departments_reporter_completes_its_milestone(lead_reporter, czj_task, today):
    m = czj_task.milestones.get()
    services.complete_milestone(lead_reporter, m, today - DAY)
    m.refresh_from_db()
    assert m.completed_on == today - DAY


def test_a_co_operating_reporter_cannot_complete_a_milestone(other_reporter, czj_task, today):
    m = czj_task.milestones.get()
    with pytest.raises(PermissionDenied):
        services.complete_milestone(other_reporter, m, today)
    m.refresh_from_db()
    assert m.completed_on is None


def test_completion_is_not_in_the_future_nor_recorded_twice(staff_user, tjj_task, today):
    m = tjj_task.milestones.first()
    with pytest.raises(Rejected) as exc:
        services.complete_milestone(staff_user, m, today + DAY)
    assert wheres(exc) == {"completed_on"}
    assert "不能晚于今天" in exc.value.problems[0].message_zh
    services.complete_milestone(staff_user, m, today)
    with pytest.raises(Rejected) as exc:
        services.complete_milestone(staff_user, m, today)
    assert "already completed" in exc.value.problems[0].message_en


# --- progress reports -------------------------------------------------------------------------


def test_a_co_operating_department_reports_progress(reporter, tjj_task, today):
    r = services.report_progress(reporter, tjj_task, 40, "  完成摸底调查。 ", today)
    assert (r.task, r.percent, r.text, r.reported_on) == (tjj_task, 40, "完成摸底调查。", today)
    assert (r.organization.code, r.reported_by) == ("tjj", reporter)


def test_a_reporter_cannot_report_on_another_departments_task(reporter, czj_task, today):
    with pytest.raises(PermissionDenied):
        services.report_progress(reporter, czj_task, 50, "越权填报", today)
    assert not ProgressReport.objects.exists()


def test_an_enterprise_user_cannot_report(enterprise_user, tjj_task, today):
    with pytest.raises(PermissionDenied):
        services.report_progress(enterprise_user, tjj_task, 50, "企业填报", today)
    assert not ProgressReport.objects.exists()


def test_bureau_staff_may_report_on_any_task(staff_user, czj_task, today):
    r = services.report_progress(staff_user, czj_task, 10, "科技局代报", today)
    assert r.organization.code == "kjj"


@pytest.mark.parametrize("percent", [-1, 101, 50.5, "80", True])
def test_percent_is_a_whole_number_from_0_to_100(reporter, tjj_task, today, percent):
    with pytest.raises(Rejected) as exc:
        services.report_progress(reporter, tjj_task, percent, "进展", today)
    assert wheres(exc) == {"percent"}
    assert not ProgressReport.objects.exists()


def test_every_problem_with_a_report_is_listed_at_once(reporter, tjj_task, today):
    with pytest.raises(Rejected) as exc:
        services.report_progress(reporter, tjj_task, 150, "   ", today + DAY)
    assert wheres(exc) == {"percent", "text", "reported_on"}
    by_where = {p.where: p for p in exc.value.problems}
    assert "不能晚于今天" in by_where["reported_on"].message_zh
    assert "future" in by_where["reported_on"].message_en
    assert not ProgressReport.objects.exists()


def test_a_report_cannot_cite_another_tasks_milestone(reporter, tjj_task, czj_task, today):
    with pytest.raises(Rejected) as exc:
        services.report_progress(
            reporter, tjj_task, 50, "进展", today, milestone=czj_task.milestones.get()
        )
    assert wheres(exc) == {"milestone"}


def test_a_report_may_cite_its_own_milestone(reporter, tjj_task, today):
    m = tjj_task.milestones.first()
    assert (
        services.report_progress(reporter, tjj_task, 50, "进展", today, milestone=m).milestone == m
    )


@pytest.mark.parametrize(
    "name",
    [
        "方案.pdf",
        "纪要.docx",
        "旧稿.doc",
        "台账.xlsx",
        "旧表.xls",
        "现场.jpg",
        "图.JPEG",
        "截图.png",
    ],
)
def test_evidence_of_each_accepted_type_is_stored(reporter, tjj_task, today, upload, media, name):
    r = services.report_progress(reporter, tjj_task, 50, "附件", today, files=[upload(name)])
    ev = r.evidence.get()
    assert ev.original_name == name
    assert ev.size > 0 and len(ev.sha256) == 64
    path = media / ev.file.name
    assert path.is_file() and path.is_relative_to(media / "evidence")
    assert name not in ev.file.name  # stored under a random name, never the user's


@pytest.mark.parametrize(
    ("name", "kind"),
    [("伪装.pdf", "png"), ("伪装.docx", "xlsx"), ("伪装.xls", "doc"), ("程序.pdf", "exe")],
)
def test_evidence_whose_content_does_not_match_its_extension_is_refused(
    reporter, tjj_task, today, upload, media, name, kind
):
    with pytest.raises(Rejected) as exc:
        services.report_progress(
            reporter, tjj_task, 50, "附件", today, files=[upload(name, kind=kind)]
        )
    (problem,) = exc.value.problems
    assert name in problem.where
    assert "不符" in problem.message_zh and "does not match" in problem.message_en
    assert not ProgressReport.objects.exists() and not stored_files(media)


@pytest.mark.parametrize("name", ["说明.txt", "脚本.html", "无扩展名"])
def test_other_file_types_are_refused_by_name(reporter, tjj_task, today, upload, name):
    with pytest.raises(Rejected) as exc:
        services.report_progress(
            reporter, tjj_task, 50, "附件", today, files=[upload(name, content=b"%PDF-1.4")]
        )
    assert "不支持" in exc.value.problems[0].message_zh


def test_evidence_over_the_size_limit_is_refused(
    reporter, tjj_task, today, upload, settings, media
):
    settings.KECHUANG_EVIDENCE_MAX_BYTES = 1024
    big = upload("大文件.pdf", content=b"%PDF-1.4\n" + b"0" * 2048)
    with pytest.raises(Rejected) as exc:
        services.report_progress(
            reporter, tjj_task, 50, "附件", today, files=[upload("小.pdf"), big]
        )
    (problem,) = exc.value.problems
    assert "大文件.pdf" in problem.where and "超过上限" in problem.message_zh
    assert not ProgressReport.objects.exists() and not stored_files(media)


def test_a_path_in_the_uploaded_name_is_dropped(reporter, tjj_task, today, upload):
    r = services.report_progress(
        reporter, tjj_task, 50, "附件", today, files=[upload("..\\..\\etc\\证明.pdf")]
    )
    assert r.evidence.get().original_name == "证明.pdf"


def test_files_already_stored_are_removed_when_the_report_fails(
    reporter, tjj_task, today, upload, media, monkeypatch
):
    saves = []
    real_save = Evidence.save

    def flaky_save(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 2:
            raise RuntimeError("database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Evidence, "save", flaky_save)
    with pytest.raises(RuntimeError):
        services.report_progress(
            reporter, tjj_task, 50, "附件", today, files=[upload("一.pdf"), upload("二.png")]
        )
    assert not ProgressReport.objects.exists() and not stored_files(media)


# --- 督办 ---------------------------------------------------------------------------------------


def test_staff_issue_supervision_to_the_lead_department(staff_user, czj_task, today):
    sv = services.issue_supervision(staff_user, czj_task, " 引导基金进度滞后 ", today + 7 * DAY)
    assert (sv.department.code, sv.reason, sv.issued_by, sv.is_open) == (
        "jrb",
        "引导基金进度滞后",
        staff_user,
        True,
    )


def test_reporters_cannot_issue_supervision(reporter, tjj_task, today):
    with pytest.raises(PermissionDenied):
        services.issue_supervision(reporter, tjj_task, "督办", today)
    assert not Supervision.objects.exists()


def test_supervision_needs_a_reason_and_a_deadline_not_in_the_past(staff_user, czj_task, today):
    with pytest.raises(Rejected) as exc:
        services.issue_supervision(staff_user, czj_task, "", today - DAY)
    assert wheres(exc) == {"reason", "respond_by"}
    assert not Supervision.objects.exists()


def test_a_task_has_one_open_supervision_at_a_time(staff_user, czj_task, today):
    services.issue_supervision(staff_user, czj_task, "第一次", today)
    with pytest.raises(Rejected) as exc:
        services.issue_supervision(staff_user, czj_task, "第二次", today)
    assert wheres(exc) == {"task"}
    assert Supervision.objects.count() == 1


def test_a_task_without_a_lead_cannot_be_supervised(staff_user, czj_task, today):
    czj_task.lead_department = None
    czj_task.save()
    with pytest.raises(Rejected) as exc:
        services.issue_supervision(staff_user, czj_task, "督办", today)
    assert wheres(exc) == {"department"}


@pytest.fixture
def open_supervision(staff_user, czj_task, today):
    return services.issue_supervision(staff_user, czj_task, "请说明进度", today + 7 * DAY)


def test_the_pressed_department_responds(lead_reporter, open_supervision):
    services.respond_supervision(lead_reporter, open_supervision, "已报区政府研究。")
    open_supervision.refresh_from_db()
    assert open_supervision.response == "已报区政府研究。"
    assert open_supervision.responded_by == lead_reporter and open_supervision.responded_at


@pytest.mark.parametrize("who", ["other_reporter", "staff_user", "reporter"])
def test_no_one_else_responds_for_the_department(request, open_supervision, who):
    with pytest.raises(PermissionDenied):
        services.respond_supervision(request.getfixturevalue(who), open_supervision, "代答")
    open_supervision.refresh_from_db()
    assert open_supervision.response == ""


def test_a_response_must_say_something(lead_reporter, open_supervision):
    with pytest.raises(Rejected) as exc:
        services.respond_supervision(lead_reporter, open_supervision, "  ")
    assert wheres(exc) == {"response"}


def test_staff_close_supervision_once(staff_user, open_supervision):
    services.close_supervision(staff_user, open_supervision)
    open_supervision.refresh_from_db()
    assert not open_supervision.is_open and open_supervision.closed_by == staff_user
    with pytest.raises(Rejected):
        services.close_supervision(staff_user, open_supervision)


def test_a_closed_supervision_takes_no_more_responses(staff_user, lead_reporter, open_supervision):
    services.close_supervision(staff_user, open_supervision)
    with pytest.raises(Rejected) as exc:
        services.respond_supervision(lead_reporter, open_supervision, "迟到的回复")
    assert wheres(exc) == {"supervision"}


def test_a_department_cannot_close_its_own_supervision(lead_reporter, open_supervision):
    with pytest.raises(PermissionDenied):
        services.close_supervision(lead_reporter, open_supervision)
    open_supervision.refresh_from_db()
    assert open_supervision.is_open


def test_a_word_file_that_merely_mentions_workbook_is_not_a_spreadsheet(
    reporter, tjj_task, today, upload
):
    text_mention = CONTENTS["doc"] + "Workbook".encode("utf-16-le")
    with pytest.raises(Rejected):
        services.report_progress(
            reporter, tjj_task, 50, "附件", today, files=[upload("表.xls", content=text_mention)]
        )
