"""Demo talent data: the programs the plan names, a decided 2026 call with its panel and a few
selected people in the registry, and a call open now with a draft by ``enterprise_demo``.

The programs are the plan's own (二、(三) 与 五、(三)1: 市级“领军、拔尖人才”“油城英才”“双创杰青”,
“天山工匠”, 区级“特聘专家”柔性引才, “天山雪松计划”“天山青年计划”) and are kept by
:func:`remove_talent_demo`; the plan gives no amounts, so none is invented. Everything else is
synthetic and flagged ``is_demo``: names, ID numbers (each with a correct check digit), scores.

Load after the enterprise demo (nominations come from its enterprises) and the experts demo (the
panel is drawn from its experts; without experts the panel part is skipped). Remove before
removing either: nominations protect the enterprises' organisations, assignments the experts.
Loading again adds nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from kechuang.core import review as R
from kechuang.enterprises.demo import DEMO_USERNAME
from kechuang.enterprises.models import Enterprise
from kechuang.experts import identity
from kechuang.experts.models import Draw, Expert
from kechuang.experts.services import (
    chosen,
    create_draw,
    expert_pool,
    experts_by_code,
    perform_draw,
)
from kechuang.talent.models import (
    Talent,
    TalentApplication,
    TalentAssignment,
    TalentCall,
    TalentCriterion,
    TalentProgram,
    TalentScore,
    TalentStateChange,
)
from kechuang.talent.selectors import criteria_of
from kechuang.talent.services import term_end

S = TalentApplication.State
SHANGHAI = ZoneInfo("Asia/Shanghai")
PLAN = "《独山子区科技创新“十四五”发展规划》"
SUPPORT = "按当年评选通知规定的支持政策执行（规划未载明金额）"

# code, name, name_en, level, kind, description (the plan's words)
PROGRAMS = (
    (
        "leading",
        "领军人才",
        "Leading talents",
        TalentProgram.Level.CITY,
        TalentProgram.Kind.LEADING,
        f"{PLAN}：鼓励企业、个人申报市级“领军、拔尖人才”等高层次人才评选计划。",
    ),
    (
        "top",
        "拔尖人才",
        "Top talents",
        TalentProgram.Level.CITY,
        TalentProgram.Kind.TOP,
        f"{PLAN}：鼓励企业、个人申报市级“领军、拔尖人才”等高层次人才评选计划。",
    ),
    (
        "youcheng",
        "油城英才",
        "Youcheng talents",
        TalentProgram.Level.CITY,
        TalentProgram.Kind.YOUCHENG,
        f"{PLAN}：鼓励企业、个人申报市级“油城英才”等高层次人才评选计划。",
    ),
    (
        "youth",
        "双创杰青",
        "Young innovation and entrepreneurship talents",
        TalentProgram.Level.CITY,
        TalentProgram.Kind.YOUTH,
        f"{PLAN}：鼓励企业、个人申报市级“双创杰青”等高层次人才评选计划；"
        "深入实施青年科技创新创业人才培养工程。",
    ),
    (
        "tianshan-craftsman",
        "天山工匠",
        "Tianshan craftsmen",
        TalentProgram.Level.REGION,
        TalentProgram.Kind.CRAFTSMAN,
        f"{PLAN}：鼓励高技能人才申报“天山工匠”“油城工匠”“首席技师”及“技能大师工作室”。",
    ),
    (
        "special-expert",
        "特聘专家",
        "Specially appointed experts",
        TalentProgram.Level.DISTRICT,
        TalentProgram.Kind.SPECIAL_EXPERT,
        f"{PLAN}：加大“特聘专家”柔性引才力度，适时开展人才工作课题研究、理论研讨、"
        "方案论证和政策咨询。",
    ),
    (
        "tianshan-xuesong",
        "天山雪松计划",
        "Tianshan Cedar program",
        TalentProgram.Level.REGION,
        TalentProgram.Kind.OTHER,
        f"{PLAN}：扎实做好“天山雪松计划”“天山青年计划”“科技创新人才”人才的培养工作。",
    ),
    (
        "tianshan-youth",
        "天山青年计划",
        "Tianshan Youth program",
        TalentProgram.Level.REGION,
        TalentProgram.Kind.OTHER,
        f"{PLAN}：扎实做好“天山雪松计划”“天山青年计划”“科技创新人才”人才的培养工作。",
    ),
)
CRITERIA = (
    ("业绩与贡献", "Achievements and contribution", "主要业绩、技术贡献和经济社会效益", 40),
    ("创新能力", "Capacity to innovate", "专利、标准、成果转化和解决关键技术问题的能力", 35),
    ("发展潜力", "Potential", "年龄结构、团队带动作用和今后工作设想", 25),
)
DECIDED_CODE = "demo-youcheng-2026"
USER_PREFIX = "demo_talent_"
OPEN_CODE = "demo-youth-open"
# name, gender, born, education, title, position, field, selected?, per-expert base score
NOMINEES = (
    (
        "周明远（演示）",
        "male",
        dt.date(1982, 4, 12),
        "doctorate",
        "正高级工程师",
        "研发中心主任",
        "新材料",
        True,
        9,
    ),
    (
        "马丽娟（演示）",
        "female",
        dt.date(1986, 9, 3),
        "master",
        "高级工程师",
        "技术部经理",
        "先进制造与自动化",
        True,
        8,
    ),
    (
        "李振宇（演示）",
        "male",
        dt.date(1979, 1, 25),
        "bachelor",
        "高级工程师",
        "总工程师",
        "资源与环境",
        True,
        8,
    ),
    (
        "陈慧敏（演示）",
        "female",
        dt.date(1990, 6, 18),
        "doctorate",
        "工程师",
        "项目负责人",
        "新能源与节能",
        False,
        7,
    ),
    (
        "赵天翔（演示）",
        "male",
        dt.date(1988, 11, 30),
        "master",
        "工程师",
        "工艺主管",
        "电子信息",
        False,
        6,
    ),
)
# Each drawn expert's score relative to the nominee's level, by draw position.
OFFSETS = (1, 0, -1, 0, 0)
ACHIEVEMENTS = (
    "主持完成企业技术攻关项目 3 项，获授权发明专利 4 件，牵头制定企业标准 2 项；"
    "相关成果在区内石化装置上应用，年增效益约 600 万元。（演示数据）"
)


def _id_number(n: int, born: dt.date) -> str:
    body = f"650202{born:%Y%m%d}{900 + n:03d}"
    return body + ric.calc_check_digit(body + "0")


def _local(y: int, m: int, d: int, h: int) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SHANGHAI)


def load_talent_demo() -> dict[str, int]:
    """Create the programs, the decided and the open call with their nominations; returns what
    was created. Running it again adds nothing."""
    counts = {"programs": 0, "calls": 0, "applications": 0, "talents": 0, "draws": 0}
    with transaction.atomic():
        programs = {}
        for code, name, name_en, level, kind, description in PROGRAMS:
            programs[kind], created = TalentProgram.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "name_en": name_en,
                    "level": level,
                    "kind": kind,
                    "description": description,
                    "support": SUPPORT,
                },
            )
            counts["programs"] += created
        if TalentCall.objects.filter(code=DECIDED_CODE).exists():
            return counts
        User = get_user_model()
        staff = (
            User.objects.filter(role__in=(User.Role.STAFF, User.Role.ADMIN), is_active=True)
            .order_by("role", "username")
            .first()
        )
        firms = list(
            Enterprise.objects.filter(is_demo=True, organization__isnull=False)
            .select_related("organization")
            .order_by("uscc")[: len(NOMINEES)]
        )
        decided = _call(
            programs[TalentProgram.Kind.YOUCHENG],
            DECIDED_CODE,
            title="2026年度“油城英才”推荐申报通知（演示）",
            title_en="Youcheng talents 2026: call for nominations (demo)",
            year=2026,
            opens_at=_local(2026, 4, 1, 9),
            closes_at=_local(2026, 4, 30, 18),
            state=TalentCall.State.DECIDED,
            created_by=staff,
        )
        counts["calls"] += 1
        if firms and staff is not None:
            counts["applications"], counts["talents"], counts["draws"] = _decided(
                decided, firms, staff
            )
        now = timezone.now()
        year = timezone.localdate(now).year
        open_call = _call(
            programs[TalentProgram.Kind.YOUTH],
            OPEN_CODE,
            title=f"{year}年度“双创杰青”推荐申报通知（演示）",
            title_en=f"Young innovation talents {year}: call for nominations (demo)",
            year=year,
            opens_at=now - dt.timedelta(days=7),
            closes_at=now + dt.timedelta(days=30),
            state=TalentCall.State.PUBLISHED,
            created_by=staff,
        )
        counts["calls"] += 1
        user = User.objects.filter(username=DEMO_USERNAME).select_related("organization").first()
        if user is not None and user.organization_id:
            _nominee(open_call, user.organization, user, 6, NOMINEES[3], S.DRAFT, now)
            counts["applications"] += 1
    return counts


def _call(program: TalentProgram, code: str, **fields) -> TalentCall:
    call = TalentCall.objects.create(
        program=program, code=code, panel_size=5, is_demo=True, **fields
    )
    for order, (name, name_en, description, weight) in enumerate(CRITERIA):
        TalentCriterion.objects.create(
            call=call,
            name=name,
            name_en=name_en,
            description=description,
            weight=Decimal(weight),
            max_score=Decimal(10),
            order=order,
        )
    return call


def _nominee(call, org, user, n, spec, state, when) -> TalentApplication:
    name, gender, born, education, title, position, field, _selected, _base = spec
    number = _id_number(n, born)
    app = TalentApplication.objects.create(
        call=call,
        code=f"RC-{call.year}-D{n:04d}" if state != S.DRAFT else None,
        employer=org,
        created_by=user,
        name=name,
        gender=gender,
        birth_year=born.year,
        id_number_token=identity.encrypt(number),
        id_number_hash=identity.lookup_hash(number),
        id_number_masked=identity.mask(number),
        education=education,
        title=title,
        position=position,
        field=field,
        achievements=ACHIEVEMENTS,
        state=state,
        submitted_at=when if state != S.DRAFT else None,
        is_demo=True,
    )
    TalentStateChange.objects.create(
        application=app, to_state=S.DRAFT, by=user, at=when - dt.timedelta(days=2)
    )
    return app


def _employer_user(org, n: int):
    """The firm's own login, or a demo one (no password) so nominations are the firm's work."""
    User = get_user_model()
    user = User.objects.filter(organization=org, role=User.Role.ENTERPRISE).order_by("pk").first()
    if user is None:
        user = User(
            username=f"{USER_PREFIX}{n}",
            display_name=f"{org.name}人事部（演示）",
            role=User.Role.ENTERPRISE,
            organization=org,
            is_demo=True,
        )
        user.set_unusable_password()
        user.save()
    return user


def _decided(call: TalentCall, firms, staff) -> tuple[int, int, int]:
    """The decided call's nominations, each with its history, panel, scores and decision."""
    submitted_at = _local(2026, 4, 20, 10)
    review_at = _local(2026, 5, 8, 9)
    decided_at = _local(2026, 6, 10, 15)
    has_experts = Expert.objects.exists()
    created = talents = draws = 0
    for n, (spec, firm) in enumerate(zip(NOMINEES, firms, strict=False), start=1):
        org = firm.organization
        user = _employer_user(org, n)
        app = _nominee(call, org, user, n, spec, S.DRAFT, submitted_at)
        created += 1
        selected, base = spec[7], spec[8]
        steps = [
            (S.DRAFT, S.SUBMITTED, user, "", submitted_at),
            (S.SUBMITTED, S.IN_REVIEW, staff, "评审专家随机抽取（演示）", review_at),
            (
                S.IN_REVIEW,
                S.APPROVED if selected else S.NOT_APPROVED,
                staff,
                "" if selected else "综合得分未进入入选名单（演示）",
                decided_at,
            ),
        ]
        for from_state, to_state, by, note, at in steps:
            TalentStateChange.objects.create(
                application=app, from_state=from_state, to_state=to_state, by=by, note=note, at=at
            )
        app.code = f"RC-2026-D{n:04d}"
        app.state = steps[-1][1]
        app.submitted_at, app.decided_at = submitted_at, decided_at
        app.save(update_fields=["code", "state", "submitted_at", "decided_at"])
        if has_experts:
            draws += _panel(call, app, staff, base)
        if selected:
            Talent.objects.create(
                application=app,
                program=call.program,
                year=call.year,
                name=app.name,
                employer=org,
                field=app.field,
                term_end=term_end(call),
                selected_on=decided_at.date(),
                is_demo=True,
            )
            talents += 1
    return created, talents, draws


