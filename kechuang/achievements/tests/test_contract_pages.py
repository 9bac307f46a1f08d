"""The bureau's contract registry pages: who opens them, filters, Excel, the form."""

from __future__ import annotations

import pytest

from kechuang.achievements.models import TechContract
from kechuang.achievements.tests.conftest import ROLES

URL = "/achievements/contracts/"


def numbers(response) -> list[str]:
    return [c.registration_number for c in response.context["page"].object_list]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_bureau_opens_the_registry(as_role, role, make_contract):
    make_contract()
    expected = 200 if role in {"admin_user", "staff_user"} else 403
    assert as_role(role).get(URL).status_code == expected
    assert as_role(role).get(URL + "new/").status_code == expected


def test_anonymous_visitors_are_sent_to_log_in(client, plan):
    assert client.get(URL).status_code == 302


def test_filters_by_year_kind_and_seller_side(client_for, staff_user, make_contract):
    a = make_contract(year=2023)
    b = make_contract(kind="service", amount="10", trade="10")
    c = make_contract(seller=None, seller_name="北京某公司", seller_in_district=False)
    client = client_for(staff_user)
    assert numbers(client.get(URL + "?year=2023")) == [a.registration_number]
    assert numbers(client.get(URL + "?kind=service")) == [b.registration_number]
    assert numbers(client.get(URL + "?district=0")) == [c.registration_number]
    assert numbers(client.get(URL + "?q=北京")) == [c.registration_number]


def test_the_excel_export_is_the_import_layout(client_for, staff_user, make_contract):
    make_contract()
    response = client_for(staff_user).get(URL + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_bureau_registers_through_the_form(client_for, staff_user, enterprise):
    response = client_for(staff_user).post(
        URL + "new/",
        {
            "registration_number": "2024650202000077",
            "registered_on": "2024-06-01",
            "kind": "transfer",
            "title": "专利技术转让",
            "seller_uscc": enterprise.uscc,
            "buyer_name": "四川某公司",
            "amount": "300000",
            "trade_value": "300000",
        },
    )
    assert response.status_code == 302
    assert TechContract.objects.get().seller == enterprise


def test_the_form_shows_the_problems_and_saves_nothing(client_for, staff_user, enterprise):
    response = client_for(staff_user).post(
        URL + "new/",
        {
            "registration_number": "N",
            "registered_on": "2024-06-01",
            "kind": "transfer",
            "title": "t",
            "seller_uscc": enterprise.uscc,
            "buyer_name": "b",
            "amount": "100",
            "trade_value": "200",
        },
    )
    assert "技术交易额（200 元）超过合同成交额（100 元）" in response.content.decode()
    assert not TechContract.objects.exists()


def test_the_list_costs_the_same_queries_for_3_or_40_contracts(
    client_for, staff_user, make_contract, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        make_contract()
    client = client_for(staff_user)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for _ in range(37):
        make_contract()
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert response.context["page"].paginator.count == 40
