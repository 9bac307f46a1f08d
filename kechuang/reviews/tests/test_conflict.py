"""Declaring a conflict: the expert leaves the panel and the next fitting alternate of the
draw takes the place; with the alternates used up the panel is flagged for staff.

Draws here walk the library in code order (``ordered_draws``): for a panel of two from
E1 (unit 1), E2 (unit 2), E3 and E4 (both unit 3) and E5 (unit 4), E1 and E2 are chosen and
E3, E4, E5 stand as alternates in that order.
"""

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.calls.models import Call
from kechuang.core.problems import Rejected
from kechuang.experts.services import alternates
from kechuang.notifications.models import Notification
from kechuang.reviews import services
from kechuang.reviews.models import Assignment, Panel
from kechuang.reviews.tests.conftest import sheet

A = Assignment.State


@pytest.fixture
def panel(ordered_draws, staff_user, call, application, make_expert):
    Call.objects.filter(pk=call.pk).update(panel_size=2)
    call.refresh_from_db()
    for n, unit in ((1, "单位一"), (2, "单位二"), (3, "单位三"), (4, "单位三"), (5, "单位四")):
        make_expert(n, unit=unit)
    services.start_review(staff_user, call)
    return services.perform_panel_draw(staff_user, Panel.objects.get(application=application))


def seat(panel, code: str) -> Assignment:
    return panel.assignments.select_related("expert__user").get(expert__code=code)


def active(panel) -> list[str]:
    qs = panel.assignments.exclude(state=A.CONFLICT).order_by("position")
    return list(qs.values_list("expert__code", flat=True))


def conflict(panel, code: str, reason: str = "与申报单位有合作关系"):
    a = seat(panel, code)
    return services.declare_conflict(a.expert.user, a, reason)


def test_the_draw_stands_as_described(panel):
    assert active(panel) == ["E00001", "E00002"]
    assert alternates(panel.draw) == ["E00003", "E00004", "E00005"]


def test_the_first_alternate_replaces_the_expert_who_declared(panel):
    replacement = conflict(panel, "E00001", "曾在申报单位兼职")
    gone = seat(panel, "E00001")
    assert gone.state == A.CONFLICT and gone.conflict_reason == "曾在申报单位兼职"
    assert gone.responded_at is not None
    assert replacement.expert.code == "E00003" and replacement.replaces == gone
    assert replacement.state == A.INVITED and replacement.position == 3
    assert replacement.reason == (
        f"替补：E00001 因回避（曾在申报单位兼职），由 {panel.draw.draw_id} 候补第 1 位递补"
    )
    assert active(panel) == ["E00002", "E00003"]
    assert Notification.objects.filter(user=replacement.expert.user).count() == 1


def test_an_alternate_from_an_active_members_unit_is_passed_over(panel):
    conflict(panel, "E00001")  # E3 (unit 3) joins
    replacement = conflict(panel, "E00002")
    # E4 shares unit 3 with E3, who is on the panel: E5 comes in.
    assert replacement.expert.code == "E00005"
    assert "候补第 3 位" in replacement.reason
    assert active(panel) == ["E00003", "E00005"]


def test_an_alternate_already_on_the_panel_is_passed_over(panel):
    conflict(panel, "E00001")  # E3 joins
    replacement = conflict(panel, "E00003")  # E3 is on the panel (now conflicted): E4 is next
    assert replacement.expert.code == "E00004" and replacement.replaces == seat(panel, "E00003")
    assert active(panel) == ["E00002", "E00004"]


def test_with_the_alternates_used_up_the_panel_is_flagged_for_staff(panel):
    conflict(panel, "E00001")  # E3
    conflict(panel, "E00002")  # E5
    conflict(panel, "E00003")  # E4
    assert conflict(panel, "E00004") is None
    panel.refresh_from_db()
    assert panel.needs_attention
    assert (
        panel.attention_zh == "E00004 回避后候补专家已用完，评审组现有 1 人（需 2 人），请补充抽取"
    )
    assert active(panel) == ["E00005"]


def test_a_conflict_needs_a_reason_and_changes_nothing_without_one(panel):
    a = seat(panel, "E00001")
    with pytest.raises(Rejected) as exc:
        services.declare_conflict(a.expert.user, a, "  ")
    assert [(p.where, p.message_zh) for p in exc.value.problems] == [("reason", "请填写回避理由")]
    assert seat(panel, "E00001").state == A.INVITED and panel.assignments.count() == 2


