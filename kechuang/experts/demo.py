"""Synthetic demo experts: flagged ``is_demo``, reproducible, removable.

About 60 experts over all eight high-tech fields, eight of them in the 科技金融 library, a few
unavailable (one only until next month, one from next week, one indefinitely, one whose period
is over), declared relationships and collaborations (some with demo enterprises when those are
loaded), and the login ``expert_demo`` linked to one of them. Every name and number is invented;
each ID number has a correct check digit.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from kechuang.accounts.models import Organization
from kechuang.enterprises.models import Enterprise
from kechuang.experts import identity, services
from kechuang.experts.models import Collaboration, Expert, ExpertField, Relationship

DEMO_USERNAME = "expert_demo"
ORG_PREFIX = "demo-expert-"
COUNT = 60
FINANCE = 8
SEED = 2026

INSTITUTIONS = (
    ("univ", "准噶尔理工学院"),
    ("petro", "北疆石化技术研究院"),
    ("materials", "天池新材料研究所"),
    ("bio", "昆仑生物医药研究中心"),
    ("energy", "独山子能源技术研究中心"),
)
OTHER_UNITS = (
    "奎屯河环境科学研究院",
    "玛纳斯先进制造技术中心",
    "西域信息技术研究所",
    "天山航空工程学院",
    "克拉玛依高技术服务研究院",
)
FINANCE_UNITS = (
    "克拉玛依科创投资基金管理公司",
    "西域会计师事务所",
    "北疆银行科技支行",
    "天山知识产权评估中心",
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = (
    "建国",
    "海燕",
    "志强",
    "丽娟",
    "晓东",
    "文静",
    "国华",
    "雪梅",
    "立新",
    "春花",
    "振宇",
    "秀英",
    "明远",
    "佳琪",
    "永刚",
    "慧敏",
    "天翔",
    "红霞",
    "德胜",
    "思远",
)
TITLES = (
    ("senior", "教授级高级工程师"),
    ("senior", "研究员"),
    ("senior", "教授"),
    ("associate", "高级工程师"),
    ("associate", "副教授"),
    ("associate", "副研究员"),
    ("intermediate", "工程师"),
)
FINANCE_TITLES = (
    ("senior", "正高级经济师"),
    ("associate", "高级会计师"),
    ("associate", "高级经济师"),
)
SPECIALTIES = {
    "电子信息": "工业控制软件、物联网",
    "生物与新医药": "药物制剂、生物检测",
    "航空航天": "无人机系统",
    "新材料": "聚烯烃改性、高分子材料",
    "高技术服务": "检验检测、科技咨询",
    "新能源与节能": "炼化节能、氢能利用",
    "资源与环境": "石化废水处理、VOCs 治理",
    "先进制造与自动化": "石化装备、智能制造",
}
REGIONS = ("650202", "650203", "650204", "650103", "650104")


def _id_number(i: int, rng: random.Random) -> str:
    born = dt.date(1962, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 28))
    body = f"{REGIONS[i % len(REGIONS)]}{born:%Y%m%d}{100 + i:03d}"
    return body + ric.calc_check_digit(body + "0")


def _specs(today: dt.date) -> list[dict]:
    rng = random.Random(SEED)
    fields = services.FIELDS
    specs = []
    for i in range(COUNT):
        finance = i >= COUNT - FINANCE
        primary = fields[i % len(fields)]
        extra = rng.sample([f for f in fields if f != primary], rng.choice((0, 0, 1, 2)))
        if finance:
            primary, extra = "高技术服务", [fields[i % len(fields)]]
            title, title_name = FINANCE_TITLES[i % len(FINANCE_TITLES)]
            unit = FINANCE_UNITS[i % len(FINANCE_UNITS)]
            specialty = "科技金融、知识产权质押融资、创业投资"
        else:
            title, title_name = TITLES[rng.randrange(len(TITLES))]
            unit = (INSTITUTIONS[i % 5][1], *OTHER_UNITS)[rng.randrange(6)]
            specialty = SPECIALTIES[primary]
        spec = {
            "name": SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)],
            "id_number": _id_number(i, rng),
            "gender": "female" if i % 3 == 1 else "male",
            "title": title,
            "title_name": title_name,
            "organization_name": unit,
            "fields": [f for f in fields if f in {primary, *extra}],
            "specialty": specialty,
            "phone": f"1399{i:07d}",
            "email": f"expert{i:02d}@example.invalid",
            "is_finance": finance,
            "available": True,
            "unavailable_from": None,
            "unavailable_until": None,
            "unavailable_reason": "",
        }
        window = {
            5: (None, today + dt.timedelta(days=30), "出国访问（演示）"),
            17: (today + dt.timedelta(days=7), today + dt.timedelta(days=21), "外出讲学（演示）"),
            29: (None, None, "退休后暂停评审（演示）"),
            41: (today - dt.timedelta(days=90), today - dt.timedelta(days=30), "病假（演示）"),
        }.get(i)
        if window:
            spec |= {
                "available": False,
                "unavailable_from": window[0],
                "unavailable_until": window[1],
                "unavailable_reason": window[2],
            }
        specs.append(spec)
    return specs


def load_experts_demo(*, today: dt.date | None = None) -> int:
    """Create the demo experts not there yet, with their ties and the demo login; returns how
    many experts were created. Running it again adds nothing."""
    from kechuang.web.demo import DEMO_PASSWORD

    today = today or timezone.localdate()
    specs = _specs(today)
    with transaction.atomic():
        orgs = {}
        for key, name in INSTITUTIONS:
            orgs[name], _ = Organization.objects.get_or_create(
                code=ORG_PREFIX + key,
                defaults={"name": name, "kind": Organization.Kind.INSTITUTION, "is_demo": True},
            )
        digests = [identity.lookup_hash(s["id_number"]) for s in specs]
        existing = set(
            Expert.objects.filter(id_number_hash__in=digests).values_list(
                "id_number_hash", flat=True
            )
        )
        fresh = [(s, d) for s, d in zip(specs, digests, strict=True) if d not in existing]
        now = timezone.now()
        experts = []
        for (spec, digest), code in zip(fresh, services.next_codes(len(fresh)), strict=True):
            values = dict(spec)
            number = values.pop("id_number")
            experts.append(
                Expert(
                    code=code,
                    id_number_token=identity.encrypt(number),
                    id_number_hash=digest,
                    id_number_masked=identity.mask(number),
                    organization=orgs.get(values["organization_name"]),
                    is_demo=True,
                    created_at=now,
                    updated_at=now,
                    **values,
                )
            )
        created = Expert.objects.bulk_create(experts)
        ExpertField.objects.bulk_create(
            [ExpertField(expert=e, field=f) for e in created for f in e.fields]
        )
        _ties(created, orgs, today)
        _demo_user(DEMO_PASSWORD)
    return len(created)


def _ties(experts: list[Expert], orgs: dict[str, Organization], today: dt.date) -> None:
    """Relationships and collaborations for some experts; with demo enterprises when loaded, so
    a demo draw for one of them shows exclusions."""
    if not experts:
        return
    firms = list(
        Enterprise.objects.filter(is_demo=True).select_related("organization").order_by("uscc")[:6]
    )
    units: list[tuple[Organization | None, str]] = [
        (f.organization, f.organization.name) for f in firms
    ] or [(orgs[name], name) for _key, name in INSTITUTIONS]
    kinds = [k for k, _label in Relationship.Kind.choices]
    relationships, collaborations = [], []
    for n, expert in enumerate(experts[::6]):
        org, name = units[n % len(units)]
        relationships.append(
            Relationship(
                expert=expert,
                organization=org,
                organization_name=name,
                kind=kinds[n % len(kinds)],
                note="演示声明",
                declared_on=today - dt.timedelta(days=30 * (n + 1)),
                is_demo=True,
            )
        )
    for n, expert in enumerate(experts[3::7]):
        org, name = units[(n + 1) % len(units)]
        # Alternately inside and outside the three-year window.
        years = 1 if n % 2 == 0 else 4
        collaborations.append(
            Collaboration(
                expert=expert,
                organization=org,
                organization_name=name,
                on=services.years_before(today, years),
                source="演示：共同申报项目",
                is_demo=True,
            )
        )
    Relationship.objects.bulk_create(relationships)
    Collaboration.objects.bulk_create(collaborations)


def _demo_user(password: str) -> None:
    User = get_user_model()
    if User.objects.filter(username=DEMO_USERNAME).exists():
        return
    expert = Expert.objects.filter(is_demo=True, user__isnull=True, available=True).first()
    user = User(
        username=DEMO_USERNAME,
        display_name=expert.name if expert else "专家演示用户",
        role=User.Role.EXPERT,
        email="expert-demo@example.invalid",
        is_demo=True,
    )
    user.set_password(password)
    user.save()
    if expert is not None:
        expert.user = user
        expert.save(update_fields=["user"])


def remove_experts_demo() -> dict[str, int]:
    """Delete the demo experts with their ties, the demo login and the demo institutions no one
    else refers to. Real records are untouched."""
    User = get_user_model()
    with transaction.atomic():
        counts = {
            "relationships": Relationship.objects.filter(expert__is_demo=True).delete()[0],
            "collaborations": Collaboration.objects.filter(expert__is_demo=True).delete()[0],
        }
        ExpertField.objects.filter(expert__is_demo=True).delete()
        counts["experts"] = Expert.objects.filter(is_demo=True).delete()[0]
        _total, by_model = User.objects.filter(username=DEMO_USERNAME, is_demo=True).delete()
        counts["users"] = by_model.get(User._meta.label, 0)
        counts["organizations"] = (
            Organization.objects.filter(code__startswith=ORG_PREFIX, is_demo=True)
            .filter(users__isnull=True, experts__isnull=True)
            .delete()[0]
        )
    return counts
