"""Demo review of the calls demo's call in review, through the normal services.

Every application of that call that is accepted or in review gets a panel drawn from the
experts demo (real, verifiable draws: who is chosen differs on each load). Most panels are
then scored in full — one of them with an outlying expert, one with a conflict declared and
an alternate stepping in — and the last one is left part-scored. ``expert_demo`` never scores,
so the login always has work waiting: its expert's fields are widened to all eight, and should
the draws still pass it over, one more (labelled) demo application is drawn until they do not.

Load after the calls and experts demos; remove before removing them.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from kechuang.calls.models import Application, ApplicationField, Call
from kechuang.calls.services import next_code
from kechuang.experts.demo import DEMO_USERNAME
from kechuang.experts.models import Draw, Expert
from kechuang.experts.services import FIELDS, alternates, update_expert
from kechuang.reviews import services
from kechuang.reviews.models import Assignment, Decision, Notice, Panel, Score

CALL_CODE = "demo-key-rd-review"
EXTRA_TITLE = "石化装备智能检测技术研究（演示补充）"
MAX_EXTRA = 20
S = Application.State
A = Assignment.State


def _staff():
    User = get_user_model()
    return (
        User.objects.filter(role__in=(User.Role.STAFF, User.Role.ADMIN), is_active=True)
        .order_by("role", "username")
        .first()
    )


def _demo_assignments(expert: Expert | None) -> bool:
    return expert is not None and Assignment.objects.filter(expert=expert).exists()


def _extra_application(call: Call, like: Application) -> Application:
    app = Application.objects.create(
        call=call,
        applicant=like.applicant,
        enterprise=like.enterprise,
        created_by=like.created_by,
        code=next_code(call.year),
        title=EXTRA_TITLE,
        summary=like.summary,
        fields=list(like.fields),
        requested_amount=like.requested_amount,
        answers=dict(like.answers),
        state=S.ACCEPTED,
        submitted_at=like.submitted_at,
        is_demo=True,
    )
    for f in app.fields:
        ApplicationField.objects.create(application=app, field=f)
    return app


def _sheet(call: Call, rng: random.Random, base: int) -> dict:
    out = {}
    for c in call.criteria.order_by("order"):
        share = min(max(base + rng.randint(-6, 6), 30), 98) / Decimal(100)
        out[c.pk] = ((c.max_score * share).quantize(Decimal(1)), "")
    return out


COMMENTS = (
    "技术路线清晰，研究基础扎实，建议支持。",
    "创新点较突出，但产业化路径需进一步论证。",
    "团队结构合理，考核指标可量化，经费预算基本合理。",
    "项目与园区产业需求契合度高，建议细化年度任务。",
    "实施方案可行，建议加强知识产权布局。",
)


def _score(
    panel: Panel,
    rng: random.Random,
    demo_expert: Expert | None,
    *,
    leave: int = 0,
    outlier: bool = False,
) -> int:
    """Every active member but ``expert_demo`` (and the last ``leave``) submits a sheet."""
    base = rng.randint(62, 88)
    members = [
        a
        for a in panel.assignments.exclude(state=A.CONFLICT).select_related("expert__user")
        if a.expert != demo_expert and a.expert.user_id
    ]
    members = members[: len(members) - leave] if leave else members
    for i, a in enumerate(members):
        low = outlier and i == len(members) - 1
        scores = _sheet(panel.call, rng, base - 40 if low else base)
        services.submit_scores(a.expert.user, a, scores, COMMENTS[i % len(COMMENTS)], True)
    return len(members)


def _logins(experts) -> None:
    """Demo experts without a login get one that cannot log in, so they can score."""
    User = get_user_model()
    for e in experts:
        if e.user_id:
            continue
        user = User(
            username=f"demo_expert_{e.code.lower()}",
            display_name=e.name,
            role=User.Role.EXPERT,
            is_demo=True,
        )
        user.set_unusable_password()
        user.save()
        e.user = user
        e.save(update_fields=["user"])


@transaction.atomic
def load_reviews_demo() -> dict[str, int]:
    """Panels, draws and sheets for the demo call in review; running it again adds nothing."""
    counts = {"panels": 0, "assignments": 0, "sheets": 0, "conflicts": 0}
    call = Call.objects.filter(code=CALL_CODE, is_demo=True).first()
    staff = _staff()
    if call is None or staff is None or Panel.objects.filter(call=call).exists():
        return counts
    demo_expert = Expert.objects.filter(user__username=DEMO_USERNAME).first()
    if demo_expert is not None and demo_expert.fields != list(FIELDS):
        update_expert(staff, demo_expert, fields=list(FIELDS))
    _logins(Expert.objects.filter(is_demo=True, user__isnull=True))
    # The calls demo moved some applications into review by hand: they get their panels too.
    for app in Application.objects.filter(call=call, state=S.IN_REVIEW, panel__isnull=True):
        services.new_panel(staff, app)
    if services.waiting_applications(call).exists():
        services.start_review(staff, call)
    services.run_draws(staff, call)
    # An applicant the demo expert has no tie with, so that expert is in the extra draws' pool.
    free = [
        p.application
        for p in Panel.objects.filter(call=call).select_related("draw", "application")
        if demo_expert is not None and demo_expert.code not in p.draw.record["exclusions"]
    ]
    extra = 0
    while free and not _demo_assignments(demo_expert) and extra < MAX_EXTRA:
        services.start_review(staff, _extra_application(call, free[0]).call)
        services.run_draws(staff, call)
        extra += 1

    rng = random.Random(2026)
    panels = list(
        Panel.objects.filter(call=call).select_related("call", "draw").order_by("application__code")
    )
    # The conflict goes where the draw left an alternate to step in (with a library this size
    # most draws leave none: one per unit uses the units up).
    conflict = next((p for p in panels[1:] if alternates(p.draw)), None)
    if conflict is not None:
        a = (
            conflict.assignments.exclude(expert=demo_expert)
            .select_related("expert__user")
            .order_by("position")
            .first()
        )
        services.declare_conflict(a.expert.user, a, "演示：近三年曾与申报单位合作开展项目")
        counts["conflicts"] += 1
    for i, panel in enumerate(panels):
        last = i == len(panels) - 1 and len(panels) > 2
        counts["sheets"] += _score(panel, rng, demo_expert, leave=2 if last else 0, outlier=i == 0)
    counts["panels"] = len(panels)
    counts["assignments"] = Assignment.objects.filter(panel__call=call).count()
    return counts


@transaction.atomic
def remove_reviews_demo() -> dict[str, int]:
    """Delete the review of every demo application (panels, assignments, sheets, decisions,
    notices and their draws) and the demo expert logins it made; real reviews are untouched."""
    User = get_user_model()
    apps = Application.objects.filter(is_demo=True)
    draws = Draw.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application),
        subject_id__in=apps.values("pk"),
    )
    assignments = Assignment.objects.filter(panel__application__in=apps)
    assignments.exclude(replaces=None).update(replaces=None)  # the link protects the replaced
    counts = {
        "scores": Score.objects.filter(assignment__in=assignments).delete()[0],
        "assignments": assignments.delete()[0],
        "panels": Panel.objects.filter(application__in=apps).delete()[0],
        "decisions": Decision.objects.filter(application__in=apps).delete()[0],
        "notices": Notice.objects.filter(call__is_demo=True).delete()[0],
    }
    counts["draws"] = draws.delete()[0]
    Expert.objects.filter(is_demo=True, user__username__startswith="demo_expert_").update(user=None)
    counts["users"] = User.objects.filter(
        is_demo=True, username__startswith="demo_expert_"
    ).delete()[0]
    return counts
