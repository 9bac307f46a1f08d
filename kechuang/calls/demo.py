"""Demo programs, calls and applications over the registry's demo enterprises.

Four programs (重大科技专项, 重点研发, 成果转化, 创新平台建设); a 重点研发 call whose window
closed some weeks ago and which is in review, with twelve applications in every state the
formal check produces; a 成果转化 call open now with drafts; and last year's 重大科技专项 call
whose approved application becomes the project in progress. Dates follow ``timezone.now()`` so
the demo stays sensible whenever it is loaded. ``enterprise_demo`` owns a submitted application
and a draft. Everything is flagged ``is_demo``; loading again adds nothing.

Load after ``kechuang.enterprises.demo.load_enterprise_demo``; remove before removing it (the
applications protect the demo enterprises' organisations and users).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from kechuang.calls.models import (
    Application,
    ApplicationField,
    Attachment,
    Call,
    CallSection,
    CodeCounter,
    Criterion,
    Program,
    StateChange,
)
from kechuang.calls.selectors import applicant_for
from kechuang.calls.services import next_code
from kechuang.core import eligibility
from kechuang.enterprises.demo import DEMO_USERNAME
from kechuang.enterprises.models import Enterprise

S = Application.State
WAN = Decimal(10000)

PROGRAMS = (
    ("demo-major", "独山子区科技重大专项", "Dushanzi major S&T projects", Program.Kind.MAJOR, True),
    ("demo-key-rd", "独山子区重点研发计划", "Dushanzi key R&D program", Program.Kind.KEY_RD, False),
    (
        "demo-transfer",
        "独山子区科技成果转化专项",
        "Dushanzi technology transfer program",
        Program.Kind.TRANSFER,
        False,
    ),
    (
        "demo-platform",
        "独山子区创新平台建设专项",
        "Dushanzi innovation platform program",
        Program.Kind.PLATFORM,
        False,
    ),
)

SECTIONS = (
    ("overview", "项目概述", "Overview", "项目背景、目标和主要研究内容。", True, 1500),
    (
        "technology",
        "技术路线与创新点",
        "Approach and novelty",
        "关键技术、技术路线和创新点。",
        True,
        3000,
    ),
    ("basis", "研究基础与团队", "Basis and team", "已有工作基础、团队构成和分工。", True, 2000),
    ("plan", "实施计划与进度安排", "Plan and schedule", "分年度任务和考核指标。", True, 1500),
    ("budget", "经费预算说明", "Budget", "资金来源与支出预算。", True, 1000),
    ("benefits", "预期经济社会效益", "Expected benefits", "新增产值、税收、就业等。", False, 1000),
)
CRITERIA = (
    ("技术创新性", "Technical innovation", "技术先进程度、创新点和知识产权前景", 30),
    ("可行性", "Feasibility", "技术路线、实施方案和进度安排是否可行", 25),
    ("团队能力", "Team capability", "研究基础、人员结构和组织管理", 20),
    ("经济社会效益", "Economic and social benefits", "对产业和区域发展的带动作用", 25),
)
KEY_RD_TITLES = (
    "高性能聚烯烃催化剂国产化关键技术研究",
    "乙烯裂解炉智能燃烧优化控制系统研发",
    "含油污泥资源化处理成套技术与装备",
    "石化园区危化品运输安全监测平台",
    "可降解聚酯薄膜连续化生产工艺开发",
    "压缩机组故障预测与健康管理系统",
    "废催化剂贵金属高效回收技术研究",
    "高密度聚乙烯管材专用料开发",
    "化工装置腐蚀在线监测与防护技术",
    "工业余热梯级利用与节能改造示范",
    "橡胶改性剂绿色合成工艺研究",
    "炼化企业数字孪生运维平台研发",
)
# The twelve applications' paths through the workflow, after DRAFT → SUBMITTED.
KEY_RD_PATHS = (
    (S.ACCEPTED, S.IN_REVIEW),
    (S.ACCEPTED, S.IN_REVIEW),
    (S.ACCEPTED, S.IN_REVIEW),
    (S.ACCEPTED, S.IN_REVIEW),
    (S.ACCEPTED, S.IN_REVIEW),
    (S.ACCEPTED,),
    (S.ACCEPTED,),
    (),  # awaiting the formal check: enterprise_demo's (OWN_PATH)
    (),
    (S.RETURNED,),
    (S.REJECTED,),
    (S.WITHDRAWN,),
)
OWN_PATH = 7
NOTES = {
    S.ACCEPTED: "材料齐全，符合申报要求。",
    S.IN_REVIEW: "提交专家评审。",
    S.RETURNED: "经费预算说明未按科目列支，请补充后重新提交。",
    S.REJECTED: "申报单位近三年存在未按期结题项目，不符合申报要求。",
    S.WITHDRAWN: "企业调整研发计划，主动撤回。",
    S.APPROVED: "经专家评审和局务会研究，同意立项。",
    S.NOT_APPROVED: "综合评审得分未进入立项范围。",
}


def _at(day: dt.datetime, hour: int) -> dt.datetime:
    local = timezone.localtime(day)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _answers(title: str, company: str) -> dict[str, str]:
    return {
        "overview": f"{company}拟开展“{title}”。项目面向独山子石化产业链的共性需求，"
        "围绕关键工艺和装备开展攻关，形成可推广的技术方案。（演示数据）",
        "technology": "采用“机理分析—中试验证—工业示范”的技术路线：一是建立关键过程模型；"
        "二是完成核心部件和工艺包开发；三是在区内企业装置上开展示范应用。创新点包括工艺参数"
        "自适应优化和国产化替代。（演示数据）",
        "basis": "企业设有研发中心，研发人员 30 余人，已获相关发明专利 3 项、实用新型专利 8 项，"
        "与新疆大学、中国石油大学（北京）克拉玛依校区开展产学研合作。（演示数据）",
        "plan": "第一年完成方案设计与中试装置建设；第二年完成工业试验并通过第三方检测；"
        "第三年完成示范应用和成果总结。（演示数据）",
        "budget": "申请区级资金用于设备购置、材料与测试、合作研究等，企业自筹资金不低于 1:1。"
        "（演示数据）",
        "benefits": "项目实施后预计新增产值 5000 万元，新增就业 20 人。（演示数据）",
    }


def _users_for(enterprises: list[Enterprise]) -> dict[int, object]:
    """One applicant login per organisation: enterprise_demo where it belongs, else a demo
    account that cannot log in (the applications need someone who filled them in)."""
    User = get_user_model()
    out = {}
    for e in enterprises:
        user = (
            User.objects.filter(organization=e.organization, role=User.Role.ENTERPRISE)
            .order_by("pk")
            .first()
        )
        if user is None:
            user = User(
                username=f"demo_applicant_{e.uscc.lower()}",
                display_name=f"{e.name[5:9]}申报专员",
                role=User.Role.ENTERPRISE,
                organization=e.organization,
                is_demo=True,
            )
            user.set_unusable_password()
            user.save()
        out[e.pk] = user
    return out


def _call(program: Program, code: str, **fields) -> Call:
    call = Call.objects.create(program=program, code=code, is_demo=True, **fields)
    for order, (key, title, title_en, guidance, required, max_chars) in enumerate(SECTIONS):
        CallSection.objects.create(
            call=call,
            key=key,
            title=title,
            title_en=title_en,
            guidance=guidance,
            required=required,
            max_chars=max_chars,
            order=order,
        )
    for order, (name, name_en, description, weight) in enumerate(CRITERIA):
        Criterion.objects.create(
            call=call,
            name=name,
            name_en=name_en,
            description=description,
            weight=Decimal(weight),
            order=order,
        )
    return call


def _application(
    call: Call,
    enterprise: Enterprise,
    user,
    title: str,
    amount_wan: int,
    path: tuple,
    *,
    created: dt.datetime,
    submitted: dt.datetime | None,
    staff,
) -> Application:
    answers = _answers(title, enterprise.name)
    field = enterprise.high_tech_field or Enterprise.HighTechField.NEW_MATERIALS
    app = Application.objects.create(
        call=call,
        applicant=enterprise.organization,
        enterprise=enterprise,
        created_by=user,
        title=title,
        summary=answers["overview"][:200],
        fields=[field],
        requested_amount=Decimal(amount_wan) * WAN,
        answers=answers if submitted else {k: answers[k] for k in ("overview", "technology")},
        is_demo=True,
    )
    ApplicationField.objects.create(application=app, field=field)
    changes = [StateChange(application=app, to_state=S.DRAFT, by=user, at=created)]
    state = S.DRAFT
    if submitted is not None:
        day = timezone.localdate(submitted)
        result = eligibility.evaluate(
            call.eligibility, applicant_for(enterprise.organization, enterprise, day), day
        )
        app.code = next_code(call.year)
        app.submitted_at = submitted
        app.eligibility_results = [eligibility.result_to_dict(r) for r in result.results]
        changes.append(
            StateChange(
                application=app, from_state=state, to_state=S.SUBMITTED, by=user, at=submitted
            )
        )
        state = S.SUBMITTED
        at = submitted
        for step in path:
            at = at + dt.timedelta(days=3, hours=2)
            by = user if step == S.WITHDRAWN else staff
            changes.append(
                StateChange(
                    application=app,
                    from_state=state,
                    to_state=step,
                    by=by,
                    at=at,
                    note=NOTES.get(step, ""),
                )
            )
            state = step
            if step == S.RETURNED:
                app.resubmit_by = _at(timezone.now() + dt.timedelta(days=10), 18)
    app.state = state
    app.save()
    StateChange.objects.bulk_create(changes)
    return app


def _eligible(call: Call, enterprises, day: dt.date) -> list[Enterprise]:
    out = []
    for e in enterprises:
        result = eligibility.evaluate(call.eligibility, applicant_for(e.organization, e, day), day)
        if not result.failed:
            out.append(e)
    return out


@transaction.atomic
def load_calls_demo() -> dict[str, int]:
    """Create the demo programs, calls and applications; running it again adds nothing."""
    counts = {"programs": 0, "calls": 0, "applications": 0}
    if Program.objects.filter(code=PROGRAMS[0][0]).exists():
        return counts
    User = get_user_model()
    staff = (
        User.objects.filter(role__in=(User.Role.STAFF, User.Role.ADMIN), is_active=True)
        .order_by("role", "username")
        .first()
    )
    programs = {}
    for code, name, name_en, kind, major in PROGRAMS:
        programs[kind] = Program.objects.create(
            code=code, name=name, name_en=name_en, kind=kind, is_major=major, is_demo=True
        )
    counts["programs"] = len(programs)
    now = timezone.now()
    this_year = timezone.localdate(now).year
    key_rd_opens = _at(now - dt.timedelta(days=150), 9)
    key_rd_closes = _at(now - dt.timedelta(days=75), 17)
    key_rd = _call(
        programs[Program.Kind.KEY_RD],
        "demo-key-rd-review",
        title=f"{timezone.localdate(key_rd_opens).year}年度独山子区重点研发计划项目申报指南",
        title_en="Key R&D program: call for applications",
        year=timezone.localdate(key_rd_opens).year,
        description="围绕石油化工产业链关键核心技术，支持企业联合高校院所开展研发攻关。"
        "单个项目支持不超过 200 万元，企业自筹资金不低于申请资金。（演示数据）",
        opens_at=key_rd_opens,
        closes_at=key_rd_closes,
        budget=Decimal(20_000_000),
        max_amount=Decimal(2_000_000),
        eligibility=["registered_in_district", "no_serious_dishonesty", "no_abnormal_operation"],
        panel_size=5,
        review_deadline=_at(now + dt.timedelta(days=20), 18),
        state=Call.State.REVIEWING,
        published_at=key_rd_opens,
        created_by=staff,
    )
    open_call = _call(
        programs[Program.Kind.TRANSFER],
        "demo-transfer-open",
        title=f"{timezone.localdate(now + dt.timedelta(days=30)).year}年度科技成果转化项目申报指南",
        title_en="Technology transfer: call for applications",
        year=timezone.localdate(now + dt.timedelta(days=30)).year,
        description="支持企业转化应用高校院所和自身研发的科技成果，推动新产品、新工艺产业化。"
        "（演示数据）",
        opens_at=_at(now - dt.timedelta(days=10), 9),
        closes_at=_at(now + dt.timedelta(days=30), 17),
        budget=Decimal(10_000_000),
        max_amount=Decimal(1_000_000),
        eligibility=["registered_in_district", "no_serious_dishonesty", "min_years_registered:1"],
        panel_size=5,
        state=Call.State.PUBLISHED,
        published_at=_at(now - dt.timedelta(days=10), 9),
        created_by=staff,
    )
    major_year = this_year - 1
    major_opens = timezone.make_aware(dt.datetime(major_year, 3, 1, 9))
    major = _call(
        programs[Program.Kind.MAJOR],
        "demo-major-decided",
        title=f"{major_year}年度独山子区科技重大专项申报指南",
        title_en="Major S&T projects: call for applications",
        year=major_year,
        description="聚焦产业链关键环节，组织实施重大科技攻关；立项项目开展中期绩效评估。（演示数据）",
        opens_at=major_opens,
        closes_at=timezone.make_aware(dt.datetime(major_year, 4, 30, 17)),
        budget=Decimal(30_000_000),
        max_amount=Decimal(10_000_000),
        eligibility=["registered_in_district", "no_serious_dishonesty", "min_years_registered:3"],
        panel_size=7,
        review_deadline=timezone.make_aware(dt.datetime(major_year, 6, 30, 18)),
        state=Call.State.DECIDED,
        published_at=major_opens,
        created_by=staff,
    )
    counts["calls"] = 3

    demo = Enterprise.objects.filter(is_demo=True, in_district=True).exclude(high_tech_field="")
    enterprises = _eligible(
        key_rd,
        list(demo.select_related("organization").order_by("uscc")[:40]),
        timezone.localdate(key_rd_closes),
    )
    own = Enterprise.objects.filter(organization__users__username=DEMO_USERNAME).first()
    if own is not None:
        enterprises = [own] + [e for e in enterprises if e.pk != own.pk]
    if len(enterprises) < len(KEY_RD_PATHS) + 3:
        return counts  # the enterprise demo is not loaded: programs and calls only
    users = _users_for(enterprises[: len(KEY_RD_PATHS) + 3])
    apps = []
    # enterprise_demo (first) takes the path that waits for the formal check.
    others = iter(enterprises[1:])
    for i, path in enumerate(KEY_RD_PATHS):
        e = enterprises[0] if i == OWN_PATH else next(others)
        submitted = key_rd_closes - dt.timedelta(days=20 - i, hours=i)
        apps.append(
            _application(
                key_rd,
                e,
                users[e.pk],
                KEY_RD_TITLES[i],
                60 + 12 * i,
                path,
                created=submitted - dt.timedelta(days=12),
                submitted=submitted,
                staff=staff,
            )
        )
    for n, title in enumerate(("聚烯烃专用料中试成果产业化", "石化装备远程运维成果转化")):
        e = enterprises[n]
        apps.append(
            _application(
                open_call,
                e,
                users[e.pk],
                title,
                80 + 20 * n,
                (),
                created=now - dt.timedelta(days=5 - n),
                submitted=None,
                staff=staff,
            )
        )
    major_apps = (
        ("百万吨级乙烯装置智能化升级关键技术攻关", (S.ACCEPTED, S.IN_REVIEW, S.APPROVED)),
        ("炼化废水近零排放集成技术研究", (S.ACCEPTED, S.IN_REVIEW, S.NOT_APPROVED)),
    )
    for n, (title, path) in enumerate(major_apps):
        e = enterprises[len(KEY_RD_PATHS) + 1 + n]
        submitted = timezone.make_aware(dt.datetime(major_year, 4, 20 + n, 15))
        apps.append(
            _application(
                major,
                e,
                users[e.pk],
                title,
                800 - 200 * n,
                path,
                created=submitted - dt.timedelta(days=15),
                submitted=submitted,
                staff=staff,
            )
        )
    counts["applications"] = len(apps)
    return counts


def _delete(qs) -> int:
    n = qs.count()
    qs.delete()
    return n


@transaction.atomic
def remove_calls_demo() -> dict[str, int]:
    """Delete every demo application (with its files), call and program, and the demo
    applicant logins; real records and their public numbers are untouched."""
    User = get_user_model()
    files = list(
        Attachment.objects.filter(application__is_demo=True).values_list("file", flat=True)
    )
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    counts = {
        "state_changes": _delete(StateChange.objects.filter(application__is_demo=True)),
        "attachments": len(files),
        "applications": _delete(Application.objects.filter(is_demo=True)),
        "calls": _delete(Call.objects.filter(is_demo=True, applications__isnull=True)),
        "programs": _delete(Program.objects.filter(is_demo=True, calls__isnull=True)),
        "users": _delete(User.objects.filter(is_demo=True, username__startswith="demo_applicant_")),
    }
    # Give the demo's numbers back: each year's counter drops to the highest real number.
    for counter in CodeCounter.objects.all():
        codes = Application.objects.filter(code__startswith=f"SB-{counter.year}-")
        numbers = [int(c.rsplit("-", 1)[1]) for c in codes.values_list("code", flat=True)]
        if max(numbers, default=0) != counter.last:
            counter.last = max(numbers, default=0)
            counter.save(update_fields=["last"])
    return counts
