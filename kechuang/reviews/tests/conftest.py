"""Review fixtures: a closed call with four criteria, applicants and their accepted
applications, an expert library whose experts can log in, and the review started and drawn
through the services.

Applications and the call are made straight in the database in the state a review starts
from: the calls app's own tests cover how they get there.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.experts.tests.conftest import id_number

CRITERIA = (
    # name, weight, max score: 团队能力 is scored out of 10, the others out of 100.
    ("技术创新性", 30, 100),
    ("可行性", 25, 100),
    ("团队能力", 20, 10),
    ("经济社会效益", 25, 100),
)
FIELDS = ["新材料"]


def make_user(username: str, role: str, organization=None):
    from kechuang.accounts.models import User

    return User.objects.create_user(
        username=username, password="pw-" + username, role=role, organization=organization
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a throwaway directory, never var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ordered_draws(monkeypatch):
    """Draws walk the candidates in code order (E00001 first) instead of by their secret keys,
    so a test knows who is chosen and which alternate comes next."""
    monkeypatch.setattr("kechuang.core.draw.candidate_key", lambda seed, draw_id, cid: cid)


@pytest.fixture
def make_call(plan, staff_user):
    """``make_call(**fields)`` → a call whose window closed yesterday, review deadline ahead."""
    from kechuang.calls.models import Call, CallSection, Criterion, Program

    def make(code: str = "rd-2026", **fields):
        program, _ = Program.objects.get_or_create(
            code="rd", defaults={"name": "重点研发计划", "kind": "key_rd"}
        )
        now = timezone.now()
        values = {
            "title": "2026年度重点研发计划申报指南",
            "year": 2026,
            "opens_at": now - dt.timedelta(days=40),
            "closes_at": now - dt.timedelta(days=1),
            "budget": Decimal("5000000"),
            "max_amount": Decimal("2000000"),
            "panel_size": 5,
            "review_deadline": now + dt.timedelta(days=10),
            "state": Call.State.CLOSED,
            "published_at": now - dt.timedelta(days=40),
            "created_by": staff_user,
        } | fields
        call = Call.objects.create(program=program, code=code, **values)
        CallSection.objects.create(call=call, key="overview", title="项目概述", max_chars=1000)
        for order, (name, weight, top) in enumerate(CRITERIA):
            Criterion.objects.create(
                call=call, name=name, weight=Decimal(weight), max_score=Decimal(top), order=order
            )
        return call

    return make


@pytest.fixture
def call(make_call):
    return make_call()


@pytest.fixture
def applicant_org(plan):
    from kechuang.accounts.models import Organization

    return Organization.objects.create(
        code="rv-ent-1", name="独山子申报一号公司", kind="enterprise"
    )


@pytest.fixture
def applicant(applicant_org):
    """The enterprise user whose organisation applied."""
    return make_user("t_applicant", "enterprise", applicant_org)


@pytest.fixture
def other_org(plan):
    from kechuang.accounts.models import Organization

    return Organization.objects.create(
        code="rv-ent-2", name="独山子申报二号公司", kind="enterprise"
    )


@pytest.fixture
def other_applicant(other_org):
    return make_user("t_other_applicant", "enterprise", other_org)


@pytest.fixture
def make_application(call, staff_user):
    """``make_application(org, n, **fields)`` → an accepted application with code SB-2026-000n."""
    from kechuang.calls.models import Application, ApplicationField

    def make(org, n: int = 1, *, to=None, **fields):
        values = {
            "title": f"高性能聚烯烃催化剂研发{n}",
            "fields": list(FIELDS),
            "requested_amount": Decimal("1000000"),
            "answers": {"overview": "项目面向石化产业链的共性需求。"},
            "state": Application.State.ACCEPTED,
            "submitted_at": timezone.now() - dt.timedelta(days=3),
        } | fields
        app = Application.objects.create(
            call=to or call,
            applicant=org,
            created_by=staff_user,
            code=f"SB-2026-{n:04d}",
            **values,
        )
        for f in app.fields:
            ApplicationField.objects.create(application=app, field=f)
        return app

    return make


@pytest.fixture
def application(make_application, applicant_org, applicant):
    return make_application(applicant_org, 1)


@pytest.fixture
def other_application(make_application, other_org, other_applicant):
    return make_application(other_org, 2)


@pytest.fixture
def make_expert(plan):
    """``make_expert(n, unit=..., fields=...)`` → expert E0000n with the login ``t_ex{n}``."""
    from kechuang.experts import identity
    from kechuang.experts.models import Expert

    def make(n: int, *, unit: str | None = None, fields=FIELDS, organization=None, login=True):
        number = id_number(n)
        return Expert.objects.create(
            code=f"E{n:05d}",
            name=f"评审专家{n}",
            id_number_token=identity.encrypt(number),
            id_number_hash=identity.lookup_hash(number),
            id_number_masked=identity.mask(number),
            title="senior",
            title_name="教授",
            organization=organization,
            organization_name=unit or f"评审单位{n}",
            fields=list(fields),
            user=make_user(f"t_ex{n}", "expert") if login else None,
        )

    return make


@pytest.fixture
def library(make_expert):
    """Seven experts in seven units, all in 新材料: a panel of five and two alternates."""
    return [make_expert(n) for n in range(1, 8)]


@pytest.fixture
def started(staff_user, call, application, library):
    """The review started: the application's panel has a committed, public draw."""
    from kechuang.reviews import services
    from kechuang.reviews.models import Panel

    services.start_review(staff_user, call)
    return Panel.objects.get(application=application)


