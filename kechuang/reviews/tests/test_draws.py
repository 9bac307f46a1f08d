"""Making a panel's draw: the chosen experts are invited, the application goes into review."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from kechuang.calls.models import StateChange
from kechuang.core.problems import Rejected
from kechuang.experts.models import Draw
from kechuang.experts.services import chosen
from kechuang.notifications.models import Notification
from kechuang.reviews import services
from kechuang.reviews.models import Assignment, Panel


def test_the_chosen_experts_are_invited_in_draw_order(staff_user, started, library):
    panel = services.perform_panel_draw(staff_user, started)
    draw = Draw.objects.get(pk=panel.draw_id)
    assert draw.state == Draw.State.PUBLISHED
    members = list(panel.assignments.select_related("expert").order_by("position"))
    assert [a.expert.code for a in members] == chosen(draw)
    assert [a.position for a in members] == [1, 2, 3, 4, 5]
    assert all(a.state == Assignment.State.INVITED and a.draw == draw for a in members)
    assert members[1].reason == f"抽取 {draw.draw_id} 第 2 位"
    assert panel.state == Panel.State.ACTIVE and not panel.needs_attention


def test_the_application_goes_into_review_with_its_history(staff_user, started, application):
    services.perform_panel_draw(staff_user, started)
    application.refresh_from_db()
    assert application.state == "in_review"
    change = StateChange.objects.filter(application=application).latest("at")
    assert (change.from_state, change.to_state, change.by) == ("accepted", "in_review", staff_user)
    assert started.draw.draw_id in change.note


def test_each_invited_expert_is_notified_and_mailed(
    staff_user, started, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        panel = services.perform_panel_draw(staff_user, started)
    users = {a.expert.user_id for a in panel.assignments.select_related("expert")}
    notes = Notification.objects.filter(user_id__in=users)
    assert notes.count() == 5
    assert all(n.url == "/reviews/mine/" and "SB-2026-0001" in n.title_zh for n in notes)
    assert len(mail.outbox) == 0, "the test experts have no e-mail address"


def test_a_short_draw_flags_the_panel_with_the_draws_message(
    staff_user, call, application, make_expert
):
    for n in (1, 2, 3):
        make_expert(n)
    services.start_review(staff_user, call)
    panel = services.perform_panel_draw(staff_user, Panel.objects.get(application=application))
    assert panel.assignments.count() == 3
    assert panel.needs_attention
    assert panel.attention_zh == "只能抽出 3 人，少于 k = 5"
    application.refresh_from_db()
    assert application.state == "in_review", "the three drawn may start while staff fill the panel"


def test_a_draw_is_made_once(staff_user, drawn):
    with pytest.raises(Rejected) as exc:
        services.perform_panel_draw(staff_user, drawn)
    assert exc.value.problems[0].message_zh == "该评审组的抽取已经完成"
    assert drawn.assignments.count() == 5


def test_run_draws_makes_every_pending_draw_of_the_call(
    staff_user, call, application, other_application, library
):
    services.start_review(staff_user, call)
    assert services.check_run_draws(staff_user, call) == 2
    assert services.run_draws(staff_user, call) == 2
    assert set(Panel.objects.values_list("state", flat=True)) == {"active"}
    assert Assignment.objects.count() == 10
    with pytest.raises(Rejected) as exc:
        services.run_draws(staff_user, call)
    assert exc.value.problems[0].message_zh == "没有待抽取的评审组"


@pytest.mark.parametrize("who", ["reporter", "applicant", "outsider"])
def test_only_the_bureau_makes_the_draw(request, started, who):
    with pytest.raises(PermissionDenied):
        services.perform_panel_draw(request.getfixturevalue(who), started)
    with pytest.raises(PermissionDenied):
        services.run_draws(request.getfixturevalue(who), started.call)
    assert not Assignment.objects.exists()
