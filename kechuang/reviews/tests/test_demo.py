"""The demo review: panels drawn for the demo call in review, most of them scored (one outlier,
one conflict replaced by an alternate), and ``expert_demo`` with an assignment to score."""

import pytest

from kechuang.calls.models import Application
from kechuang.experts.demo import DEMO_USERNAME
from kechuang.experts.models import Draw
from kechuang.reviews.demo import CALL_CODE, load_reviews_demo, remove_reviews_demo
from kechuang.reviews.models import Assignment, Panel


@pytest.fixture
def demos(staff_user):
    from kechuang.calls.demo import load_calls_demo
    from kechuang.enterprises.demo import load_enterprise_demo
    from kechuang.experts.demo import load_experts_demo

    load_enterprise_demo()
    load_experts_demo()
    load_calls_demo()


def test_the_demo_call_is_reviewed_and_expert_demo_has_work_waiting(demos, client_for):
    counts = load_reviews_demo()
    panels = Panel.objects.filter(call__code=CALL_CODE)
    reviewable = Application.objects.filter(
        call__code=CALL_CODE, state__in=("accepted", "in_review")
    )
    assert counts["panels"] == panels.count() >= 7
    assert set(panels.values_list("application", flat=True)) == set(
        reviewable.values_list("pk", flat=True)
    )
    assert not reviewable.filter(state="accepted").exists()
    assert panels.filter(has_warning=True).exists(), "one outlier"
    assert Assignment.objects.filter(state="conflict").count() == 1
    assert Assignment.objects.filter(replaces__isnull=False).count() == 1, (
        "the alternate stepped in"
    )
    ordered = list(panels.order_by("application__code"))
    for panel in ordered[:-1]:
        waiting = panel.assignments.filter(state__in=("invited", "accepted"))
        assert set(waiting.values_list("expert__user__username", flat=True)) <= {DEMO_USERNAME}
    assert ordered[-1].assignments.filter(state="invited").count() >= 2, "one left part-scored"
    mine = Assignment.objects.filter(expert__user__username=DEMO_USERNAME)
    assert mine.filter(state__in=("invited", "accepted")).exists()
    demo_user = mine.first().expert.user
    page = client_for(demo_user).get("/reviews/mine/")
    assert page.status_code == 200 and page.context["page"].paginator.count == mine.count()
    assert load_reviews_demo()["panels"] == 0, "loading again adds nothing"


def test_the_demo_is_removed_with_its_draws(demos):
    load_reviews_demo()
    counts = remove_reviews_demo()
    assert counts["panels"] >= 7 and counts["draws"] >= 7
    assert not Panel.objects.exists() and not Assignment.objects.exists()
    assert not Draw.objects.filter(kind="review").exists()
    from kechuang.calls.demo import remove_calls_demo
    from kechuang.experts.demo import remove_experts_demo

    remove_calls_demo()
    remove_experts_demo()
