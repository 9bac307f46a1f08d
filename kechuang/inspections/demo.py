"""A published demo spot-check plan: flagged ``is_demo``, removable, so the public page shows one.

It draws over the projects in progress when there are at least three, otherwise over the
registry's high-tech enterprises; 10% of the pool (rounded up), two inspectors each, both draws
made through the verifiable draw services from the expert library. Every check gets a result
(合格, 基本合格 with a due date, 不合格 with a due date, in turn) and the plan is published.

It needs the demo experts (``kechuang.experts.demo``) and the demo registry or projects loaded
first; without experts or a bureau user it does nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kechuang.experts.models import Draw, Expert
from kechuang.inspections import services
from kechuang.inspections.models import Assignment, Check, InspectionPlan
from kechuang.notifications.models import Notification
from kechuang.projects import logic as project_logic
from kechuang.projects.models import Project

RESULTS = (
    ("pass", None, "项目资金专账核算，支出与预算一致；实施进度符合任务书约定。"),
    ("basic", 30, "资金使用总体规范，个别差旅支出凭证不全，须补充完善。"),
    ("fail", 60, "设备购置未按预算执行，部分经费用于与项目无关的支出，责令限期整改。"),
)


def _bureau_user():
    users = get_user_model().objects.filter(role__in=["admin", "staff"], is_active=True)
    return users.order_by("-is_demo", "role", "pk").first()


def _report(plans: int = 0, checks: int = 0, assignments: int = 0) -> dict[str, int]:
    return {"plans": plans, "checks": checks, "assignments": assignments}


def load_inspections_demo() -> dict[str, int]:
    """Create the demo plan if there is none yet; returns what was created."""
    staff = _bureau_user()
    if (
        staff is None
        or not Expert.objects.exists()
        or InspectionPlan.objects.filter(is_demo=True).exists()
    ):
        return _report()
    today = timezone.localdate()
    running = Project.objects.filter(state__in=project_logic.ACTIVE).count()
    pool = InspectionPlan.Pool.PROJECTS_RUNNING if running >= 3 else InspectionPlan.Pool.HNTE
    with transaction.atomic():
        plan = services.create_plan(
            staff,
            title=f"演示：{InspectionPlan.Pool(pool).label}双随机抽查",
            year=today.year,
            pool=pool,
            sampling=InspectionPlan.Sampling.RATIO,
            ratio_pct=Decimal("10"),
            exclude_recent_months=0,
            is_demo=True,
        )
        services.draw_objects(staff, plan)
        services.draw_inspectors(staff, plan)
        checks = list(plan.checks.select_related("plan__objects_draw").order_by("position"))
        for n, check in enumerate(checks):
            result, days, findings = RESULTS[n % len(RESULTS)]
            services.schedule_check(staff, check, scheduled_on=today)
            services.record_result(
                staff,
                check,
                inspected_on=today,
                result=result,
                findings=findings,
                rectify_by=today + dt.timedelta(days=days) if days else None,
            )
        services.publish_plan(staff, plan)
        Draw.objects.filter(pk__in=_draw_ids(InspectionPlan.objects.filter(pk=plan.pk))).update(
            is_demo=True
        )
    return _report(1, len(checks), Assignment.objects.filter(spot_check__plan=plan).count())


def _draw_ids(plans) -> list[int]:
    ids = list(plans.values_list("objects_draw_id", flat=True))
    ids += Check.objects.filter(plan__in=plans).values_list("inspectors_draw_id", flat=True)
    return [i for i in ids if i is not None]


def remove_inspections_demo() -> dict[str, int]:
    """Delete the demo plans with their checks, draws and the notifications they sent."""
    with transaction.atomic():
        plans = InspectionPlan.objects.filter(is_demo=True)
        checks = Check.objects.filter(plan__in=plans)
        urls = [services.check_url(c) for c in checks.only("pk")]
        draws = _draw_ids(plans)
        report = _report(
            plans.count(),
            checks.count(),
            Assignment.objects.filter(spot_check__in=checks).count(),
        )
        Notification.objects.filter(url__in=urls).delete()
        plans.delete()
        Draw.objects.filter(pk__in=draws).delete()
    return report
