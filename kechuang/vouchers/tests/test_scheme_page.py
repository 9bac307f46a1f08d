"""One scheme: its report per enterprise, provider, category and month, Excel, chart, ledger."""

import io

import pytest
from openpyxl import load_workbook

from kechuang.vouchers.models import LedgerEntry
from kechuang.vouchers.tests.conftest import W


def url(scheme) -> str:
    return f"/vouchers/schemes/{scheme.pk}/"


@pytest.mark.parametrize(
    "who,status",
    [
        ("admin_user", 200),
        ("staff_user", 200),
        ("reporter", 403),
        ("enterprise_user", 403),
        ("expert", 403),
        ("provider_user", 403),
    ],
)
def test_only_the_bureau_opens_a_scheme(as_role, who, status, scheme):
    assert as_role(who).get(url(scheme)).status_code == status


def test_anonymous_users_are_sent_to_log_in(client, scheme):
    assert client.get(url(scheme)).status_code == 302


def test_the_report_breaks_the_money_down(client_for, staff_user, flow, scheme, provider):
    _v, claim = flow.redeeming(10 * W, contract=16 * W)
    flow.settle(flow.verify(claim))
    flow.issue(5 * W)
    response = client_for(staff_user).get(url(scheme))
    report = response.context["report"]
    (firm,) = report.by_enterprise
    assert (firm.label, firm.count, firm.issued, firm.redeemed, firm.settled) == (
        "测试企业",
        2,
        15 * W,
        8 * W,
        8 * W,
    )
    (prov,) = report.by_provider
    assert (prov.label, prov.count, prov.redeemed) == (provider.name, 1, 8 * W)
    (cat,) = report.by_category
    assert cat.label == "检验检测"
    (month,) = report.by_month
    assert (month.count, month.issued, month.redeemed, month.settled) == (2, 15 * W, 8 * W, 8 * W)
    body = response.content.decode()
    assert "/static/vendor/plotly/plotly.min.js" in body and "voucher-chart-data" in body
    assert response.context["rec"].ok


def test_the_report_exports_to_excel_one_tab_per_breakdown(client_for, staff_user, flow, scheme):
    flow.redeeming()
    response = client_for(staff_user).get(url(scheme) + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["按企业", "按服务机构", "按服务类别", "按月份"]
    assert list(wb["按企业"].iter_rows(values_only=True))[1][:3] == ("测试企业", 1, 100000)


def test_staff_raise_the_budget_and_close_the_scheme(client_for, staff_user, scheme):
    c = client_for(staff_user)
    assert c.post(url(scheme), {"action": "budget", "budget": "150"}).status_code == 302
    assert c.post(url(scheme), {"action": "state", "state": "closed"}).status_code == 302
    scheme.refresh_from_db()
    assert scheme.budget == 150 * W and scheme.state == "closed"
    assert LedgerEntry.objects.filter(scheme=scheme).count() == 2


def test_a_cut_below_what_is_issued_is_shown_and_nothing_changes(
    client_for, staff_user, scheme, flow
):
    flow.issue(20 * W)
    response = client_for(staff_user).post(url(scheme), {"action": "budget", "budget": "10"})
    assert response.status_code == 200 and "总预算不能低于该数" in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.budget == 100 * W


def test_the_page_costs_a_fixed_number_of_queries(
    client_for, staff_user, flow, scheme, django_assert_max_num_queries
):
    for _ in range(5):
        flow.redeeming(W, contract=W)
    c = client_for(staff_user)
    c.get(url(scheme))
    with django_assert_max_num_queries(20):
        assert c.get(url(scheme)).status_code == 200
