"""A department's task report: its tasks, progress, overdue milestones and 督办."""

import datetime as dt

import pytest

from kechuang.accounts.models import Organization
from kechuang.core.problems import Rejected
from kechuang.reports import builders
from kechuang.reports.tests.conftest import headings, open_docx, paragraphs, table_texts
from kechuang.supervision.models import Milestone, Supervision


@pytest.fixture
def kjj(plan):
    return Organization.objects.get(code="kjj")


def test_the_report_lists_led_and_co_operating_tasks_overdue_and_supervision(demo, kjj, staff_user):
    task = demo.tasks.filter(lead_department=kjj).order_by("sort_order").first()
    Milestone.objects.create(task=task, title="逾期测试节点", due_on=dt.date(2022, 1, 31))
    Supervision.objects.create(
        task=task,
        department=kjj,
        reason="请说明逾期原因",
        respond_by=dt.date(2022, 3, 1),
        issued_by=staff_user,
    )
    doc = open_docx(builders.department_report(demo, kjj).content)
    assert paragraphs(doc)[0] == kjj.name
    assert headings(doc) == [
        "一、总体情况",
        "二、牵头任务",
        "三、配合任务",
        "四、逾期事项",
        "五、督办情况",
    ]
    tables = table_texts(doc)
    led = tables[0]
    assert led[0] == ["编号", "任务", "进度", "最近报告", "里程碑（完成/总数）", "下一节点", "状态"]
    assert len(led) - 1 == demo.tasks.filter(lead_department=kjj).count()
    overdue = next(t for t in tables if t[0][:2] == ["任务", "里程碑"])
    assert "逾期测试节点" in [row[1] for row in overdue]
    supervision = tables[-1]
    assert supervision[1][1:] == ["请说明逾期原因", "2022-03-01", "尚未回复", "办理中"]


def test_a_department_without_tasks_in_the_plan_is_refused(plan):
    idle = Organization.objects.create(code="idle-dept", name="无任务单位", kind="department")
    with pytest.raises(Rejected) as exc:
        builders.department_report(plan, idle)
    assert (
        exc.value.problems[0].message_zh
    ) == "无任务单位在规划《独山子区科技创新“十四五”发展规划》中没有牵头或配合的任务"
