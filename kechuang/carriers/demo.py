"""Demo carriers: the platforms the plan names (五、（三）2 and 4, 二、（二）), flagged ``is_demo``.

Names and recognitions follow the plan's text (独山子区创新中心, 石油化工产品开发及检测中心,
高新技术孵化基地, the national-level 众创空间 of the 小微企业创业孵化基地, the laser 产学研基地,
the 合成橡胶工程技术研究中心, the 协同创新中心, 独山子区文化中心 as 自治区科普教育基地 2016–2020);
the dates, hosts outside the plan's departments and every yearly figure are invented. When the
enterprise demo is loaded, the expert workstation is hosted by ``enterprise_demo``'s enterprise
so that account can report its metrics.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Organization
from kechuang.carriers.models import (
    Carrier,
    CarrierMetrics,
    CarrierMetricsLog,
    CarrierStatusChange,
)

YEARS = range(2021, 2026)
SOURCE = "演示数据（合成）/ demo (synthetic)"
HOSTS = (
    ("demo-dsz-incubation", "独山子区小微企业创业孵化基地管理中心（演示）"),
    ("demo-hqc-xinjiang", "新疆寰球工程公司（演示）"),
    ("demo-tianli-hitech", "新疆天利高新石化股份有限公司（演示）"),
    ("demo-huixiang-laser", "克拉玛依汇翔激光科技有限公司（演示）"),
    ("demo-dsz-culture", "独山子区文化中心（演示）"),
)
K, L = Carrier.Kind, Carrier.Level


@dataclass(frozen=True)
class _Spec:
    name: str
    kind: str
    level: str
    host: str  # organisation code
    recognised_on: dt.date
    recognised_by: str = ""
    valid_until: dt.date | None = None
    status: str = Carrier.Status.ACTIVE
    is_public: bool = True
    size: int = 1  # scales the invented figures
    description: str = ""


SPECS = (
    _Spec(
        "独山子区创新中心",
        K.INNOVATION_CENTER,
        L.DISTRICT,
        "kjj",
        dt.date(2021, 6, 30),
        "独山子区人民政府",
        size=3,
        description="规划“四大功能区”中创新平台集聚区的核心载体，承载石油化工新产品联合开发基地。",
    ),
    _Spec(
        "石油化工产品开发及检测中心",
        K.TESTING_CENTER,
        L.DISTRICT,
        "demo-tianli-hitech",
        dt.date(2022, 3, 15),
        "独山子区科学技术局",
        size=2,
        description="独山子区创新中心项目之一，面向石化下游企业提供产品开发与检测服务。",
    ),
    _Spec(
        "克拉玛依市独山子区产业园区高新技术孵化基地",
        K.INCUBATOR,
        L.CITY,
        "yqgwh",
        dt.date(2022, 9, 1),
        "克拉玛依市科学技术局",
        size=2,
    ),
    _Spec(
        "独山子小微企业创业孵化基地众创空间",
        K.MAKERSPACE,
        L.NATIONAL,
        "demo-dsz-incubation",
        dt.date(2017, 11, 20),
        "科学技术部",
        size=3,
        description="获国家级众创空间，并被评为全国创业孵化示范基地、全国中小微企业创业示范基地。",
    ),
    _Spec("独山子区创业苗圃", K.SEEDBED, L.DISTRICT, "demo-dsz-incubation", dt.date(2023, 5, 1)),
    _Spec(
        "独山子区科技企业加速器",
        K.ACCELERATOR,
        L.DISTRICT,
        "yqgwh",
        dt.date(2024, 4, 1),
        status=Carrier.Status.RECTIFYING,
    ),
    _Spec(
        "汇翔激光昌吉职业技术学院专家工作站",
        K.EXPERT_WORKSTATION,
        L.CITY,
        "demo-huixiang-laser",
        dt.date(2019, 8, 1),
        "克拉玛依市科学技术局",
    ),
    _Spec(
        "上海工程技术大学激光“产学研”基地",
        K.IUR_BASE,
        L.DISTRICT,
        "demo-huixiang-laser",
        dt.date(2018, 10, 10),
    ),
    _Spec(
        "合成橡胶工程技术研究中心",
        K.ENGINEERING_CENTER,
        L.REGIONAL,
        "demo-hqc-xinjiang",
        dt.date(2019, 12, 1),
        "新疆维吾尔自治区科学技术厅",
        size=2,
        description="被认定为自治区科技创新服务平台。",
    ),
    _Spec(
        "天利高新-蓝德精化-新疆大学协同创新中心",
        K.INNOVATION_CENTER,
        L.DISTRICT,
        "demo-tianli-hitech",
        dt.date(2020, 7, 1),
        size=2,
    ),
    _Spec("独山子区人才工作站", K.TALENT_WORKSTATION, L.DISTRICT, "zzb", dt.date(2022, 6, 1)),
    _Spec(
        "独山子区文化中心",
        K.POPULARIZATION_BASE,
        L.REGIONAL,
        "demo-dsz-culture",
        dt.date(2016, 1, 1),
        "新疆维吾尔自治区科学技术协会",
        valid_until=dt.date(2020, 12, 31),
        description="2016–2020年度自治区科普教育基地。",
    ),
    _Spec(
        "独山子区青少年科技活动中心",
        K.POPULARIZATION_BASE,
        L.CITY,
        "kx",
        dt.date(2021, 9, 1),
        "克拉玛依市科学技术协会",
    ),
    _Spec(
        "天利高新企业技术中心",
        K.ENTERPRISE_TECH_CENTER,
        L.REGIONAL,
        "demo-tianli-hitech",
        dt.date(2018, 6, 1),
        "新疆维吾尔自治区工业和信息化厅",
        is_public=False,
        size=2,
    ),
)


def _figures(spec: _Spec, year: int) -> dict:
    """Invented, steadily growing figures; graduates always within the firms incubated."""
    age = year - max(spec.recognised_on.year, 2020)
    s = spec.size
    if spec.kind in Carrier.INCUBATION_KINDS:
        incubating = 8 * s + 3 * age
        return {
            "area_m2": Decimal(3000 * s + 500 * age),
            "firms_incubating": incubating,
            "firms_graduated": min(incubating, s + age // 2),
            "jobs": 40 * s + 12 * age,
            "investment_raised": Decimal(800_000 * s + 350_000 * age),
        }
    if spec.kind == Carrier.Kind.POPULARIZATION_BASE:
        return {"staff": 6 + age, "projects": 2 + age // 2}
    return {
        "staff": 12 * s + 2 * age,
        "projects": 2 * s + age,
        "patents": s + age,
        "papers": s + age // 2,
        "standards": age // 3,
    }


@dataclass
class CarrierDemoReport:
    carriers: int = 0
    metrics: int = 0


def _host_codes() -> dict[str, str]:
    """The expert workstation goes to enterprise_demo's organisation when it exists."""
    demo_user = get_user_model().objects.filter(username="enterprise_demo").first()
    if demo_user is not None and demo_user.organization_id:
        return {"demo-huixiang-laser": demo_user.organization.code}
    return {}