def _panel(call: TalentCall, app: TalentApplication, staff, base: int) -> int:
    """A real, verifiable draw over the demo library, and a sheet from each drawn expert."""
    candidates, exclusions = expert_pool(
        fields=[app.field], applicant_orgs=[app.employer], on=timezone.localdate()
    )
    draw = create_draw(
        staff,
        purpose=f"人才评审 {call.title} {app.code} / talent review (demo)",
        kind=Draw.Kind.OTHER,
        candidates=candidates,
        exclusions=exclusions,
        k=call.panel_size,
        max_per={"organisation": 1},
        require_field_overlap=True,
        application_fields=(app.field,),
        subject=app,
        subject_label=f"{app.code} {call.program.name}",
    )
    draw = perform_draw(staff, draw)
    Draw.objects.filter(pk=draw.pk).update(is_demo=True)
    criteria = criteria_of(call)
    for position, expert in enumerate(experts_by_code(chosen(draw)), start=1):
        assignment = TalentAssignment.objects.create(
            application=app, expert=expert, draw=draw, position=position
        )
        value = Decimal(min(10, base + OFFSETS[(position - 1) % len(OFFSETS)]))
        scores = {c.id: value for c in criteria}
        TalentScore.objects.create(
            assignment=assignment,
            scores={k: str(v) for k, v in scores.items()},
            total=R.expert_total(criteria, R.ScoreSheet(expert.code, scores)),
            opinion="同意推荐（演示）" if base >= 8 else "业绩尚需积累（演示）",
            entered_by=expert.user or staff,
            submitted_at=_local(2026, 5, 20, 10),
        )
    return 1


