"""The demo calls: four programs, a call in review with applications in every state, an open
call with drafts, last year's decided major call; flagged, idempotent and removable."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest
from django.utils import timezone

from kechuang.calls.demo import load_calls_demo, remove_calls_demo
from kechuang.calls.models import Application, Call, CodeCounter, Program, StateChange


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The enterprise and calls demos, loaded once for this module inside a transaction that
    is rolled back afterwards, so nothing of it outlives the module."""
    from django.db import transaction

    from kechuang.enterprises.demo import load_enterprise_demo

    with django_db_blocker.unblock(), transaction.atomic():
        load_enterprise_demo()
        yield load_calls_demo()
        transaction.set_rollback(True)


@pytest.fixture
def calls_demo(demo_db, db):
    return demo_db


def test_four_programs_and_three_calls_all_flagged(calls_demo):
    assert calls_demo == {"programs": 4, "calls": 3, "applications": 16}
    assert set(Program.objects.values_list("kind", flat=True)) == {
        "major",
        "key_rd",
        "transfer",
        "platform",
    }
    assert not Call.objects.filter(is_demo=False).exists()
    assert not Application.objects.filter(is_demo=False).exists()


def test_the_call_in_review_has_twelve_applications_in_varied_states(calls_demo):
    call = Call.objects.get(code="demo-key-rd-review")
    assert call.state == "reviewing" and call.closes_at < timezone.now()
    states = Counter(call.applications.values_list("state", flat=True))
    assert sum(states.values()) == 12
    assert {"in_review", "accepted", "submitted", "returned", "rejected", "withdrawn"} == set(
        states
    )
    assert [c.weight for c in call.criteria.all()] == [30, 25, 20, 25]
    assert all(a.answers["technology"] for a in call.applications.all())


def test_every_application_has_its_history_step_by_step(calls_demo):
    for app in Application.objects.all():
        steps = list(app.state_changes.values_list("from_state", "to_state"))
        assert steps[0] == ("", "draft") and steps[-1][1] == app.state
        assert all(a[1] == b[0] for a, b in pairwise(steps))


def test_the_open_call_is_open_now_with_drafts(calls_demo):
    call = Call.objects.get(code="demo-transfer-open")
    assert call.is_open()
    assert set(call.applications.values_list("state", flat=True)) == {"draft"}


def test_last_years_major_call_has_an_approved_application(calls_demo):
    call = Call.objects.get(code="demo-major-decided")
    assert call.program.is_major and call.year == timezone.localdate().year - 1
    assert call.applications.filter(state="approved").count() == 1


def test_the_demo_login_owns_a_submitted_application_and_a_draft(calls_demo):
    mine = Application.objects.filter(created_by__username="enterprise_demo")
    assert set(mine.values_list("state", flat=True)) == {"submitted", "draft"}


def test_submitted_applications_carry_their_eligibility_results_and_numbers(calls_demo):
    for app in Application.objects.exclude(state="draft"):
        assert app.code and app.code.startswith(f"SB-{app.call.year}-")
        assert {r["status"] for r in app.eligibility_results} == {"pass"}


def test_loading_again_adds_nothing(calls_demo):
    assert load_calls_demo() == {"programs": 0, "calls": 0, "applications": 0}
    assert Application.objects.count() == 16


def test_removal_leaves_real_records_and_gives_the_numbers_back(calls_demo, staff_user, call_data):
    from kechuang.calls import services

    real = services.create_call(staff_user, **call_data(code="real-call"))
    counts = remove_calls_demo()
    assert counts["applications"] == 16 and counts["calls"] == 3
    assert list(Call.objects.values_list("code", flat=True)) == [real.code]
    assert not StateChange.objects.exists() and not Program.objects.filter(is_demo=True).exists()
    assert set(CodeCounter.objects.values_list("last", flat=True)) == {0}