def load_carriers_demo(*, today: dt.date | None = None) -> CarrierDemoReport:
    """Create the demo carriers not there yet, with metrics 2021–2025 (the last year of two of
    them awaiting review); running it again adds nothing."""
    today = today or timezone.localdate()
    report = CarrierDemoReport()
    with transaction.atomic():
        for code, name in HOSTS:
            Organization.objects.get_or_create(
                code=code,
                defaults={"name": name, "kind": Organization.Kind.INSTITUTION, "is_demo": True},
            )
        orgs = {o.code: o for o in Organization.objects.all()}
        swap = _host_codes()
        existing = set(Carrier.objects.values_list("name", flat=True))
        now = timezone.now()
        for i, spec in enumerate(s for s in SPECS if s.name not in existing):
            code = (
                swap.get(spec.host, spec.host) if spec.kind == K.EXPERT_WORKSTATION else spec.host
            )
            carrier = Carrier.objects.create(
                name=spec.name,
                kind=spec.kind,
                level=spec.level,
                host=orgs[code],
                recognised_on=spec.recognised_on,
                recognised_by=spec.recognised_by,
                valid_until=spec.valid_until,
                status=spec.status,
                is_public=spec.is_public,
                description=spec.description,
                address="新疆克拉玛依市独山子区（演示）",
                is_demo=True,
            )
            report.carriers += 1
            if spec.status != Carrier.Status.ACTIVE:
                CarrierStatusChange.objects.create(
                    carrier=carrier,
                    from_status=Carrier.Status.ACTIVE,
                    to_status=spec.status,
                    note="年度评估场地使用率不达标，限期整改（演示）",
                )
            for year in YEARS:
                if year < spec.recognised_on.year or year > today.year:
                    continue
                pending = year == YEARS[-1] and i % 4 == 1
                m = CarrierMetrics.objects.create(
                    carrier=carrier,
                    year=year,
                    source=SOURCE,
                    status=CarrierMetrics.Status.SUBMITTED
                    if pending
                    else CarrierMetrics.Status.APPROVED,
                    submitted_at=now,
                    approved_at=None if pending else now,
                    is_demo=True,
                    **_figures(spec, year),
                )
                values = {k: str(v) for k, v in m.values().items() if v is not None}
                CarrierMetricsLog.objects.create(metrics=m, action="submitted", values=values)
                if not pending:
                    CarrierMetricsLog.objects.create(metrics=m, action="approved", values=values)
                report.metrics += 1
    return report


def remove_carriers_demo() -> dict[str, int]:
    """Delete the demo carriers with their metrics and logs, and the demo host organisations
    nothing else uses. Run after the popularization demo is removed; a real event that was
    linked to a demo base keeps its record, unlinked."""
    from kechuang.popularization.models import Event

    with transaction.atomic():
        demo = Carrier.objects.filter(is_demo=True)
        Event.objects.filter(base__in=demo, is_demo=False).update(base=None)
        counts = {
            "carrier metrics": CarrierMetrics.objects.filter(carrier__in=demo).count(),
            "carriers": demo.count(),
        }
        demo.delete()
        counts["carrier hosts"] = (
            Organization.objects.filter(code__in=[c for c, _ in HOSTS], carriers__isnull=True)
            .filter(users__isnull=True, achievements__isnull=True, science_events__isnull=True)
            .delete()[0]
        )
    return counts
