"""Every voucher for the bureau: filters, sorting, pagination and Excel."""

import io

import pytest
from openpyxl import load_workbook

from kechuang.vouchers.tests.conftest import W

URL = "/vouchers/list/"


def numbers(response) -> list[str]:
    return [v.number for v in response.context["page"].object_list]


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
def test_only_the_bureau_lists_vouchers(as_role, who, status, scheme):
    assert as_role(who).get(URL).status_code == status
    assert as_role(who).get(URL + "?format=xlsx").status_code == status


def test_filters_by_state_scheme_provider_and_search(
    client_for, staff_user, flow, scheme, provider
):
    unused = flow.issue(W)
    claimed, _ = flow.redeeming(2 * W)
    c = client_for(staff_user)
    assert numbers(c.get(URL + "?state=issued")) == [unused.number]
    assert numbers(c.get(URL + f"?provider={provider.pk}")) == [claimed.number]
    assert set(numbers(c.get(URL + f"?scheme={scheme.pk}"))) == {unused.number, claimed.number}
    assert numbers(c.get(URL + f"?q={claimed.number[-4:]}")) == [claimed.number]
    assert len(numbers(c.get(URL + "?q=测试企业"))) == 2


def test_sorts_by_face_value(client_for, staff_user, flow):
    small, big = flow.issue(W), flow.issue(3 * W)
    c = client_for(staff_user)
    assert numbers(c.get(URL + "?sort=-face")) == [big.number, small.number]
    assert numbers(c.get(URL + "?sort=face")) == [small.number, big.number]
    assert numbers(c.get(URL + "?sort=bogus")) == [big.number, small.number]


def test_exports_the_filtered_vouchers_to_excel(client_for, staff_user, flow):
    v = flow.issue(W)
    response = client_for(staff_user).get(URL + "?format=xlsx&state=issued")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "券号" and rows[1][0] == v.number and rows[1][4] == 10000


def test_an_empty_list_says_where_vouchers_come_from(client_for, staff_user, scheme):
    assert "申领审核" in client_for(staff_user).get(URL).content.decode()


def test_the_list_costs_a_fixed_number_of_queries(
    client_for, staff_user, flow, django_assert_max_num_queries
):
    for _ in range(8):
        flow.assigned(W)
    c = client_for(staff_user)
    c.get(URL)
    with django_assert_max_num_queries(10):
        assert len(numbers(c.get(URL))) == 8
