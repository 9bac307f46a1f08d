"""Open-data fixtures: a database seeded with public records beside sensitive ones, so a test
that walks the datasets can catch anything that should not be published."""

from __future__ import annotations

import datetime as dt

import pytest

SECRET = "内部机密"
ID_NUMBER = "650202199001011234"
MOBILE = "13912345678"
EMAIL = "leak.person@example.com"


@pytest.fixture
def seeded(demo, staff_user):
    """Public carriers, achievements, events and policies, each with a sensitive twin or
    sensitive fields; users with e-mail addresses; the demo users' accounts."""
    from django.apps import apps

    from kechuang.accounts.models import Organization, User

    User.objects.filter(pk=staff_user.pk).update(email=EMAIL)
    host = Organization.objects.create(
        code="host-od", name="独山子开放数据测试研究院", kind="institution", phone=MOBILE
    )
    public = {}
    Carrier = apps.get_model("carriers", "Carrier")
    public["carriers"] = Carrier.objects.create(
        name="独山子石化新材料工程技术研究中心",
        kind="engineering_center",
        level="city",
        host=host,
        recognised_on=dt.date(2022, 5, 1),
        contact_name="张三",
        contact_phone=MOBILE,
        description=f"联系人身份证 {ID_NUMBER}，邮箱 {EMAIL}",
        is_public=True,
    )
    Carrier.objects.create(
        name=f"{SECRET}载体",
        kind="key_lab",
        level="district",
        host=host,
        recognised_on=dt.date(2023, 1, 1),
        is_public=False,
    )
    Achievement = apps.get_model("achievements", "Achievement")
    achievement = Achievement.objects.create(
        title="乙烯裂解炉节能技术",
        trl=7,
        year=2023,
        co_owners=f"李四（身份证 {ID_NUMBER}，电话 {MOBILE}）",
        abstract="降低裂解炉能耗的成套技术。",
        is_public=True,
        created_by=staff_user,
    )
    achievement.owners.add(host)
    public["achievements"] = achievement
    Achievement.objects.create(
        title=f"{SECRET}成果", trl=3, year=2024, is_public=False, created_by=staff_user
    )
    Event = apps.get_model("popularization", "Event")
    public["events"] = Event.objects.create(
        title="2024年科技活动周启动仪式",
        kind="science_week",
        starts_on=dt.date(2024, 5, 20),
        ends_on=dt.date(2024, 5, 26),
        venue="独山子区文化中心",
        organizer=host,
        audience="public",
        participants=800,
        description=f"报名请联系王五 {MOBILE}，{EMAIL}",
        is_public=True,
        created_by=staff_user,
    )
    Event.objects.create(
        title=f"{SECRET}活动",
        kind="lecture",
        starts_on=dt.date(2024, 6, 1),
        ends_on=dt.date(2024, 6, 1),
        venue="会议室",
        audience="workers",
        is_public=False,
        created_by=staff_user,
    )
    Policy = apps.get_model("policies", "Policy")
    public["policies"] = Policy.objects.create(
        code="od-public-policy",
        title="独山子区科技创新券实施办法",
        issuer="独山子区科学技术局",
        level="district",
        category="voucher",
        issued_on=dt.date(2023, 3, 1),
        summary="对科技型中小企业购买科技服务给予创新券支持。",
        department="独山子区科学技术局",
        address="独山子区政务服务中心",
        phone=MOBILE,
        state="published",
    )
    Policy.objects.create(
        code="od-draft-policy",
        title=f"{SECRET}政策草稿",
        issuer="独山子区科学技术局",
        level="district",
        category="other",
        summary="草稿",
        department="独山子区科学技术局",
        state="draft",
    )
    return public
