"""Asking for reports, generating them in the background, and new versions."""

import hashlib

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.notifications.models import Notification
from kechuang.reports import builders, services
from kechuang.reports.models import Report


@pytest.fixture
def fake_build(monkeypatch):
    """Generation without writing a real document: the file's bytes say which call made it."""
    calls = []

    def build(plan, year, *, progress):
        calls.append((plan.code, year))
        progress(40, "测试步骤")
        calls.append(Report.objects.values_list("progress", "step").get(state="running"))
        return builders.Built(f"docx {len(calls)}".encode(), "标题", ["一条说明"])

    monkeypatch.setattr(builders, "yearly_report", build)
    return calls


def ask(user, plan, year=2024, **kw):
    return services.request_report(user, kind="yearly", plan=plan, year=year, **kw)


def test_a_yearly_report_is_queued_then_generated_with_its_file_hash_and_notes(
    demo, staff_user, fake_build, django_capture_on_commit_callbacks, media
):
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(staff_user, demo)
    report.refresh_from_db()
    assert report.state == Report.State.DONE
    assert (report.progress, report.step) == (100, "已完成")
    assert report.version == 1
    assert report.title == "独山子区科技创新“十四五”发展规划2024年度实施监测报告"
    content = report.file.read()
    assert content == b"docx 2"
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.size == len(content)
    assert report.file.name.startswith("reports/")
    assert (media / report.file.name).exists()
    assert report.notes == ["一条说明"]
    assert report.file_name.endswith(".docx")
    assert Notification.objects.filter(user=staff_user, title_zh__startswith="报告已生成").exists()


def test_progress_is_written_to_the_report_while_it_is_generated(
    demo, staff_user, fake_build, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(staff_user, demo)
    assert fake_build[1] == (40, "测试步骤")


def test_a_report_waits_in_the_queue_until_the_request_commits(demo, staff_user, fake_build):
    report = ask(staff_user, demo)
    report.refresh_from_db()
    assert (report.state, report.progress) == (Report.State.QUEUED, 0)
    assert fake_build == []


def test_a_year_without_approved_data_is_refused_and_nothing_is_written(plan, staff_user):
    with pytest.raises(Rejected) as exc:
        ask(staff_user, plan, 2023)
    assert "9项关键指标均无审核通过的数值" in exc.value.problems[0].message_zh
    assert not Report.objects.exists()


def test_every_missing_field_is_named_at_once(plan, staff_user):
    with pytest.raises(Rejected) as exc:
        services.request_report(staff_user, kind="department")
    assert [p.where for p in exc.value.problems] == ["plan", "department"]
    assert exc.value.problems[0].message_zh == "请选择规划"
    assert not Report.objects.exists()


def test_an_unknown_kind_is_refused(plan, staff_user):
    with pytest.raises(Rejected) as exc:
        services.request_report(staff_user, kind="weekly")
    assert exc.value.problems[0].where == "kind"


def test_an_enterprise_is_not_a_department(demo, staff_user, enterprise):
    with pytest.raises(Rejected) as exc:
        services.request_report(
            staff_user, kind="department", plan=demo, department=enterprise.organization
        )
    assert "不是责任单位" in exc.value.problems[0].message_zh


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_may_ask_for_reports(demo, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        ask(user, demo)
    assert not Report.objects.exists()


def test_admin_may_ask_too(demo, admin_user, fake_build):
    assert ask(admin_user, demo).created_by == admin_user


def test_regenerating_makes_the_next_version_and_keeps_the_old_file(
    demo, staff_user, admin_user, fake_build, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = ask(staff_user, demo)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.regenerate(admin_user, first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.subject == second.subject
    assert second.created_by == admin_user
    assert first.file.name != second.file.name
    assert first.file.read() == b"docx 2" and second.file.read() == b"docx 4"
    assert Report.objects.count() == 2


def test_regenerating_needs_the_bureau(demo, staff_user, reporter, fake_build):
    first = ask(staff_user, demo)
    with pytest.raises(PermissionDenied):
        services.regenerate(reporter, first)


def test_a_failure_while_generating_keeps_the_reason_and_tells_the_requester(
    demo, staff_user, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(plan, year, *, progress):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builders, "yearly_report", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(staff_user, demo)
    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert report.error == "生成时发生内部错误，请联系管理员。"
    assert not report.file
    assert Notification.objects.filter(title_zh__startswith="报告生成失败").exists()


def test_a_report_is_generated_once_even_if_its_task_runs_twice(
    demo, staff_user, fake_build, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(staff_user, demo)
    assert services.run_report(report.pk) == Report.State.DONE
    assert len(fake_build) == 2  # one build: its call and its progress reading


def test_the_request_and_the_outcome_are_in_the_audit_log(
    demo, staff_user, fake_build, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = ask(staff_user, demo)
    entries = LogEntry.objects.get_for_object(report).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries[1].changes_dict["state"] == ["running", "done"]
