"""The talent demo: the plan's programs, a decided 2026 call with its verifiable panels and
selected people, an open call with ``enterprise_demo``'s draft; idempotent and removable."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from kechuang.experts.models import Draw
from kechuang.talent.demo import load_talent_demo, remove_talent_demo
from kechuang.talent.models import (
    Talent,
    TalentApplication,
    TalentCall,
    TalentProgram,
    TalentScore,
)


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The plan demo (logins), enterprises, experts and talent demos, loaded once for this
    module inside a transaction rolled back afterwards."""
    from django.conf import settings

    from kechuang.enterprises.demo import load_enterprise_demo
    from kechuang.experts.demo import load_experts_demo
    from kechuang.web.demo import load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(settings.BASE_DIR / "data" / "demo" / "dushanzi-demo.yaml")
        load_enterprise_demo()
        load_experts_demo()
        yield load_talent_demo()
        transaction.set_rollback(True)


@pytest.fixture
def talent_demo(demo_db, db):
    return demo_db


def test_the_programs_the_plan_names_are_there(talent_demo):
    names = set(TalentProgram.objects.values_list("name", flat=True))
    assert {"领军人才", "拔尖人才", "油城英才", "双创杰青", "天山工匠", "特聘专家"} <= names
    assert not TalentProgram.objects.filter(support_amount__isnull=False).exists()


def test_the_decided_call_has_selected_people_in_the_registry(talent_demo):
    call = TalentCall.objects.get(code="demo-youcheng-2026")
    assert (call.year, call.state) == (2026, "decided")
    assert talent_demo["talents"] == Talent.objects.count() == 3
    assert set(call.applications.values_list("state", flat=True)) == {"approved", "not_approved"}
    assert all(t.is_demo and t.application.state == "approved" for t in Talent.objects.all())
    # Each nomination is its employer's work, never the bureau's.
    for app in call.applications.select_related("created_by"):
        assert app.created_by.organization_id == app.employer_id


def test_each_decided_nomination_has_a_published_draw_and_a_full_panel_of_sheets(talent_demo):
    apps = TalentApplication.objects.filter(call__code="demo-youcheng-2026")
    assert talent_demo["draws"] == apps.count() == 5
    for app in apps:
        assert app.assignments.count() == 5
        assert TalentScore.objects.filter(assignment__application=app).count() == 5
        assert {a.draw.state for a in app.assignments.all()} == {"published"}
        assert app.name not in app.assignments.first().draw.subject_label


def test_the_open_call_holds_enterprise_demos_draft(talent_demo):
    call = TalentCall.objects.get(code="demo-youth-open")
    assert call.is_open()
    (draft,) = call.applications.all()
    assert draft.state == "draft" and draft.employer.users.filter(username="enterprise_demo")


def test_no_id_number_is_stored_in_the_clear(talent_demo):
    for app in TalentApplication.objects.all():
        assert "*" in app.id_number_masked and app.id_number_token.startswith("gAAAAA")


def test_loading_again_adds_nothing(talent_demo):
    before = TalentApplication.objects.count()
    assert load_talent_demo() == {
        "programs": 0,
        "calls": 0,
        "applications": 0,
        "talents": 0,
        "draws": 0,
    }
    assert TalentApplication.objects.count() == before


def test_removal_leaves_the_programs_and_nothing_demo(talent_demo):
    counts = remove_talent_demo()
    assert counts["talents"] == 3 and counts["calls"] == 2
    assert not TalentApplication.objects.exists() and not TalentCall.objects.exists()
    assert not Draw.objects.filter(purpose__startswith="人才评审").exists()
    assert TalentProgram.objects.count() == 8
    assert not get_user_model().objects.filter(username__startswith="demo_talent_").exists()