@pytest.fixture
def drawn(staff_user, started):
    """The panel drawn: five experts invited, the application in review."""
    from kechuang.reviews import services

    return services.perform_panel_draw(staff_user, started)


@pytest.fixture
def assignment(drawn):
    """The first member's assignment."""
    return drawn.assignments.select_related("expert__user").order_by("position").first()


@pytest.fixture
def member(assignment):
    """The first member's login."""
    return assignment.expert.user


@pytest.fixture
def outsider(make_expert):
    """An expert in the library who is on no panel: their field is not the applications'."""
    return make_expert(90, fields=["电子信息"]).user


def sheet(call, *points) -> dict:
    """Scores for each criterion in order: ``sheet(call, 80, 70, 9, 60)`` (no comments)."""
    return {
        c.pk: (Decimal(str(p)), f"{c.name}评语")
        for c, p in zip(call.criteria.order_by("order"), points, strict=True)
    }


def score_all(panel, totals_like) -> None:
    """Every active member submits a final sheet; ``totals_like[i]`` is scored on every
    criterion as a share of its maximum (0.8 → 80/100, 8/10)."""
    from kechuang.reviews import services

    members = panel.assignments.exclude(state="conflict").select_related("expert__user")
    criteria = list(panel.call.criteria.order_by("order"))
    for a, share in zip(members.order_by("position"), totals_like, strict=False):
        scores = {c.pk: (c.max_score * Decimal(str(share)), "") for c in criteria}
        services.submit_scores(a.expert.user, a, scores, "总体评价：研究基础扎实。", True)


@pytest.fixture
def reviewed(drawn):
    """Every member of the application's panel has submitted: the review is complete."""
    from kechuang.reviews.models import Panel

    score_all(drawn, [0.9, 0.85, 0.8, 0.75, 0.7])
    return Panel.objects.get(pk=drawn.pk)


@pytest.fixture
def provider_user(plan):
    return make_user("t_provider", "provider")


ROLES_OUTSIDE_THE_BUREAU = ["reporter", "enterprise_user", "applicant", "member", "provider_user"]


@pytest.fixture
def as_user(request, client_for):
    """``as_user("staff_user")`` → a client logged in as that fixture's user; None → anonymous."""

    def login(name: str | None):
        if name is None:
            return request.getfixturevalue("client")
        return client_for(request.getfixturevalue(name))

    return login
