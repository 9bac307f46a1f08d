"""Yearly metrics: the host or the bureau submits, the bureau approves; bad figures are refused
with both numbers named and nothing written; every step is kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.carriers import services
from kechuang.carriers.models import CarrierMetrics, CarrierMetricsLog
from kechuang.core.problems import Rejected

GOOD = {
    "area_m2": Decimal("12000"),
    "firms_incubating": 30,
    "firms_graduated": 4,
    "jobs": 210,
    "investment_raised": Decimal("5200000.00"),
}


def test_the_host_submits_its_carriers_year_for_review(host_user, incubator):
    m = services.save_metrics(host_user, incubator, 2024, GOOD, source="年度统计报表")
    assert m.status == CarrierMetrics.Status.SUBMITTED and m.submitted_by == host_user
    assert m.firms_incubating == 30 and m.investment_raised == Decimal("5200000.00")
    log = m.log.get()
    assert log.action == "submitted" and log.values["firms_graduated"] == "4"


def test_more_graduates_than_firms_in_incubation_is_refused_naming_both(host_user, incubator):
    with pytest.raises(Rejected) as exc:
        services.save_metrics(
            host_user, incubator, 2024, {"firms_incubating": 12, "firms_graduated": 15}
        )
    (problem,) = exc.value.problems
    assert "毕业企业数（15）超过当年在孵企业数（12）" in problem.message_zh
    assert "firms_graduated" in problem.where
    assert not CarrierMetrics.objects.exists() and not CarrierMetricsLog.objects.exists()


def test_the_check_counts_the_stored_firms_too(host_user, incubator):
    services.save_metrics(host_user, incubator, 2024, {"firms_incubating": 10})
    with pytest.raises(Rejected) as exc:
        services.save_metrics(host_user, incubator, 2024, {"firms_graduated": 11})
    assert "毕业企业数（11）超过当年在孵企业数（10）" in str(exc.value)


def test_negative_numbers_are_refused(host_user, incubator):
    with pytest.raises(Rejected) as exc:
        services.save_metrics(
            host_user, incubator, 2024, {"jobs": -3, "investment_raised": Decimal("-1")}
        )
    text = str(exc.value)
    assert "带动就业人数不能为负数（-3）" in text and "在孵企业获得投融资不能为负数（-1）" in text
    assert not CarrierMetrics.objects.exists()


def test_a_year_before_recognition_is_refused(host_user, incubator):
    with pytest.raises(Rejected) as exc:
        services.save_metrics(host_user, incubator, 2019, GOOD)
    assert "年度 2019 早于载体认定（成立）日期 2020-03-01" in str(exc.value)
    assert not CarrierMetrics.objects.exists()


def test_a_year_not_yet_begun_is_refused(host_user, incubator):
    year = timezone.localdate().year + 1
    with pytest.raises(Rejected) as exc:
        services.save_metrics(host_user, incubator, year, GOOD)
    assert f"年度 {year} 尚未开始" in str(exc.value)


def test_a_lab_reports_people_and_outputs_not_incubation(staff_user, lab):
    with pytest.raises(Rejected) as exc:
        services.save_metrics(staff_user, lab, 2024, {"firms_incubating": 3, "patents": 2})
    assert "该类型载体不填写在孵企业数" in str(exc.value)
    m = services.save_metrics(staff_user, lab, 2024, {"staff": 18, "patents": 2, "papers": 5})
    assert (m.staff, m.patents, m.papers) == (18, 2, 5)


def test_other_enterprises_and_other_roles_may_not_report(request, incubator):
    for who in ("enterprise_user", "reporter", "expert_user", "provider_user"):
        with pytest.raises(PermissionDenied):
            services.save_metrics(request.getfixturevalue(who), incubator, 2024, GOOD)
    assert not CarrierMetrics.objects.exists()


def test_the_bureau_approves_and_a_later_change_goes_back_for_review(
    staff_user, host_user, incubator
):
    m = services.save_metrics(host_user, incubator, 2024, GOOD)
    services.approve_metrics(staff_user, m, "核实无误")
    m.refresh_from_db()
    assert m.status == "approved" and m.approved_by == staff_user
    m = services.save_metrics(host_user, incubator, 2024, {"jobs": 230})
    assert m.status == "submitted" and m.approved_by is None and m.jobs == 230
    actions = list(m.log.order_by("id").values_list("action", flat=True))
    assert actions == ["submitted", "approved", "submitted"]
    approved = m.log.get(action="approved")
    assert approved.values["jobs"] == "210", "the approved figures stay on record"


def test_resubmitting_the_same_figures_changes_nothing(host_user, incubator):
    services.save_metrics(host_user, incubator, 2024, GOOD)
    services.save_metrics(host_user, incubator, 2024, GOOD)
    assert CarrierMetricsLog.objects.count() == 1


def test_returned_figures_carry_the_reason_and_can_be_resubmitted(staff_user, host_user, incubator):
    m = services.save_metrics(host_user, incubator, 2024, GOOD)
    with pytest.raises(Rejected):
        services.return_metrics(staff_user, m, "")
    services.return_metrics(staff_user, m, "投融资金额请附凭证")
    m.refresh_from_db()
    assert m.status == "returned" and m.review_comment == "投融资金额请附凭证"
    m = services.save_metrics(host_user, incubator, 2024, GOOD)
    assert m.status == "submitted"


def test_the_host_may_not_approve_its_own_figures(host_user, incubator):
    m = services.save_metrics(host_user, incubator, 2024, GOOD)
    with pytest.raises(PermissionDenied):
        services.approve_metrics(host_user, m)


def test_only_submitted_figures_are_approved(staff_user, incubator):
    m = services.save_metrics(staff_user, incubator, 2024, GOOD)
    services.approve_metrics(staff_user, m)
    with pytest.raises(Rejected) as exc:
        services.approve_metrics(staff_user, m)
    assert "只有待审核的数据可以审核" in str(exc.value)


def test_the_host_hears_of_an_approval_or_a_return(staff_user, host_user, incubator):
    from kechuang.notifications.models import Notification

    m = services.save_metrics(host_user, incubator, 2024, GOOD)
    services.return_metrics(staff_user, m, "请补充凭证")
    n = Notification.objects.get(user=host_user)
    assert n.title_zh == "测试众创空间 2024 年度数据被退回" and n.body_zh == "请补充凭证"
    assert n.url == f"/carriers/{incubator.pk}/"