def remove_talent_demo() -> dict[str, int]:
    """Delete the demo calls with their nominations, panels (draws included), scores and
    registry entries. The plan's programs and everything real stay."""
    with transaction.atomic():
        apps = TalentApplication.objects.filter(is_demo=True)
        draw_ids = list(
            TalentAssignment.objects.filter(application__in=apps).values_list("draw_id", flat=True)
        )
        ct = ContentType.objects.get_for_model(TalentApplication)
        subject_draws = Draw.objects.filter(
            subject_type=ct, subject_id__in=apps.values_list("pk", flat=True)
        ).values_list("pk", flat=True)
        draw_ids = set(draw_ids) | set(subject_draws)
        counts = {
            "talents": Talent.objects.filter(application__in=apps).delete()[0],
            "scores": TalentScore.objects.filter(assignment__application__in=apps).delete()[0],
            "assignments": TalentAssignment.objects.filter(application__in=apps).delete()[0],
        }
        counts["draws"] = Draw.objects.filter(pk__in=draw_ids).delete()[1].get(Draw._meta.label, 0)
        counts["applications"] = apps.delete()[1].get(TalentApplication._meta.label, 0)
        counts["calls"] = (
            TalentCall.objects.filter(is_demo=True, applications__isnull=True)
            .delete()[1]
            .get(TalentCall._meta.label, 0)
        )
        User = get_user_model()
        counts["users"] = (
            User.objects.filter(is_demo=True, username__startswith=USER_PREFIX)
            .delete()[1]
            .get(User._meta.label, 0)
        )
    return counts
