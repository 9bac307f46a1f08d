"""Writes to the carrier registry. Each checks permission on the object, checks all its input
and raises ``Rejected`` naming every problem, and only then writes, in one transaction.

Metrics are the carrier's yearly figures: the bureau or the host's users submit them, the
bureau approves or returns them. A change after approval sends them back for review; each
submission, approval and return is a log row carrying the values as they stood.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.carriers.models import (
    Carrier,
    CarrierMetrics,
    CarrierMetricsLog,
    CarrierStatusChange,
)
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises.checks import at
from kechuang.notifications.services import notify

CARRIER_FIELDS = (
    "name",
    "kind",
    "level",
    "host",
    "recognised_on",
    "recognised_by",
    "valid_until",
    "address",
    "description",
    "contact_name",
    "contact_phone",
    "is_public",
)
TEXT_FIELDS = ("recognised_by", "address", "description", "contact_name", "contact_phone")
METRIC_LABELS = {
    "area_m2": ("场地面积", "area (m²)"),
    "firms_incubating": ("在孵企业数", "firms in incubation"),
    "firms_graduated": ("毕业企业数", "firms graduated"),
    "jobs": ("带动就业人数", "jobs"),
    "investment_raised": ("在孵企业获得投融资", "investment raised"),
    "staff": ("研发人员数", "R&D staff"),
    "projects": ("承担项目数", "projects"),
    "patents": ("专利数", "patents"),
    "papers": ("论文数", "papers"),
    "standards": ("标准数", "standards"),
}
FIRST_YEAR = 1949


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def carrier_where(key: str, prefix: str = "") -> str:
    return at(prefix, str(Carrier._meta.get_field(key).verbose_name), key)


# --- carriers --------------------------------------------------------------------------------


def check_carrier(values: dict, *, carrier: Carrier | None = None) -> tuple[dict, list[Problem]]:
    """Profile values → cleaned values and every problem; ``carrier`` when editing one."""
    out = dict(values)
    problems: list[Problem] = []
    w = carrier_where
    for key in TEXT_FIELDS:
        if key in out:
            out[key] = (out[key] or "").strip()
    if "name" in out or carrier is None:
        out["name"] = (out.get("name") or "").strip()
        if not out["name"]:
            problems.append(Problem(w("name"), "请填写载体名称", "the name is required"))
        else:
            same = Carrier.objects.filter(name=out["name"])
            if carrier is not None:
                same = same.exclude(pk=carrier.pk)
            if same.exists():
                problems.append(
                    Problem(
                        w("name"),
                        f"已有名为「{out['name']}」的载体",
                        f"a carrier named '{out['name']}' already exists",
                    )
                )
    checking = {k for k in ("kind", "level", "host") if k in out or carrier is None}
    if "kind" in checking and out.get("kind") not in Carrier.Kind.values:
        problems.append(Problem(w("kind"), "请选择载体类型", "choose the kind of carrier"))
    if "level" in checking and out.get("level") not in Carrier.Level.values:
        problems.append(Problem(w("level"), "请选择级别", "choose the level"))
    if "host" in checking and not isinstance(out.get("host"), Organization):
        problems.append(Problem(w("host"), "请选择依托单位", "choose the host organisation"))
    recognised = out.get("recognised_on", carrier.recognised_on if carrier else None)
    if recognised is None:
        problems.append(
            Problem(
                w("recognised_on"), "请填写认定（成立）日期", "the recognition date is required"
            )
        )
    elif recognised > timezone.localdate():
        problems.append(
            Problem(
                w("recognised_on"),
                f"认定日期（{recognised:%Y-%m-%d}）不能晚于今天",
                f"the recognition date ({recognised:%Y-%m-%d}) cannot be in the future",
            )
        )
    until = out.get("valid_until", carrier.valid_until if carrier else None)
    if until is not None and recognised is not None and until < recognised:
        problems.append(
            Problem(
                w("valid_until"),
                f"有效期至（{until:%Y-%m-%d}）早于认定日期（{recognised:%Y-%m-%d}）",
                "the validity ends before the recognition date",
            )
        )
    if carrier is not None:
        problems += _check_against_metrics(carrier, out, recognised)
    return out, problems


def _check_against_metrics(carrier: Carrier, out: dict, recognised: dt.date | None) -> list:
    """An edit may not make the carrier's recorded years wrong."""
    years = list(carrier.metrics.values_list("year", flat=True))
    if not years:
        return []
    problems = []
    kind = out.get("kind", carrier.kind)
    if (kind in Carrier.INCUBATION_KINDS) != carrier.is_incubation:
        problems.append(
            Problem(
                carrier_where("kind"),
                "已有按原类型填报的年度数据，孵化类与非孵化类之间不能互改",
                "yearly metrics exist for the current kind; it cannot switch between incubation "
                "and other kinds",
            )
        )
    if recognised is not None and min(years) < recognised.year:
        problems.append(
            Problem(
                carrier_where("recognised_on"),
                f"已有 {min(years)} 年度数据，认定日期不能晚于该年",
                f"metrics exist for {min(years)}; the recognition date cannot be later",
            )
        )
    return problems


