"""A demo project for the approved demo application: flagged ``is_demo``, removable.

One 重大科技专项 project in progress with a signed contract, its budget, two payments, a
milestone done and one overdue, a progress report, a change request awaiting the bureau, and
this year's self-inspection not yet submitted (so it shows on the missing list).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kechuang.calls.models import Application
from kechuang.projects import services
from kechuang.projects.models import (
    ChangeRequest,
    Disbursement,
    MisconductRecord,
    ProgressReport,
    Project,
    ToleranceRecord,
)

ZERO_REPORT = {"projects": 0, "milestones": 0, "disbursements": 0, "reports": 0, "changes": 0}
SHARE = Decimal("0.8")  # the demo approves 80% of what was asked


def _bureau_user():
    users = get_user_model().objects.filter(role__in=["admin", "staff"], is_active=True)
    return users.order_by("-is_demo", "role", "pk").first()


@transaction.atomic
def load_projects_demo() -> dict[str, int]:
    application = (
        Application.objects.filter(is_demo=True, state=Application.State.APPROVED)
        .filter(project__isnull=True)
        .select_related("applicant")
        .order_by("pk")
        .first()
    )
    staff = _bureau_user()
    if application is None or staff is None:
        return dict(ZERO_REPORT)
    today = timezone.localdate()
    starts = today - dt.timedelta(days=240)
    approved = (application.requested_amount * SHARE / 10000).quantize(Decimal("1")) * 10000
    project = services.create_project(
        staff,
        application,
        approved_amount=approved,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=730),
        lead_person="张建国",
    )
    Project.objects.filter(pk=project.pk).update(is_demo=True)
    done = services.add_milestone(
        staff, project, title="完成实验室小试", due_on=starts + dt.timedelta(days=120)
    )
    services.add_milestone(
        staff, project, title="中试装置建成投运", due_on=today - dt.timedelta(days=20)
    )
    services.add_milestone(
        staff, project, title="形成工艺包", due_on=starts + dt.timedelta(days=700)
    )
    services.add_deliverable(
        staff, project, kind="patent", description="申请发明专利", target_quantity=3
    )
    services.add_deliverable(
        staff, project, kind="product", description="形成新产品", target_quantity=1
    )
    services.add_deliverable(
        staff, project, kind="standard", description="制定企业标准", target_quantity=1
    )
    equipment = (approved * Decimal("0.5")).quantize(Decimal("0.01"))
    materials = (approved * Decimal("0.3")).quantize(Decimal("0.01"))
    services.set_budget(
        staff,
        project,
        [
            ("fiscal", "equipment", equipment),
            ("fiscal", "materials", materials),
            ("fiscal", "testing", approved - equipment - materials),
            ("self", "labour", (approved * Decimal("0.4")).quantize(Decimal("0.01"))),
        ],
    )
    services.sign_contract(staff, project, signed_on=starts + dt.timedelta(days=10))
    for share, days, note in ((Decimal("0.4"), 15, "首批拨付"), (Decimal("0.3"), 150, "第二批")):
        services.record_disbursement(
            staff,
            project,
            amount=(approved * share).quantize(Decimal("0.01")),
            paid_on=starts + dt.timedelta(days=days),
            batch_note=note,
        )
    services.complete_milestone(
        staff,
        done,
        done_on=starts + dt.timedelta(days=115),
        evidence_note="小试报告及检测报告已提交",
    )
    org_user = (
        get_user_model()
        .objects.filter(organization=application.applicant, role="enterprise")
        .order_by("pk")
        .first()
    )
    ProgressReport.objects.create(
        project=project,
        period=f"{today.year}年上半年",
        text="小试完成，中试装置主体设备已到货安装，因部分进口仪表到货延迟，投运推迟。",
        percent=45,
        spend_to_date=(approved * Decimal("0.55")).quantize(Decimal("0.01")),
        reported_by=org_user or staff,
        is_demo=True,
    )
    ChangeRequest.objects.create(
        project=project,
        kind=ChangeRequest.Kind.EXTEND,
        proposed={"ends_on": (project.ends_on + dt.timedelta(days=180)).isoformat()},
        reason="进口仪表到货延迟约四个月，申请延长执行期六个月。",
        requested_by=org_user or staff,
        is_demo=True,
    )
    return {"projects": 1, "milestones": 3, "disbursements": 2, "reports": 1, "changes": 1}


@transaction.atomic
def remove_projects_demo() -> dict[str, int]:
    projects = Project.objects.filter(is_demo=True)
    # The ledger and the records that name an organisation are protected from cascades.
    for model in (Disbursement, ToleranceRecord, MisconductRecord):
        model.objects.filter(project__in=projects).delete()
    return {"projects": projects.delete()[1].get("projects.Project", 0)}
