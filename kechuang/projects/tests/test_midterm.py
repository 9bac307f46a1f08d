"""Mid-term performance evaluation of major projects by a randomly drawn panel."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.projects import services
from kechuang.projects.models import MidtermEvaluation, MidtermScore, Project
from kechuang.projects.tests.conftest import sign


def score(user, evaluation, value=80, recommendation="continue"):
    return services.submit_midterm_score(
        user, evaluation, score=value, opinion="进展符合任务书", recommendation=recommendation
    )


def panel_users(evaluation):
    return [m.expert.user for m in evaluation.panel.select_related("expert__user")]


def test_starting_draws_a_panel_of_k_from_distinct_units_and_tells_them(midterm, signed):
    signed.refresh_from_db()
    assert signed.state == Project.State.MIDTERM
    members = list(midterm.panel.select_related("expert"))
    assert len(members) == 3
    assert len({m.expert.organization_name for m in members}) == 3
    assert midterm.draw.kind == "midterm" and midterm.draw.state == "published"
    for user in panel_users(midterm):
        assert user.notifications.filter(url=f"/projects/midterm/{signed.code}/").exists()
    assert signed.state_changes.last().to_state == "midterm"


def test_experts_from_the_projects_own_organisation_are_not_drawn(
    signed, staff_user, make_expert, org
):
    make_expert("E101", org.name)
    make_expert("E102", "研究院甲")
    evaluation = services.start_midterm(staff_user, signed, k=5)
    assert [m.expert.code for m in evaluation.panel.all()] == ["E102"]
    assert "E101" in evaluation.draw.record["exclusions"]


def test_with_no_eligible_expert_nothing_starts(signed, staff_user, make_expert):
    make_expert("E201", "研究院乙", fields=["电子信息"])
    with pytest.raises(Rejected, match="没有符合条件"):
        services.start_midterm(staff_user, signed, k=3)
    signed.refresh_from_db()
    assert signed.state == "in_progress" and not MidtermEvaluation.objects.exists()


def test_only_major_signed_running_projects_are_evaluated_once(
    make_project, staff_user, today, experts, midterm
):
    minor = sign(make_project(major=False), staff_user, today)
    with pytest.raises(Rejected, match="只针对重大项目"):
        services.start_midterm(staff_user, minor)
    unsigned = make_project()
    with pytest.raises(Rejected, match="任务书尚未签订"):
        services.start_midterm(staff_user, unsigned)
    with pytest.raises(Rejected, match="已进行过中期评估"):
        services.start_midterm(staff_user, midterm.project)
    with pytest.raises(Rejected) as exc:
        services.start_midterm(staff_user, sign(make_project(), staff_user, today), k=0)
    assert exc.value.problems[0].where == "k"


@pytest.mark.parametrize("who", ["enterprise_user", "reporter", "other_enterprise_user"])
def test_only_the_bureau_starts_an_evaluation(request, who, signed, experts):
    with pytest.raises(PermissionDenied):
        services.start_midterm(request.getfixturevalue(who), signed)


def test_a_panel_expert_scores_once(midterm, panel_user):
    s = score(panel_user, midterm, 88)
    assert (s.score, s.member.expert.user) == (88, panel_user)
    with pytest.raises(Rejected, match="已提交评分"):
        score(panel_user, midterm, 90)
    assert MidtermScore.objects.count() == 1


def test_a_score_is_checked(midterm, panel_user):
    with pytest.raises(Rejected) as exc:
        services.submit_midterm_score(
            panel_user, midterm, score=101, opinion="", recommendation="maybe"
        )
    assert {p.where for p in exc.value.problems} == {"score", "opinion", "recommendation"}


@pytest.mark.parametrize("who", ["outsider_expert", "staff_user", "enterprise_user"])
def test_only_panel_members_score(request, who, midterm):
    with pytest.raises(PermissionDenied):
        score(request.getfixturevalue(who), midterm)


def test_the_bureau_concludes_from_the_mean_and_work_resumes(midterm, staff_user):
    for user, value in zip(panel_users(midterm), (80, 85, 91), strict=True):
        score(user, midterm, value)
    services.conclude_midterm(staff_user, midterm, conclusion="continue", note="")
    midterm.refresh_from_db()
    project = Project.objects.get(pk=midterm.project_id)
    assert str(midterm.mean_score) == "85.33" and project.state == "in_progress"
    with pytest.raises(Rejected, match="已有结论"):
        services.conclude_midterm(staff_user, midterm, conclusion="stop", note="改判")


def test_to_stop_terminates_the_project_and_needs_a_reason(midterm, staff_user, panel_user):
    score(panel_user, midterm, 40, "stop")
    with pytest.raises(Rejected) as exc:
        services.conclude_midterm(staff_user, midterm, conclusion="stop", note="")
    assert exc.value.problems[0].where == "conclusion_note"
    services.conclude_midterm(staff_user, midterm, conclusion="stop", note="关键技术路线不可行")
    assert Project.objects.get(pk=midterm.project_id).state == "terminated"


def test_no_conclusion_before_any_score(midterm, staff_user):
    with pytest.raises(Rejected, match="尚无专家提交评分"):
        services.conclude_midterm(staff_user, midterm, conclusion="continue", note="")
    assert Project.objects.get(pk=midterm.project_id).state == "midterm"


def test_after_the_conclusion_no_more_scores(midterm, staff_user, panel_user):
    score(panel_user, midterm)
    services.conclude_midterm(staff_user, midterm, conclusion="adjust", note="调整考核指标")
    other = next(u for u in panel_users(midterm) if u != panel_user)
    with pytest.raises(Rejected, match="不能再评分"):
        score(other, midterm)


# --- the panel pages ---------------------------------------------------------------------------


def test_a_panel_expert_sees_its_projects_and_scores_on_the_page(client_for, midterm, panel_user):
    client = client_for(panel_user)
    listing = client.get("/projects/midterm/mine/").content.decode()
    assert midterm.project.code in listing
    page = f"/projects/midterm/{midterm.project.code}/"
    assert "提交评分" in client.get(page).content.decode()
    response = client.post(
        page, {"score": "86", "recommendation": "continue", "opinion": "进展良好"}
    )
    assert response.status_code == 302
    assert MidtermScore.objects.get().score == 86
    assert "86" in client.get(page).content.decode()


def test_a_bad_score_on_the_page_changes_nothing(client_for, midterm, panel_user):
    response = client_for(panel_user).post(
        f"/projects/midterm/{midterm.project.code}/",
        {"score": "150", "recommendation": "continue", "opinion": "x"},
    )
    assert response.status_code == 200 and "未写入任何数据" in response.content.decode()
    assert not MidtermScore.objects.exists()


def test_an_expert_opening_the_project_page_is_sent_to_the_panel_page(
    client_for, midterm, panel_user
):
    response = client_for(panel_user).get(f"/projects/{midterm.project.code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/projects/midterm/{midterm.project.code}/"


def test_an_expert_not_on_the_panel_is_told_it_does_not_exist_and_is_audited(
    client_for, midterm, outsider_expert
):
    client = client_for(outsider_expert)
    code = midterm.project.code
    assert code not in client.get("/projects/midterm/mine/").content.decode()
    assert client.get(f"/projects/midterm/{code}/").status_code == 404
    assert client.get(f"/projects/{code}/").status_code == 404
    assert (
        client.post(
            f"/projects/midterm/{code}/", {"score": "1", "recommendation": "stop", "opinion": "x"}
        ).status_code
        == 404
    )
    denied = LogEntry.objects.get_for_object(midterm.project).filter(
        action=LogEntry.Action.ACCESS, actor=outsider_expert
    )
    assert denied.count() == 3
    assert denied.first().additional_data["denied"] is True
    assert not MidtermScore.objects.exists()


def test_the_bureau_sees_every_score_and_the_organisation_only_the_result(
    client_for, midterm, panel_user, staff_user, enterprise_user
):
    score(panel_user, midterm, 77)
    url = f"/projects/{midterm.project.code}/"
    staff_html = client_for(staff_user).get(url).content.decode()
    assert "进展符合任务书" in staff_html and "已提交评分的平均分：77.00" in staff_html
    html = client_for(enterprise_user).get(url).content.decode()
    assert "进展符合任务书" not in html and panel_user.expert.name not in html


@pytest.mark.parametrize("who", ["staff_user", "enterprise_user", "reporter"])
def test_the_panel_list_is_for_experts_only(request, client_for, who, midterm):
    assert (
        client_for(request.getfixturevalue(who)).get("/projects/midterm/mine/").status_code == 403
    )