def test_no_conflict_after_the_sheet_is_submitted(panel):
    a = seat(panel, "E00001")
    services.submit_scores(a.expert.user, a, sheet(panel.call, 80, 80, 8, 80), "好", True)
    with pytest.raises(Rejected) as exc:
        services.declare_conflict(a.expert.user, a, "后来发现有合作")
    assert "已提交评分" in exc.value.problems[0].message_zh
    assert seat(panel, "E00001").state == A.SUBMITTED


def test_an_accepted_assignment_may_still_be_declared_a_conflict(panel):
    a = seat(panel, "E00001")
    services.accept_assignment(a.expert.user, a)
    assert conflict(panel, "E00001").expert.code == "E00003"


def test_only_the_expert_declares_their_own_conflict(panel, staff_user):
    a = seat(panel, "E00001")
    for user in (seat(panel, "E00002").expert.user, staff_user):
        with pytest.raises(PermissionDenied):
            services.declare_conflict(user, a, "代为回避")
    assert seat(panel, "E00001").state == A.INVITED


def test_the_conflicted_expert_no_longer_reads_the_application(panel, application):
    user = seat(panel, "E00001").expert.user
    assert user.has_perm("calls.view_application", application)
    conflict(panel, "E00001")
    assert not user.has_perm("calls.view_application", application)
    assert seat(panel, "E00003").expert.user.has_perm("calls.view_application", application)


# --- the supplementary draw ----------------------------------------------------------------------


@pytest.fixture
def exhausted(panel):
    for code in ("E00001", "E00002", "E00003", "E00004"):
        conflict(panel, code)
    return Panel.objects.get(pk=panel.pk)


def test_a_supplementary_draw_fills_the_places_left(staff_user, exhausted, make_expert):
    make_expert(6, unit="单位四")  # E5's unit: excluded
    make_expert(7, unit="单位七")
    panel = services.open_supplementary_draw(staff_user, exhausted)
    draw = panel.draw
    assert panel.state == Panel.State.COMMITTED and draw.state == "committed" and draw.k == 1
    exclusions = draw.record["exclusions"]
    assert exclusions["E00001"] == "已声明回避 / declared a conflict"
    assert exclusions["E00005"] == "已在本评审组 / already on this panel"
    assert exclusions["E00006"] == "与评审组成员 E00005 同单位 / same organisation as E00005"
    assert "E00007" not in exclusions
    panel = services.perform_panel_draw(staff_user, panel)
    assert active(panel) == ["E00005", "E00007"]
    newcomer = seat(panel, "E00007")
    assert newcomer.reason == f"补充抽取 {draw.draw_id} 第 1 位" and newcomer.draw == draw
    assert not panel.needs_attention and panel.attention_zh == ""


def test_a_supplementary_draw_that_finds_nobody_keeps_the_flag(staff_user, exhausted):
    panel = services.perform_panel_draw(
        staff_user, services.open_supplementary_draw(staff_user, exhausted)
    )
    assert panel.needs_attention and "少于 k = 1" in panel.attention_zh


def test_a_complete_panel_needs_no_supplementary_draw(staff_user, panel):
    with pytest.raises(Rejected) as exc:
        services.open_supplementary_draw(staff_user, panel)
    assert exc.value.problems[0].message_zh == "评审组人数已满"


def test_a_pending_draw_is_made_before_another_is_opened(staff_user, exhausted):
    services.open_supplementary_draw(staff_user, exhausted)
    with pytest.raises(Rejected) as exc:
        services.open_supplementary_draw(staff_user, exhausted)
    assert exc.value.problems[0].message_zh == "请先完成该评审组的抽取"


def test_a_later_conflict_may_take_an_alternate_of_the_supplementary_draw(
    staff_user, exhausted, make_expert
):
    make_expert(7, unit="单位七")
    make_expert(8, unit="单位八")
    panel = services.perform_panel_draw(
        staff_user, services.open_supplementary_draw(staff_user, exhausted)
    )
    assert alternates(panel.draw) == ["E00008"]
    # E5 came from the first draw, whose alternates are used up: the supplementary one's serve.
    assert conflict(panel, "E00005").expert.code == "E00008"


def test_only_the_bureau_opens_a_supplementary_draw(exhausted):
    user = seat(exhausted, "E00005").expert.user
    with pytest.raises(PermissionDenied):
        services.open_supplementary_draw(user, exhausted)
