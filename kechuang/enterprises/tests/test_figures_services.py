"""Yearly figures: every bad value is named and nothing is written; approval, and edits after it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.core.problems import Rejected
from kechuang.enterprises import services
from kechuang.enterprises.models import YearlyFigures

D = Decimal
GOOD = {
    "operating_revenue": D("30000000"),
    "main_revenue": D("28000000"),
    "other_revenue": D("2000000"),
    "total_income": D("30500000"),
    "non_taxable_income": D("500000"),
    "high_tech_income": D("20000000"),
    "technical_income": D("1000000"),
    "rd_personnel": D("900000"),
    "rd_direct_inputs": D("600000"),
    "rd_outsourced_domestic": D("100000"),
    "rd_outsourced_overseas": D("50000"),
    "rd_domestic": D("1500000"),
    "employees": D("120"),
    "st_staff": D("30"),
    "rd_staff": D("18"),
    "total_assets": D("50000000"),
    "liabilities": D("20000000"),
}


def problems_for(user, enterprise, year, values) -> list[str]:
    with pytest.raises(Rejected) as exc:
        services.save_figures(user, enterprise, year, values)
    assert not YearlyFigures.objects.exists()
    return [str(p) for p in exc.value.problems]


def test_good_figures_are_saved_and_submitted(own_user, enterprise):
    f = services.save_figures(own_user, enterprise, 2024, GOOD, source="2024 年度纳税申报表")
    assert (f.status, f.entered_by, f.rd_total) == ("submitted", own_user, D("1650000"))
    assert f.net_assets_value == D("30000000")


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"operating_revenue": D("-1")}, "营业收入 / operating_revenue", "不能为负数"),
        ({"st_staff": D("121")}, "科技人员数 / st_staff", "超过职工总数"),
        ({"rd_staff": D("200")}, "研发人员数 / rd_staff", "超过职工总数"),
        ({"rd_domestic": D("1700000")}, "境内研究开发费用 / rd_domestic", "超过研发费用合计"),
        ({"high_tech_income": D("29500000")}, "高新技术产品（服务）收入", "超过总收入"),
        ({"main_revenue": D("31000000")}, "主营业务收入 / main_revenue", "超过营业收入"),
        ({"net_assets": D("1")}, "净资产 / net_assets", "不等于资产总额减负债总额"),
    ],
)
def test_each_bad_value_is_named(own_user, enterprise, change, field, says):
    problems = problems_for(own_user, enterprise, 2024, GOOD | change)
    assert any(field in p and says in p for p in problems), problems


def test_a_loss_is_allowed(own_user, enterprise):
    f = services.save_figures(own_user, enterprise, 2024, GOOD | {"net_profit": D("-300000")})
    assert f.net_profit == D("-300000")


def test_a_future_year_is_refused(own_user, enterprise):
    next_year = timezone.localdate().year + 1
    problems = problems_for(own_user, enterprise, next_year, GOOD)
    assert any("年度 / year" in p and "尚未开始" in p for p in problems)


def test_a_year_before_registration_is_refused(own_user, enterprise):
    problems = problems_for(own_user, enterprise, 2010, GOOD)
    assert any("早于企业成立" in p for p in problems)


def test_an_enterprise_user_cannot_report_for_another(own_user, make_enterprise):
    other = make_enterprise(2)
    with pytest.raises(PermissionDenied):
        services.save_figures(own_user, other, 2024, GOOD)


def test_the_bureau_approves_and_an_edit_after_approval_goes_back_for_review(
    own_user, staff_user, enterprise
):
    from auditlog.models import LogEntry

    f = services.save_figures(own_user, enterprise, 2024, GOOD)
    services.approve_figures(staff_user, f)
    f.refresh_from_db()
    assert (f.status, f.approved_by) == ("approved", staff_user)
    with pytest.raises(PermissionDenied):
        services.approve_figures(own_user, f)
    services.save_figures(own_user, enterprise, 2024, {"employees": D("125")}, submit=False)
    f.refresh_from_db()
    assert (f.status, f.approved_by, f.employees, f.st_staff) == ("submitted", None, 125, 30)
    history = LogEntry.objects.get_for_object(f).order_by("timestamp")
    change = history.last().changes_dict
    assert change["employees"] == ["120.00", "125.00"] or change["employees"][1] in {
        "125",
        "125.00",
    }
    assert change["status"][0] == "approved"


def test_saving_the_same_figures_again_changes_nothing(own_user, enterprise):
    first = services.save_figures(own_user, enterprise, 2024, GOOD)
    again = services.save_figures(own_user, enterprise, 2024, GOOD)
    assert again.pk == first.pk and YearlyFigures.objects.count() == 1


def test_returning_needs_a_reason(staff_user, own_user, enterprise):
    f = services.save_figures(own_user, enterprise, 2024, GOOD)
    with pytest.raises(Rejected):
        services.return_figures(staff_user, f, " ")
    services.return_figures(staff_user, f, "研发费用与申报表不一致")
    f.refresh_from_db()
    assert (f.status, f.review_comment) == ("draft", "研发费用与申报表不一致")