@transaction.atomic
def create_carrier(user, *, is_demo: bool = False, **values) -> Carrier:
    _require(user, "carriers.manage_carrier", None, "只有科技局可以登记载体", "bureau only")
    unknown = set(values) - set(CARRIER_FIELDS)
    if unknown:
        raise TypeError(f"unknown carrier fields: {sorted(unknown)}")
    out, problems = check_carrier(values)
    if problems:
        raise Rejected(problems)
    return Carrier.objects.create(is_demo=is_demo, **out)


@transaction.atomic
def update_carrier(user, carrier: Carrier, **values) -> Carrier:
    _require(user, "carriers.manage_carrier", carrier, "只有科技局可以修改载体", "bureau only")
    unknown = set(values) - set(CARRIER_FIELDS)
    if unknown:
        raise TypeError(f"unknown carrier fields: {sorted(unknown)}")
    carrier = Carrier.objects.select_for_update().get(pk=carrier.pk)
    out, problems = check_carrier(values, carrier=carrier)
    if problems:
        raise Rejected(problems)
    changed = [k for k, v in out.items() if getattr(carrier, k) != v]
    if changed:
        for k in changed:
            setattr(carrier, k, out[k])
        carrier.save()
    return carrier


@transaction.atomic
def change_status(user, carrier: Carrier, status: str, note: str = "") -> Carrier:
    """运行中 / 整改 / 撤销; a move to 整改 or 撤销 says why. Each change is a log row."""
    _require(user, "carriers.manage_carrier", carrier, "只有科技局可以变更状态", "bureau only")
    carrier = Carrier.objects.select_for_update().get(pk=carrier.pk)
    where = carrier_where("status")
    problems = []
    if status not in Carrier.Status.values:
        problems.append(Problem(where, f"未知状态「{status}」", f"unknown status '{status}'"))
    elif status == carrier.status:
        problems.append(
            Problem(
                where,
                f"载体已是“{carrier.get_status_display()}”状态",
                "the carrier already has that status",
            )
        )
    if status != Carrier.Status.ACTIVE and not note.strip():
        problems.append(Problem(where, "整改或撤销请写明原因", "say why"))
    if problems:
        raise Rejected(problems)
    CarrierStatusChange.objects.create(
        carrier=carrier,
        from_status=carrier.status,
        to_status=status,
        note=note.strip()[:500],
        changed_by=user,
    )
    carrier.status = status
    carrier.save(update_fields=["status", "updated_at"])
    return carrier


# --- yearly metrics --------------------------------------------------------------------------


def metric_fields(kind: str) -> tuple[str, ...]:
    """The fields a carrier of this kind reports."""
    if kind in Carrier.INCUBATION_KINDS:
        return CarrierMetrics.INCUBATION_FIELDS
    return CarrierMetrics.RD_FIELDS


def metric_where(key: str, prefix: str = "") -> str:
    zh, _ = METRIC_LABELS.get(key, ("年度", "year"))
    return at(prefix, zh, key)


