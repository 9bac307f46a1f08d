"""Demo achievements and technology contracts, flagged ``is_demo``.

About twenty achievements on the district's petrochemical, new-materials, environment and
smart-city themes (五、（一）and（三）4; a few internal), and technology contracts for 2021–2025
whose district-seller totals sit near the demo figures of indicator 8 (0.5 亿元 target by 2025)
without matching them, so the totals page has something to reconcile. Owners and sellers are
demo enterprises of the registry when the enterprise demo is loaded (load it first; remove this
demo before it), otherwise named in free text. Every title, name, number and amount is invented.

The demo data file already holds TECH_CONTRACT_VALUE / TECH_TRADE_VALUE for 2020–2025, so the
contracts are only recorded: publishing them is left to the user, and a year is published here
only when the indicator holds no figure for it at all.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kechuang.achievements import services
from kechuang.achievements.models import Achievement, TechContract
from kechuang.enterprises.models import Enterprise, IntellectualProperty
from kechuang.indicators.models import DataValue

F = Enterprise.HighTechField
S, M = Achievement.TransferStatus, Achievement.TransferMode
# title, field, TRL, year, status, mode, public, co-owners, abstract
ACHIEVEMENTS = (
    (
        "重质油悬浮床加氢中试技术",
        F.NEW_MATERIALS,
        7,
        2021,
        S.TRANSFERRING,
        M.COOPERATION,
        True,
        "中国石油大学（华东）",
        "渣油悬浮床加氢裂化中试装置连续稳定运行，打破国外核心技术垄断，轻油收率显著提高。",
    ),
    (
        "PE100+燃气管材专用料开发",
        F.NEW_MATERIALS,
        9,
        2021,
        S.TRANSFERRED,
        M.ASSIGNMENT,
        True,
        "",
        "高密度聚乙烯燃气管材专用料，入列国际PE100+协会优质产品名录。",
    ),
    (
        "茂金属聚乙烯膜料国产化",
        F.NEW_MATERIALS,
        8,
        2022,
        S.TRANSFERRED,
        M.LICENSING,
        True,
        "四川大学高分子研究所",
        "以茂金属催化剂生产高透明、高强度膜料，替代进口。",
    ),
    (
        "环保充油丁苯橡胶工艺",
        F.NEW_MATERIALS,
        8,
        2022,
        S.TRANSFERRED,
        M.ASSIGNMENT,
        True,
        "",
        "采用环保芳烃油替代传统高芳烃油，产品填补国内空白。",
    ),
    (
        "激光智能焊接与表面改性技术在石油装备中的应用",
        F.ADVANCED_MANUFACTURING,
        7,
        2021,
        S.TRANSFERRED,
        M.EQUITY,
        True,
        "上海工程技术大学",
        "激光熔覆修复抽油杆、阀门等易损件，延长使用寿命两倍以上。",
    ),
    (
        "炼化装置智能巡检机器人",
        F.ADVANCED_MANUFACTURING,
        6,
        2023,
        S.TRANSFERRING,
        M.COOPERATION,
        True,
        "",
        "防爆轮式机器人自动识别跑冒滴漏与仪表读数，替代人工巡检。",
    ),
    (
        "挥发性有机物（VOCs）深度回收治理技术",
        F.RESOURCES_ENVIRONMENT,
        7,
        2022,
        S.TRANSFERRED,
        M.LICENSING,
        True,
        "",
        "冷凝与吸附组合工艺，储罐区VOCs回收率达97%以上。",
    ),
    (
        "含油污泥热解资源化处理技术",
        F.RESOURCES_ENVIRONMENT,
        6,
        2023,
        S.NOT_TRANSFERRED,
        "",
        True,
        "",
        "含油污泥低温热解回收油品，残渣含油率低于0.3%。",
    ),
    (
        "聚丙烯高熔指纤维料",
        F.NEW_MATERIALS,
        8,
        2023,
        S.TRANSFERRED,
        M.ASSIGNMENT,
        True,
        "",
        "可控流变技术生产高熔指聚丙烯，用于熔喷无纺布。",
    ),
    (
        "加氢催化剂器外再生技术",
        F.NEW_MATERIALS,
        5,
        2024,
        S.NOT_TRANSFERRED,
        "",
        False,
        "",
        "失活加氢催化剂器外再生，活性恢复至新剂的90%以上（内部评估中）。",
    ),
    (
        "工业循环水余热回收利用系统",
        F.NEW_ENERGY,
        7,
        2022,
        S.TRANSFERRED,
        M.COOPERATION,
        True,
        "",
        "吸收式热泵回收循环水余热为城区供暖。",
    ),
    (
        "长输管道腐蚀在线监测系统",
        F.ELECTRONIC_INFORMATION,
        6,
        2024,
        S.TRANSFERRING,
        M.LICENSING,
        True,
        "",
        "电感探针与物联网传输结合，实时评估管道腐蚀速率。",
    ),
    (
        "石化园区安全风险智能预警平台",
        F.ELECTRONIC_INFORMATION,
        7,
        2023,
        S.TRANSFERRED,
        M.COOPERATION,
        True,
        "",
        "汇聚园区视频、气体与工艺数据，分级预警重大危险源。",
    ),
    (
        "光伏制氢与炼化耦合示范",
        F.NEW_ENERGY,
        4,
        2025,
        S.NOT_TRANSFERRED,
        "",
        False,
        "",
        "绿电制氢替代部分天然气制氢的可行性研究与小试（内部）。",
    ),
    (
        "可生物降解PBAT改性料",
        F.NEW_MATERIALS,
        5,
        2024,
        S.NOT_TRANSFERRED,
        "",
        True,
        "",
        "PBAT与淀粉共混改性，用于地膜与购物袋。",
    ),
    (
        "高性能道路沥青改性剂",
        F.NEW_MATERIALS,
        7,
        2024,
        S.TRANSFERRED,
        M.ASSIGNMENT,
        True,
        "",
        "SBS改性沥青耐低温开裂，适应北疆冬季气候。",
    ),
    (
        "炼化污水膜法深度处理回用技术",
        F.RESOURCES_ENVIRONMENT,
        6,
        2025,
        S.TRANSFERRING,
        M.COOPERATION,
        True,
        "",
        "超滤与反渗透双膜工艺，污水回用率超过70%。",
    ),
    (
        "智慧消防物联网监测系统",
        F.ELECTRONIC_INFORMATION,
        8,
        2023,
        S.TRANSFERRED,
        M.ASSIGNMENT,
        True,
        "",
        "推进“智慧消防”建设：烟感、水压与电气火灾监测统一接入平台。",
    ),
    (
        "基层远程医疗会诊平台",
        F.BIO_MEDICINE,
        7,
        2022,
        S.TRANSFERRED,
        M.COOPERATION,
        True,
        "",
        "面向社区卫生服务站的远程会诊与影像协同。",
    ),
    (
        "乙烯裂解炉结焦预测模型",
        F.ELECTRONIC_INFORMATION,
        5,
        2025,
        S.NOT_TRANSFERRED,
        "",
        False,
        "",
        "基于运行数据的结焦趋势预测，尚在内部验证。",
    ),
    (
        "合成橡胶装置节能降耗集成技术",
        F.NEW_ENERGY,
        6,
        2024,
        S.NOT_TRANSFERRED,
        "",
        False,
        "新疆大学",
        "聚合与凝聚工段热集成优化（内部）。",
    ),
)
# Target district-seller totals (yuan) per year, near the demo figures of indicator 8.
TARGETS = {
    2021: Decimal("16800000"),
    2022: Decimal("24600000"),
    2023: Decimal("31200000"),
    2024: Decimal("39500000"),
    2025: Decimal("52800000"),
}
CONTRACT_TOPICS = (
    ("development", "聚烯烃新牌号开发"),
    ("development", "催化剂配方优化研究"),
    ("service", "装置能效诊断与优化服务"),
    ("service", "产品质量检测与分析服务"),
    ("consulting", "园区安全风险评估咨询"),
    ("transfer", "专利技术转让"),
    ("licensing", "专利实施许可"),
    ("service", "激光熔覆修复技术服务"),
    ("development", "工业软件定制开发"),
    ("consulting", "节能减排技术咨询"),
)
BUYERS = (
    ("新疆某石化装备有限公司（演示）", "新疆昌吉州"),
    ("甘肃某新材料股份有限公司（演示）", "甘肃兰州市"),
    ("四川某化工科技有限公司（演示）", "四川成都市"),
    ("陕西某能源集团有限公司（演示）", "陕西西安市"),
    ("哈萨克斯坦某石油服务公司（演示）", "哈萨克斯坦阿拉木图"),
    ("乌鲁木齐某环保工程有限公司（演示）", "新疆乌鲁木齐市"),
)
OUTSIDE_SELLERS = (
    ("上海某化工研究院（演示）", "上海市"),
    ("北京某信息技术有限公司（演示）", "北京市"),
)
CENT = Decimal("0.01")


@dataclass
class AchievementDemoReport:
    achievements: int = 0
    contracts: int = 0
    published_years: int = 0


def _district_firms() -> list[Enterprise]:
    return list(
        Enterprise.objects.filter(is_demo=True, in_district=True)
        .exclude(high_tech_field="")
        .order_by("uscc")[:40]
    )


def _achievements(firms: list[Enterprise], admin) -> int:
    existing = set(Achievement.objects.filter(is_demo=True).values_list("title", flat=True))
    by_field: dict[str, list[Enterprise]] = {}
    for e in firms:
        by_field.setdefault(e.high_tech_field, []).append(e)
    made = 0
    for i, (title, field, trl, year, status, mode, public, co, abstract) in enumerate(ACHIEVEMENTS):
        if title in existing:
            continue
        pool = by_field.get(field) or firms
        owner = pool[i % len(pool)] if pool else None
        owners = [owner.organization] if owner else []
        a = Achievement(
            title=title,
            field=field,
            trl=trl,
            year=year,
            transfer_status=status,
            transfer_mode=mode,
            is_public=public,
            co_owners=co if owner else "、".join(x for x in (co, "独山子区演示企业") if x),
            abstract=abstract,
            created_by=admin,
            is_demo=True,
        )
        services.index(a, owners)
        a.save()
        a.owners.set(owners)
        if owner is not None:
            a.ip.set(IntellectualProperty.objects.filter(enterprise=owner).order_by("pk")[:2])
        made += 1
    return made


def _split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total / Decimal(str(sum(weights)))
    amounts = [(Decimal(str(w)) * scale).quantize(CENT, ROUND_HALF_UP) for w in weights]
    amounts[-1] += total - sum(amounts)  # the rounding remainder, so the year sums exactly
    return amounts


def _contracts(firms: list[Enterprise], admin, today: dt.date, rng: random.Random) -> int:
    transferred = list(Achievement.objects.filter(is_demo=True, transfer_status=S.TRANSFERRED))
    rows = []
    for year, total in TARGETS.items():
        if year > today.year:
            continue
        n = 6 + (year - 2021) % 3
        for j, amount in enumerate(_split(total, n, rng)):
            kind, topic = CONTRACT_TOPICS[(year + j) % len(CONTRACT_TOPICS)]
            seller = firms[(year * 7 + j) % len(firms)] if firms else None
            buyer_name, buyer_region = BUYERS[(year + j) % len(BUYERS)]
            share = Decimal(str(rng.uniform(0.72, 0.95))) if kind != "service" else Decimal(1)
            rows.append(
                dict(
                    registration_number=f"{year}6502020{j + 1:05d}",
                    registered_on=dt.date(year, 1 + (j * 2) % 12, 5 + j),
                    kind=kind,
                    title=f"{topic}（演示）",
                    seller=seller,
                    seller_name=seller.name if seller else f"独山子区演示科技企业{j + 1}",
                    seller_region="新疆克拉玛依市独山子区",
                    seller_in_district=True,
                    buyer_name=buyer_name,
                    buyer_region=buyer_region,
                    amount=amount,
                    trade_value=(amount * share).quantize(CENT, ROUND_HALF_UP),
                    field=seller.high_tech_field if seller else "",
                    achievement=transferred[j % len(transferred)]
                    if j < 2 and transferred
                    else None,
                )
            )
        # Not counted in indicator 8: an outside seller selling to a district firm.
        name, region = OUTSIDE_SELLERS[year % len(OUTSIDE_SELLERS)]
        buyer = firms[year % len(firms)] if firms else None
        rows.append(
            dict(
                registration_number=f"{year}6502029{1:05d}",
                registered_on=dt.date(year, 11, 18),
                kind="development",
                title="智能工厂数字化改造技术开发（演示）",
                seller=None,
                seller_name=name,
                seller_region=region,
                seller_in_district=False,
                buyer=buyer,
                buyer_name=buyer.name if buyer else "独山子区演示企业",
                buyer_region="新疆克拉玛依市独山子区",
                amount=Decimal("2400000.00"),
                trade_value=Decimal("2100000.00"),
            )
        )
    existing = set(TechContract.objects.values_list("registration_number", flat=True))
    fresh = [
        TechContract(**r, year=r["registered_on"].year, created_by=admin, is_demo=True)
        for r in rows
        if r["registration_number"] not in existing and r["registered_on"] <= today
    ]
    return len(TechContract.objects.bulk_create(fresh))


def _publish_where_empty(admin) -> int:
    """Publish a demo year only if the indicator holds no figure at all for it."""
    if admin is None:
        return 0
    published = 0
    for year in TARGETS:
        held = DataValue.objects.filter(
            element__code__in=[services.CONTRACT_VALUE, services.TRADE_VALUE], year=year
        ).exists()
        if not held and services.district_totals(year).contracts:
            services.publish_contract_totals(admin, year)
            published += 1
    return published


def load_achievements_demo(
    seed: int = 2025, *, today: dt.date | None = None
) -> AchievementDemoReport:
    """Create the demo achievements and contracts not there yet; running it again adds nothing."""
    today = today or timezone.localdate()
    admin = get_user_model().objects.filter(role="admin", is_active=True).order_by("pk").first()
    with transaction.atomic():
        firms = _district_firms()
        report = AchievementDemoReport(achievements=_achievements(firms, admin))
        report.contracts = _contracts(firms, admin, today, random.Random(seed))
        report.published_years = _publish_where_empty(admin)
    return report


def remove_achievements_demo() -> dict[str, int]:
    """Delete the demo contracts and achievements. Run before the enterprise demo is removed:
    demo contracts name demo enterprises."""
    contracts = TechContract.objects.filter(is_demo=True)
    achievements = Achievement.objects.filter(is_demo=True)
    with transaction.atomic():
        counts = {"tech contracts": contracts.count(), "achievements": achievements.count()}
        contracts.delete()
        achievements.delete()
    return counts
