"""Recording results, rectification and publication: who may, what is refused, what is kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.inspections import services
from kechuang.inspections.models import Check, CheckEvent, CheckFile
from kechuang.inspections.tests.conftest import record


def test_an_assigned_inspector_records_the_result_and_the_unit_is_told(
    check, inspector_user, enterprise_user, today
):
    record(
        inspector_user,
        check,
        result="basic",
        findings="部分支出凭证不全",
        internal_notes="财务负责人态度消极",
        rectify_by=today + dt.timedelta(days=30),
    )
    check.refresh_from_db()
    assert (check.result, check.rectification, check.result_by) == (
        "basic",
        "required",
        inspector_user,
    )
    assert check.plan.state == "in_progress"
    event = check.events.get()
    assert (event.kind, event.note, event.internal_note) == (
        "result",
        "部分支出凭证不全",
        "财务负责人态度消极",
    )
    note = enterprise_user.notifications.get(url=f"/inspections/checks/{check.pk}/")
    assert "基本合格" in note.title_zh and "整改" in note.body_zh


def test_the_bureau_may_record_for_an_inspector_without_a_login(check, staff_user):
    record(staff_user, check, result="pass")
    check.refresh_from_db()
    assert check.result == "pass" and check.rectification == ""


def test_a_correction_before_publication_keeps_the_first_entry(check, staff_user, today):
    record(staff_user, check, result="pass")
    record(staff_user, check, result="fail", rectify_by=today + dt.timedelta(days=10))
    assert list(check.events.values_list("result", flat=True)) == ["pass", "fail"]
    check.refresh_from_db()
    assert check.result == "fail" and check.rectification == "required"


@pytest.mark.parametrize(
    ("values", "where", "message"),
    [
        ({"result": "fail"}, "rectify_by", "不合格须责令整改"),
        ({"result": "pass", "rectify_by": "due"}, "rectify_by", "合格的检查不需要整改期限"),
        ({"result": "basic", "rectify_by": "before"}, "rectify_by", "整改期限应晚于检查日期"),
        ({"result": "excellent"}, "result", "请选择检查结果"),
        ({"findings": "  "}, "findings", "请填写检查发现"),
        ({"inspected_on": "future"}, "inspected_on", "不能晚于今天"),
        ({"inspected_on": None}, "inspected_on", "请填写有效的检查日期"),
    ],
)
def test_bad_results_are_refused_by_name_and_nothing_changes(
    check, staff_user, today, values, where, message
):
    days = {"due": 10, "before": -1, "future": 1}
    for key in ("rectify_by", "inspected_on"):
        if values.get(key) in days:
            values[key] = today + dt.timedelta(days=days[values[key]])
    with pytest.raises(Rejected) as exc:
        record(staff_user, check, **values)
    assert [p.where.rsplit(" / ", 1)[1] for p in exc.value.problems] == [where]
    assert message in exc.value.problems[0].message_zh
    check.refresh_from_db()
    assert check.result == "" and not CheckEvent.objects.exists()
    assert check.plan.state == "inspectors_drawn"


def test_files_come_with_the_result_checked_by_content(check, staff_user, upload):
    record(staff_user, check, files=[upload("检查记录表.pdf"), upload("台账.xlsx")])
    assert sorted(CheckFile.objects.values_list("original_name", flat=True)) == [
        "台账.xlsx",
        "检查记录表.pdf",
    ]
    with pytest.raises(Rejected, match=r"与扩展名 \.pdf 不符"):
        record(staff_user, check, files=[upload("假.pdf", kind="exe")])
    with pytest.raises(Rejected, match="不支持的文件类型"):
        record(staff_user, check, files=[upload("照片.png")])
    assert CheckEvent.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["reporter", "enterprise_user", "provider_user", "other_enterprise_user"]
)
def test_no_one_else_records_a_result(request, who, check):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(who), check)


def test_an_inspector_not_drawn_for_the_check_cannot_record(check, outsider_inspector):
    with pytest.raises(PermissionDenied):
        record(outsider_inspector, check)
    assert not CheckEvent.objects.exists()


def test_results_wait_for_the_inspectors(objects_drawn, staff_user):
    with pytest.raises(Rejected, match="不能记录检查结果"):
        record(staff_user, objects_drawn.checks.get())


# --- rectification ----------------------------------------------------------------------------


@pytest.fixture
def failed(check, inspector_user, today):
    record(inspector_user, check, result="fail", rectify_by=today + dt.timedelta(days=20))
    check.refresh_from_db()
    return check


def test_the_unit_reports_its_rectification_and_the_bureau_confirms(
    failed, enterprise_user, staff_user, upload
):
    services.report_rectification(
        enterprise_user, failed, note="已补齐凭证", files=[upload("整改报告.docx")]
    )
    failed.refresh_from_db()
    assert failed.rectification == "reported"
    assert staff_user.notifications.filter(title_zh__startswith="整改情况待确认").exists()
    services.confirm_rectification(staff_user, failed, accepted=True)
    failed.refresh_from_db()
    assert failed.rectification == "done" and failed.rectified_on is not None
    assert list(failed.events.values_list("kind", flat=True)) == ["result", "reported", "accepted"]
    assert enterprise_user.notifications.filter(title_zh__startswith="整改已确认完成").exists()


def test_a_returned_rectification_needs_a_reason_and_is_reported_again(
    failed, enterprise_user, staff_user
):
    services.report_rectification(enterprise_user, failed, note="已整改")
    with pytest.raises(Rejected, match="请填写退回理由"):
        services.confirm_rectification(staff_user, failed, accepted=False)
    services.confirm_rectification(staff_user, failed, accepted=False, note="凭证仍不全")
    failed.refresh_from_db()
    assert failed.rectification == "required"
    services.report_rectification(enterprise_user, failed, note="再次整改")
    failed.refresh_from_db()
    assert failed.rectification == "reported"


def test_nothing_to_rectify_after_a_pass(check, staff_user, enterprise_user):
    record(staff_user, check, result="pass")
    check.refresh_from_db()
    with pytest.raises(Rejected, match="不能报送整改情况"):
        services.report_rectification(enterprise_user, check, note="无")
    with pytest.raises(Rejected, match="没有待确认的整改情况"):
        services.confirm_rectification(staff_user, check, accepted=True)


def test_only_the_unit_or_the_bureau_reports_and_only_the_bureau_confirms(
    failed, other_enterprise_user, inspector_user, enterprise_user
):
    for user in (other_enterprise_user, inspector_user):
        with pytest.raises(PermissionDenied):
            services.report_rectification(user, failed, note="冒名报送")
    services.report_rectification(enterprise_user, failed, note="已整改")
    for user in (enterprise_user, inspector_user):
        with pytest.raises(PermissionDenied):
            services.confirm_rectification(user, failed, accepted=True)


# --- scheduling and publication ---------------------------------------------------------------


def test_the_bureau_schedules_a_check_not_before_the_draw(check, staff_user, today, inspector_user):
    services.schedule_check(staff_user, check, scheduled_on=today + dt.timedelta(days=7))
    check.refresh_from_db()
    assert check.scheduled_on == today + dt.timedelta(days=7)
    with pytest.raises(Rejected, match="不能早于抽取日期"):
        services.schedule_check(staff_user, check, scheduled_on=today - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.schedule_check(inspector_user, check, scheduled_on=today)


def test_publication_needs_every_result_and_then_fixes_them(check, staff_user):
    with pytest.raises(Rejected, match="不能公开结果"):
        services.publish_plan(staff_user, check.plan)  # no result yet: still inspectors_drawn
    record(staff_user, check)
    plan = services.publish_plan(staff_user, check.plan)
    assert plan.state == "published" and plan.published_by == staff_user
    with pytest.raises(Rejected, match="不能记录检查结果"):
        record(staff_user, Check.objects.get(pk=check.pk), result="fail")


def test_publication_names_each_object_still_without_a_result(
    staff_user, make_project, make_unit, inspectors
):
    from kechuang.inspections.tests.conftest import make_plan

    for i in range(2):
        make_project(make_unit(f"单位{i}"))
    plan = services.draw_inspectors(
        staff_user, services.draw_objects(staff_user, make_plan(staff_user, count=2))
    )
    first, second = plan.checks.order_by("position")
    record(staff_user, first)
    with pytest.raises(Rejected) as exc:
        services.publish_plan(staff_user, plan)
    assert [p.where for p in exc.value.problems] == [f"检查对象 / object {second.object_code}"]


@pytest.mark.parametrize("who", ["enterprise_user", "reporter"])
def test_only_the_bureau_publishes(request, who, check, staff_user):
    record(staff_user, check)
    with pytest.raises(PermissionDenied):
        services.publish_plan(request.getfixturevalue(who), check.plan)