def check_year(year: object, recognised_on: dt.date, where: str) -> list[Problem]:
    if not isinstance(year, int) or isinstance(year, bool):
        return [Problem(where, f"年度「{year}」不是整数", f"year '{year}' is not a whole number")]
    latest = timezone.localdate().year
    if year > latest:
        return [
            Problem(
                where,
                f"年度 {year} 尚未开始（最晚 {latest} 年）",
                f"year {year} has not begun (latest {latest})",
            )
        ]
    if year < FIRST_YEAR:
        return [Problem(where, f"年度 {year} 早于 {FIRST_YEAR} 年", f"year {year} is too early")]
    if year < recognised_on.year:
        return [
            Problem(
                where,
                f"年度 {year} 早于载体认定（成立）日期 {recognised_on:%Y-%m-%d}",
                f"year {year} is before the carrier was recognised ({recognised_on:%Y-%m-%d})",
            )
        ]
    return []


def check_metrics(kind: str, values: dict, prefix: str = "") -> list[Problem]:
    """Signs, whole numbers, the kind's own fields, and graduates within the firms incubated.

    Pure of the database: the import runs it on every row.
    """
    problems: list[Problem] = []
    own = set(metric_fields(kind))
    for key, value in values.items():
        if value is None:
            continue
        zh, en = METRIC_LABELS[key]
        where = metric_where(key, prefix)
        if key not in own:
            problems.append(
                Problem(
                    where,
                    f"该类型载体不填写{zh}（孵化类填写场地、在孵与毕业企业、就业、投融资；"
                    "其他类填写人员、项目、专利、论文、标准）",
                    f"this kind of carrier does not report {en}",
                )
            )
            continue
        is_decimal = key in CarrierMetrics.DECIMAL_FIELDS
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            problems.append(Problem(where, f"{zh}「{value}」不是数字", f"{en} is not a number"))
            continue
        if value < 0:
            problems.append(
                Problem(where, f"{zh}不能为负数（{value}）", f"{en} cannot be negative ({value})")
            )
        elif not is_decimal and value != int(value):
            problems.append(
                Problem(where, f"{zh}应为整数（{value}）", f"{en} must be a whole number")
            )
    incubating, graduated = values.get("firms_incubating"), values.get("firms_graduated")
    if (
        "firms_graduated" in own
        and isinstance(incubating, int)
        and isinstance(graduated, int)
        and graduated > incubating
    ):
        problems.append(
            Problem(
                metric_where("firms_graduated", prefix),
                f"毕业企业数（{graduated}）超过当年在孵企业数（{incubating}）",
                f"firms graduated ({graduated}) exceed firms in incubation ({incubating}) "
                "for the year",
            )
        )
    return problems


def _snapshot(metrics: CarrierMetrics) -> dict:
    return {k: str(v) for k, v in metrics.values().items() if v is not None}


def _log(metrics: CarrierMetrics, action: str, actor, comment: str = "") -> None:
    CarrierMetricsLog.objects.create(
        metrics=metrics,
        action=action,
        values=_snapshot(metrics) | ({"source": metrics.source} if metrics.source else {}),
        comment=comment[:500],
        actor=actor if getattr(actor, "pk", None) else None,
    )


def apply_metrics(
    user,
    carrier: Carrier,
    year: int,
    values: dict,
    *,
    source: str = "",
    approve: bool = False,
    existing: CarrierMetrics | None = None,
) -> tuple[CarrierMetrics, bool]:
    """Write checked values (the caller has checked them): the row and whether it changed."""
    metrics = existing or CarrierMetrics(carrier=carrier, year=year, is_demo=carrier.is_demo)
    merged = {k: getattr(metrics, k) for k in CarrierMetrics.VALUE_FIELDS} | values
    same = metrics.pk and merged == metrics.values() and metrics.source == source.strip()
    S = CarrierMetrics.Status
    if same and (metrics.status == S.APPROVED or (metrics.status == S.SUBMITTED and not approve)):
        return metrics, False
    now = timezone.now()
    actor = user if getattr(user, "pk", None) else None
    for k, v in merged.items():
        setattr(metrics, k, v)
    metrics.source = source.strip()
    metrics.status = CarrierMetrics.Status.SUBMITTED
    metrics.submitted_by, metrics.submitted_at = actor, now
    metrics.approved_by, metrics.approved_at, metrics.review_comment = None, None, ""
    if approve:
        metrics.status = CarrierMetrics.Status.APPROVED
        metrics.approved_by, metrics.approved_at = actor, now
    metrics.save()
    _log(metrics, CarrierMetricsLog.Action.SUBMITTED, actor)
    if approve:
        _log(metrics, CarrierMetricsLog.Action.APPROVED, actor)
    return metrics, True


