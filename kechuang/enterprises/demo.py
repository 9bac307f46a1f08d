"""Synthetic demo enterprises for Dushanzi: flagged ``is_demo``, reproducible, removable.

About 300 enterprises of a petrochemical district: a few large 规上 firms, a band of tech firms
that would pass the HNTE criteria, a band that nearly would, tech SMEs, and many ordinary small
firms; 2022–2025 figures, IP, titles (about 20 valid HNTE certificates, several expiring within
six months, about 40 tech-SME registrations) and a few incidents and listings. Every name and
number is invented; each USCC carries a correct check character (python-stdnum).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from kechuang.accounts.models import Organization
from kechuang.enterprises.codes import load_industry_codes
from kechuang.enterprises.models import (
    Certification,
    Enterprise,
    EnterpriseEvent,
    Industry,
    IntellectualProperty,
    Park,
    YearlyFigures,
)
from kechuang.enterprises.services import default_expiry, organization_code

DEMO_USERNAME = "enterprise_demo"
YEARS = (2022, 2023, 2024, 2025)
SOURCE = "演示数据（合成）/ demo (synthetic)"
CENT = Decimal("0.01")
WAN = Decimal(10_000)
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

PARKS = (
    ("dsz-etdz", "独山子经济技术开发区", "Dushanzi Economic and Technological Development Zone"),
    ("dsz-petrochem", "独山子石化产业园", "Dushanzi Petrochemical Industrial Park"),
    ("dsz-innovation", "独山子科技创业园", "Dushanzi Science and Technology Start-up Park"),
)
BRANDS = (
    "恒泰",
    "天利",
    "鑫源",
    "华瑞",
    "博远",
    "宏达",
    "金岳",
    "瑞丰",
    "新拓",
    "中科",
    "西域",
    "天山",
    "北疆",
    "昆仑",
    "众诚",
    "汇通",
    "德润",
    "盛华",
    "蓝海",
    "聚能",
    "远航",
    "景辉",
    "锦程",
    "安泰",
    "晨光",
    "万邦",
    "泽润",
    "卓越",
    "海川",
    "奎屯河",
    "玛纳斯",
    "准噶尔",
    "丝路",
    "金泉",
    "石城",
)
# industry code → (name endings, high-tech field for its tech firms)
TRADES = {
    "C26": (("新材料", "精细化工", "化工科技"), "新材料"),
    "C25": (("石化", "能源化工"), "新材料"),
    "C29": (("塑业", "橡塑新材料"), "新材料"),
    "C35": (("石化装备", "智能装备"), "先进制造与自动化"),
    "C34": (("机械", "压缩机"), "先进制造与自动化"),
    "C38": (("电气", "电力科技"), "先进制造与自动化"),
    "C40": (("仪器仪表", "自动化仪表"), "先进制造与自动化"),
    "C42": (("资源再生", "循环科技"), "资源与环境"),
    "D44": (("热电", "新能源"), "新能源与节能"),
    "I65": (("信息技术", "软件"), "电子信息"),
    "M74": (("检测技术", "工程技术"), "高技术服务"),
    "M73": (("化工研究院", "新材料研究院"), "新材料"),
    "N77": (("环保科技", "环境工程"), "资源与环境"),
    "G54": (("物流", "运输"), ""),
    "G59": (("储运", "仓储"), ""),
    "E48": (("工程建设", "防腐工程"), ""),
    "F51": (("商贸", "化工贸易"), ""),
    "L72": (("咨询服务", "安全技术服务"), "高技术服务"),
}
TECH_TRADES = ("C26", "C26", "C29", "C35", "C40", "C42", "I65", "M74", "M73", "N77", "C38")
ORDINARY_TRADES = (
    "C26",
    "C25",
    "C29",
    "C34",
    "C35",
    "G54",
    "G59",
    "E48",
    "F51",
    "L72",
    "C42",
    "D44",
    "M74",
)
IP_TITLES = (
    "一种聚烯烃催化剂及其制备方法",
    "一种乙烯裂解炉节能装置",
    "一种含油污泥处理系统",
    "一种高密度聚乙烯管材配方",
    "一种反应釜温度控制装置",
    "一种橡胶改性剂的制备方法",
    "一种防腐涂层及其施工工艺",
    "一种管道泄漏监测系统",
    "一种废催化剂回收方法",
    "一种压缩机密封结构",
    "一种化工园区安全巡检机器人",
    "一种可降解塑料薄膜",
)
SOFTWARE_TITLES = (
    "生产过程监控系统",
    "设备全生命周期管理平台",
    "危化品运输调度系统",
    "实验室信息管理系统",
    "能耗在线监测软件",
    "安全生产风险预警平台",
)

# How many of each profile, and what the later rules will make of them.
PROFILES = (
    ("large", 8),  # 规上 big firms; some qualify for HNTE at 3% R&D above 2亿
    ("hnte", 45),  # would pass the HNTE criteria
    ("near", 45),  # one criterion short (R&D, staff share or high-tech income)
    ("tech_sme", 60),  # tech SMEs, not HNTE material yet
    ("ordinary", 142),  # ordinary small firms
)


@dataclass
class _Spec:
    uscc: str
    name: str
    profile: str
    trade: str
    park: str | None
    registered_on: dt.date
    ownership: str
    field: str
    in_district: bool
    figures: list[dict] = field(default_factory=list)
    ip: list[dict] = field(default_factory=list)
    certifications: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    declarations: dict = field(default_factory=dict)


def _money(x: float) -> Decimal:
    return Decimal(str(x)).quantize(CENT, ROUND_HALF_UP)


def _uscc(rng: random.Random, region: str) -> str:
    # New registrations since 2015 carry "MA" and a serial in the organisation-code part.
    body = f"91{region}MA" + "".join(rng.choice(ALPHABET) for _ in range(7))
    return body + stdnum_uscc.calc_check_digit(body)


def _patent(rng: random.Random, year: int, type_digit: str) -> str:
    from kechuang.enterprises.checks import patent_check_digit

    digits = f"{year}{type_digit}{rng.randrange(10**7):07d}"
    return f"{digits}.{patent_check_digit(digits)}"


def _figures(rng: random.Random, profile: str, first_year: int) -> list[dict]:
    base = {
        "large": (5e8, 6e9, 600, 3000),
        "hnte": (5e6, 1.5e8, 30, 400),
        "near": (4e6, 1e8, 25, 350),
        "tech_sme": (1e6, 3e7, 10, 120),
        "ordinary": (5e5, 2.5e7, 5, 90),
    }[profile]
    # Log-uniform: in a district most firms are small, a few are very large.
    revenue = math.exp(rng.uniform(math.log(base[0]), math.log(base[1])))
    employees = rng.randint(base[2], base[3])
    near_gap = rng.choice(("rd", "staff", "income"))
    out = []
    for year in YEARS:
        if year < first_year:
            continue
        revenue *= rng.uniform(0.92, 1.15)
        employees = max(3, round(employees * rng.uniform(0.97, 1.1)))
        rd_ratio = {
            "large": rng.uniform(0.012, 0.035),
            "hnte": rng.uniform(0.055, 0.09),
            "near": rng.uniform(0.036, 0.048) if near_gap == "rd" else rng.uniform(0.052, 0.07),
            "tech_sme": rng.uniform(0.03, 0.06),
            "ordinary": rng.uniform(0.0, 0.015),
        }[profile]
        st_share = {
            "large": rng.uniform(0.08, 0.16),
            "hnte": rng.uniform(0.14, 0.35),
            "near": rng.uniform(0.07, 0.095) if near_gap == "staff" else rng.uniform(0.12, 0.25),
            "tech_sme": rng.uniform(0.1, 0.28),
            "ordinary": rng.uniform(0.0, 0.08),
        }[profile]
        ht_share = {
            "large": rng.uniform(0.3, 0.7),
            "hnte": rng.uniform(0.65, 0.92),
            "near": rng.uniform(0.5, 0.58) if near_gap == "income" else rng.uniform(0.62, 0.8),
            "tech_sme": rng.uniform(0.2, 0.55),
            "ordinary": 0.0,
        }[profile]
        main = revenue * rng.uniform(0.9, 0.99)
        other = revenue - main
        non_taxable = rng.choice((0, 0, rng.uniform(5e4, 5e5)))
        total_income = revenue * rng.uniform(1.0, 1.03) + non_taxable
        rd = revenue * rd_ratio
        parts = {
            "rd_personnel": rd * 0.5,
            "rd_direct_inputs": rd * 0.26,
            "rd_depreciation": rd * 0.08,
            "rd_amortization": rd * 0.02,
            "rd_design": rd * 0.03,
            "rd_trials": rd * 0.03,
            "rd_outsourced_domestic": rd * 0.05,
            "rd_outsourced_overseas": rd * (0.01 if profile == "large" else 0.0),
            "rd_other": rd * 0.02,
        }
        money = {k: _money(v) for k, v in parts.items()}
        rd_total = sum(money.values())
        st = round(employees * st_share)
        assets = revenue * rng.uniform(0.8, 2.0)
        liabilities = assets * rng.uniform(0.3, 0.7)
        profit = revenue * rng.uniform(-0.04, 0.12)
        high_tech = (total_income - non_taxable) * ht_share * 0.9
        technical = (total_income - non_taxable) * ht_share * 0.1
        row = {
            "year": year,
            "operating_revenue": _money(main) + _money(other),
            "main_revenue": _money(main),
            "other_revenue": _money(other),
            "total_income": _money(total_income),
            "non_taxable_income": _money(non_taxable),
            "high_tech_income": _money(high_tech),
            "technical_income": _money(technical),
            **money,
            "rd_domestic": rd_total - money["rd_outsourced_overseas"],
            "employees": Decimal(employees),
            "st_staff": Decimal(st),
            "rd_staff": Decimal(round(st * rng.uniform(0.5, 0.8))),
            "total_assets": _money(assets),
            "liabilities": _money(liabilities),
            "net_profit": _money(profit),
            "cost_and_expense_total": _money(revenue - profit),
        }
        row["net_assets"] = row["total_assets"] - row["liabilities"]
        out.append(row)
    return out


def _ip(rng: random.Random, profile: str, registered: dt.date) -> list[dict]:
    counts = {
        "large": (rng.randint(3, 8), rng.randint(8, 20), rng.randint(1, 4)),
        "hnte": (rng.randint(1, 3), rng.randint(3, 8), rng.randint(0, 3)),
        "near": (0, rng.randint(2, 4), rng.randint(0, 2)),
        "tech_sme": (rng.choice((0, 0, 1)), rng.randint(1, 4), rng.randint(0, 2)),
        "ordinary": (0, rng.choice((0, 0, 0, 1, 2)), 0),
    }[profile]
    out = []
    first = max(registered.year + 1, 2016)
    for kind, type_digit, n in (
        ("invention_patent", "1", counts[0]),
        ("utility_model", "2", counts[1]),
        ("software_copyright", "", counts[2]),
    ):
        for _ in range(n):
            year = rng.randint(min(first, 2025), 2025)
            applied = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            granted = applied + dt.timedelta(
                days=rng.randint(150, 900 if type_digit == "1" else 300)
            )
            if granted > dt.date(2026, 10, 31):
                granted = None
            if kind == "software_copyright":
                number = f"{year}SR{rng.randrange(10**7):07d}"
                title = rng.choice(SOFTWARE_TITLES) + f" V{rng.randint(1, 5)}.0"
                granted = applied + dt.timedelta(days=rng.randint(20, 90))
            else:
                number = _patent(rng, year, type_digit)
                title = rng.choice(IP_TITLES)
            out.append(
                {
                    "kind": kind,
                    "ip_class": "I" if kind == "invention_patent" else "II",
                    "number": number,
                    "title": title,
                    "applied_on": applied,
                    "granted_on": granted,
                    "status": "granted" if granted else "applied",
                    "acquisition": "self_developed" if rng.random() < 0.85 else "transferred",
                    "ownership": "sole" if rng.random() < 0.9 else "co_owned",
                }
            )
    return out


def _specs(seed: int, today: dt.date) -> list[_Spec]:
    rng = random.Random(seed)
    names: set[str] = set()
    specs: list[_Spec] = []
    for profile, n in PROFILES:
        for _ in range(n):
            trade = rng.choice(
                ("C25", "C26", "C26", "C29", "C35", "D44")
                if profile == "large"
                else TECH_TRADES
                if profile in {"hnte", "near", "tech_sme"}
                else ORDINARY_TRADES
            )
            endings, tech_field = TRADES[trade]
            form = "股份有限公司" if profile == "large" else "有限公司"
            while True:
                name = f"新疆独山子{rng.choice(BRANDS)}{rng.choice(endings)}{form}"
                if name not in names:
                    break
                name = name.replace("新疆独山子", f"新疆独山子{rng.choice('东西南北')}")
                if name not in names:
                    break
            names.add(name)
            in_district = rng.random() > 0.04
            age = rng.randint(8, 30) if profile == "large" else rng.randint(1, 15)
            registered = dt.date(2026 - age, rng.randint(1, 12), rng.randint(1, 28))
            spec = _Spec(
                uscc=_uscc(rng, "650202" if in_district else "650203"),
                name=name,
                profile=profile,
                trade=trade,
                park=rng.choice([p[0] for p in PARKS] + [None]),
                registered_on=registered,
                ownership=rng.choice(("state_owned", "private"))
                if profile == "large"
                else rng.choice(("private",) * 8 + ("collective", "foreign", "hmt", "other")),
                field=tech_field if profile in {"large", "hnte", "near", "tech_sme"} else "",
                in_district=in_district,
            )
            spec.figures = _figures(rng, profile, registered.year + 1)
            spec.ip = _ip(rng, profile, registered)
            specs.append(spec)
    _titles(rng, specs, today)
    _events(rng, specs, today)
    # A separate stream, so the declarations leave every other figure of the demo as it was.
    _declarations(random.Random(seed * 7 + 1), specs)
    return specs


# How many of each profile declare what the rules need besides the figures: residency and
# products (科技型中小企业), and for HNTE also the 研发组织管理 elements, the yearly 科技成果转化
# and a pre-assessment's view of the IP. The rest declare nothing and stay "needs review".
FULLY_DECLARED = {"hnte": 14, "near": 6}
STANDING_DECLARED = {"large": 8, "tech_sme": 25}
RESTRICTED_PRODUCTS = 2  # ordinary firms declaring products of a 淘汰类 category


_STAFF = ("year", "employees", "st_staff", "rd_staff", "conversions")


def _grow(figures: list[dict], rate: float) -> None:
    """A fast-growing firm: every amount of year k scaled by rate**k, so that its shares (R&D,
    high-tech income) stay as drawn and the HNTE growth indicators score high."""
    for k, row in enumerate(figures):
        scale = Decimal(str(rate**k))
        for key, value in row.items():
            if key not in _STAFF:
                row[key] = (value * scale).quantize(CENT, ROUND_HALF_UP)
        row["operating_revenue"] = row["main_revenue"] + row["other_revenue"]
        rd_total = sum(row[k] for k in YearlyFigures.RD_PARTS)
        row["rd_domestic"] = rd_total - row["rd_outsourced_overseas"]
        row["net_assets"] = row["total_assets"] - row["liabilities"]


def _declarations(rng: random.Random, specs: list[_Spec]) -> None:
    by_profile: dict[str, list[_Spec]] = {}
    for s in specs:
        by_profile.setdefault(s.profile, []).append(s)
    for profile, n in FULLY_DECLARED.items():
        for i, s in enumerate(by_profile[profile][:n]):
            s.declarations = {"resident": True, "restricted_products": False}
            s.declarations |= {k: True for k in Enterprise.MANAGEMENT_FIELDS}
            if i % 5 == 4:  # a few without an open innovation platform or talent recruitment
                s.declarations["open_innovation_platform"] = False
                s.declarations["talent_recruitment"] = False
            strong = profile == "hnte"
            s.declarations["ip_advancement"] = "high" if strong else "fairly_high"
            s.declarations["ip_core_support"] = "strong" if strong else "fairly_strong"
            low, high = (5, 9) if profile == "hnte" else (1, 4)
            for row in s.figures:
                row["conversions"] = rng.randint(low, high)
            if profile == "hnte":
                _grow(s.figures, rng.uniform(1.3, 1.45))
    for profile, n in STANDING_DECLARED.items():
        for s in by_profile[profile][:n]:
            s.declarations = {"resident": True, "restricted_products": False}
    for s in by_profile["ordinary"][-RESTRICTED_PRODUCTS:]:
        s.declarations = {"resident": True, "restricted_products": True}


def _titles(rng: random.Random, specs: list[_Spec], today: dt.date) -> None:
    """About 20 valid HNTE certificates (6 expiring within six months), a few expired ones,
    about 40 tech-SME registrations this year, and some 梯度培育 titles."""
    hnte = [s for s in specs if s.profile == "hnte"] + [s for s in specs if s.profile == "large"][
        :2
    ]
    for i, s in enumerate(hnte[:22]):
        if i < 6:  # expiring within six months: issued just under three years ago
            issued = today - dt.timedelta(days=3 * 365 - rng.randint(20, 170))
        else:
            issued = today - dt.timedelta(days=rng.randint(60, 900))
        s.certifications.append({"kind": "hnte", "issued_on": issued})
    for s in hnte[22:27] + [x for x in specs if x.profile == "near"][:3]:
        s.certifications.append(
            {"kind": "hnte", "issued_on": today - dt.timedelta(days=rng.randint(1200, 1700))}
        )
    smes = [s for s in specs if s.profile in {"tech_sme", "hnte", "near"}]
    rng.shuffle(smes)
    for s in smes[:40]:
        issued = dt.date(today.year, rng.randint(3, 9), rng.randint(1, 28))
        s.certifications.append({"kind": "tech_sme", "issued_on": min(issued, today)})
    for s in [x for x in specs if x.profile == "hnte"][:10]:
        s.certifications.append(
            {"kind": "innovative_sme", "issued_on": today - dt.timedelta(days=rng.randint(90, 700))}
        )
    for s in [x for x in specs if x.profile == "hnte"][10:14]:
        s.certifications.append(
            {
                "kind": "specialized_sme",
                "issued_on": today - dt.timedelta(days=rng.randint(90, 700)),
            }
        )
    specs[0].certifications.append(
        {"kind": "little_giant", "issued_on": today - dt.timedelta(days=400)}
    )


def _events(rng: random.Random, specs: list[_Spec], today: dt.date) -> None:
    ordinary = [s for s in specs if s.profile == "ordinary"]
    for s, kind, text in zip(
        ordinary[:4],
        ("safety", "environmental", "quality", "safety"),
        (
            "动火作业引发火灾，造成人员受伤",
            "废水超标排放被处罚",
            "产品抽检不合格被通报",
            "储罐泄漏事故",
        ),
        strict=True,
    ):
        s.events.append(
            {
                "category": "incident",
                "kind": kind,
                "description": text,
                "date": today - dt.timedelta(days=rng.randint(30, 700)),
            }
        )
    for i, s in enumerate(ordinary[4:8]):
        listed = today - dt.timedelta(days=rng.randint(60, 900))
        s.events.append(
            {
                "category": "listing",
                "kind": "serious_dishonesty" if i == 0 else "abnormal_operation",
                "date": listed,
                "ended_on": listed + dt.timedelta(days=180) if i == 3 else None,
                "description": "未按期公示年度报告" if i else "列入严重违法失信名单",
            }
        )
    tech = [s for s in specs if s.profile in {"large", "hnte"}]
    for s in tech[:6]:
        s.events.append(
            {
                "category": "award",
                "level": rng.choice(("provincial", "municipal")),
                "rank": rng.randint(1, 3),
                "name": "新疆维吾尔自治区科学技术进步奖（演示）",
                "date": dt.date(rng.randint(2022, 2025), 12, 20),
            }
        )
    for s in tech[6:11]:
        s.events.append(
            {
                "category": "standard",
                "level": rng.choice(("industry", "group")),
                "role": rng.choice(("lead", "participate")),
                "name": "化工园区安全管理规范（演示）",
                "date": dt.date(rng.randint(2021, 2025), rng.randint(1, 12), 1),
            }
        )
    for s in tech[11:19]:
        s.events.append(
            {
                "category": "institution",
                "level": rng.choice(("provincial", "municipal")),
                "name": f"{s.name[5:9]}工程技术研究中心（演示）",
                "date": dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1),
            }
        )


@dataclass
class EnterpriseDemoReport:
    enterprises: int = 0
    figures: int = 0
    ip: int = 0
    certifications: int = 0
    events: int = 0
    users: int = 0


def load_enterprise_demo(seed: int = 2025, *, today: dt.date | None = None) -> EnterpriseDemoReport:
    """Create the demo enterprises that are not there yet; running it again adds nothing."""
    from kechuang.web.demo import DEMO_PASSWORD

    today = today or timezone.localdate()
    report = EnterpriseDemoReport()
    with transaction.atomic():
        if not Industry.objects.exists():
            load_industry_codes()
        industries = dict(Industry.objects.values_list("code", "pk"))
        parks = {}
        for code, name, name_en in PARKS:
            park, _ = Park.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": name_en, "is_demo": True}
            )
            parks[code] = park.pk
        specs = _specs(seed, today)
        existing = set(
            Enterprise.objects.filter(uscc__in=[s.uscc for s in specs]).values_list(
                "uscc", flat=True
            )
        )
        fresh = [s for s in specs if s.uscc not in existing]
        orgs = Organization.objects.bulk_create(
            [
                Organization(
                    code=organization_code(s.uscc),
                    name=s.name,
                    kind=Organization.Kind.ENTERPRISE,
                    is_demo=True,
                )
                for s in fresh
            ]
        )
        firms = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    uscc=s.uscc,
                    name=s.name,
                    registered_on=s.registered_on,
                    address=f"新疆克拉玛依市独山子区{s.name[5:7]}路{(i % 90) + 1}号（演示）",
                    industry_id=industries[s.trade],
                    park_id=parks[s.park] if s.park else None,
                    ownership=s.ownership,
                    high_tech_field=s.field,
                    organization=org,
                    in_district=s.in_district,
                    is_demo=True,
                    **s.declarations,
                )
                for i, (s, org) in enumerate(zip(fresh, orgs, strict=True))
            ]
        )
        figures, ip, certs, events = [], [], [], []
        now = timezone.now()
        for s, e in zip(fresh, firms, strict=True):
            for row in s.figures:
                pending = row["year"] == YEARS[-1] and zlib.crc32(s.uscc.encode()) % 4 == 0
                figures.append(
                    YearlyFigures(
                        enterprise=e,
                        source=SOURCE,
                        status="submitted" if pending else "approved",
                        submitted_at=now,
                        approved_at=None if pending else now,
                        is_demo=True,
                        **row,
                    )
                )
            ip += [IntellectualProperty(enterprise=e, is_demo=True, **r) for r in s.ip]
            for c in s.certifications:
                certs.append(
                    Certification(
                        enterprise=e,
                        kind=c["kind"],
                        issued_on=c["issued_on"],
                        expires_on=default_expiry(c["kind"], c["issued_on"]),
                        number=f"GR{c['issued_on'].year}65{zlib.crc32(e.uscc.encode()) % 10**6:06d}"
                        if c["kind"] == "hnte"
                        else "",
                        issuer="新疆维吾尔自治区科学技术厅等（演示）"
                        if c["kind"] == "hnte"
                        else "",
                        is_demo=True,
                    )
                )
            events += [EnterpriseEvent(enterprise=e, is_demo=True, **ev) for ev in s.events]
        report.enterprises = len(firms)
        report.figures = len(YearlyFigures.objects.bulk_create(figures, batch_size=2000))
        report.ip = len(IntellectualProperty.objects.bulk_create(ip, batch_size=2000))
        report.certifications = len(Certification.objects.bulk_create(certs, batch_size=2000))
        report.events = len(EnterpriseEvent.objects.bulk_create(events, batch_size=2000))
        report.users = _demo_user(specs, DEMO_PASSWORD)
    return report


def _demo_user(specs: list[_Spec], password: str) -> int:
    """``enterprise_demo`` belongs to a firm one criterion short of HNTE: the gap analysis
    later has something to say to it."""
    User = get_user_model()
    if User.objects.filter(username=DEMO_USERNAME).exists():
        return 0
    target = next(s for s in specs if s.profile == "near")
    org = Organization.objects.get(code=organization_code(target.uscc))
    user = User(
        username=DEMO_USERNAME,
        display_name="企业演示用户",
        role=User.Role.ENTERPRISE,
        organization=org,
        is_demo=True,
    )
    user.set_password(password)
    user.save()
    return 1


def remove_enterprise_demo() -> dict[str, int]:
    """Delete every demo enterprise with all it holds, its organisation and users, and the demo
    parks no real enterprise sits in. Real records are untouched."""
    User = get_user_model()
    with transaction.atomic():
        demo = Enterprise.objects.filter(is_demo=True)
        org_ids = list(demo.values_list("organization_id", flat=True))
        members = User.objects.filter(organization_id__in=org_ids)
        # A real account someone attached to a demo enterprise survives, detached.
        members.filter(is_demo=False).update(organization=None)
        counts = {
            "users": members.filter(is_demo=True).delete()[0],
            "figures": YearlyFigures.objects.filter(enterprise__is_demo=True).delete()[0],
            "ip": IntellectualProperty.objects.filter(enterprise__is_demo=True).delete()[0],
            "certifications": Certification.objects.filter(enterprise__is_demo=True).delete()[0],
            "events": EnterpriseEvent.objects.filter(enterprise__is_demo=True).delete()[0],
            "enterprises": demo.delete()[0],
        }
        Organization.objects.filter(pk__in=org_ids).delete()
        counts["parks"] = Park.objects.filter(is_demo=True, enterprises__isnull=True).delete()[0]
    return counts