@transaction.atomic
def save_metrics(
    user, carrier: Carrier, year: int, values: dict, *, source: str = ""
) -> CarrierMetrics:
    """Submit one year's metrics for review. Keys left out keep their stored value; a key given
    as None clears it. Changing approved metrics sends them back for review."""
    _require(
        user,
        "carriers.submit_metrics",
        carrier,
        "无权填报该载体的年度数据",
        "you may not report metrics for this carrier",
    )
    unknown = set(values) - set(CarrierMetrics.VALUE_FIELDS)
    if unknown:
        raise TypeError(f"unknown metric fields: {sorted(unknown)}")
    problems = check_year(year, carrier.recognised_on, metric_where("year"))
    existing = CarrierMetrics.objects.select_for_update().filter(carrier=carrier, year=year).first()
    merged = (existing.values() if existing else {}) | values
    problems += check_metrics(carrier.kind, merged)
    if len(source.strip()) > 200:
        problems.append(Problem(at("", "数据来源", "source"), "数据来源过长", "source too long"))
    if problems:
        raise Rejected(problems)
    metrics, _ = apply_metrics(user, carrier, year, values, source=source, existing=existing)
    return metrics


@transaction.atomic
def approve_metrics(user, metrics: CarrierMetrics, comment: str = "") -> CarrierMetrics:
    _require(user, "carriers.approve_metrics", metrics, "只有科技局可以审核", "bureau only")
    metrics = CarrierMetrics.objects.select_for_update().get(pk=metrics.pk)
    if metrics.status != CarrierMetrics.Status.SUBMITTED:
        raise Rejected(
            [Problem(str(metrics), "只有待审核的数据可以审核", "only submitted metrics")]
        )
    metrics.status = CarrierMetrics.Status.APPROVED
    metrics.approved_by, metrics.approved_at = user, timezone.now()
    metrics.review_comment = comment.strip()[:500]
    metrics.save()
    _log(metrics, CarrierMetricsLog.Action.APPROVED, user, metrics.review_comment)
    _tell_host(metrics, "已审核通过", "approved")
    return metrics


@transaction.atomic
def return_metrics(user, metrics: CarrierMetrics, comment: str) -> CarrierMetrics:
    """Send the year back to whoever reports it, saying why."""
    _require(user, "carriers.approve_metrics", metrics, "只有科技局可以退回", "bureau only")
    if not comment.strip():
        raise Rejected([Problem("comment", "退回时请写明原因", "say why the metrics are returned")])
    metrics = CarrierMetrics.objects.select_for_update().get(pk=metrics.pk)
    if metrics.status != CarrierMetrics.Status.SUBMITTED:
        raise Rejected(
            [Problem(str(metrics), "只有待审核的数据可以退回", "only submitted metrics")]
        )
    metrics.status = CarrierMetrics.Status.RETURNED
    metrics.approved_by, metrics.approved_at = None, None
    metrics.review_comment = comment.strip()[:500]
    metrics.save()
    _log(metrics, CarrierMetricsLog.Action.RETURNED, user, metrics.review_comment)
    _tell_host(metrics, "被退回", "returned")
    return metrics


def _tell_host(metrics: CarrierMetrics, zh: str, en: str) -> None:
    """The host's users learn how the bureau decided on the figures they report."""
    carrier = metrics.carrier
    notify(
        carrier.host.users.filter(role="enterprise"),
        title_zh=f"{carrier.name} {metrics.year} 年度数据{zh}",
        title_en=f"{carrier.name}: {metrics.year} metrics {en}",
        body_zh=metrics.review_comment,
        body_en=metrics.review_comment,
        url=reverse("carriers:detail", kwargs={"pk": carrier.pk}),
    )
