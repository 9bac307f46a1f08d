"""The bureau's voucher home: every scheme with its reconciliation, and new schemes."""

import pytest

from kechuang.vouchers.models import Scheme
from kechuang.vouchers.tests.conftest import W

URL = "/vouchers/"


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


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
def test_only_the_bureau_sees_the_schemes(as_role, who, status, scheme):
    assert as_role(who).get(URL).status_code == status


def test_each_scheme_shows_its_reconciliation_with_a_check_mark(client_for, staff_user, flow):
    flow.redeeming(10 * W)
    response = client_for(staff_user).get(URL)
    ((_scheme, rec),) = response.context["rows"]
    assert rec.ok and rec.totals.issued == 10 * W and rec.totals.redeemed == 8 * W
    body = response.content.decode()
    assert "账实相符" in body and "流通中" in body and "可发放" in body


def test_an_empty_platform_says_how_to_start(client_for, staff_user):
    body = client_for(staff_user).get(URL).content.decode()
    assert "尚未设立券种" in body


def test_the_bureau_sets_up_a_scheme_from_the_form(client_for, staff_user, today):
    response = client_for(staff_user).post(
        URL,
        {
            "action": "create",
            "year": today.year,
            "name": "企业研发创新券",
            "budget": "200",
            "cap": "20",
            "ratio_pct": "50",
            "categories": ["testing", "ip"],
            "issue_from": f"{today.year}-01-01",
            "issue_until": f"{today.year}-12-31",
            "validity_days": "180",
        },
    )
    assert response.status_code == 302
    scheme = Scheme.objects.get(name="企业研发创新券")
    assert (
        scheme.budget == 200 * W and scheme.cap == 20 * W and str(scheme.subsidy_ratio) == "0.5000"
    )


def test_a_bad_scheme_keeps_the_form_and_lists_the_problems(client_for, staff_user, today):
    response = client_for(staff_user).post(
        URL, {"action": "create", "year": today.year, "name": "", "budget": "-1"}
    )
    assert response.status_code == 200 and response.context["problems"]
    assert "未写入任何数据" in response.content.decode()
    assert not Scheme.objects.exists()


def test_the_list_costs_the_same_queries_however_many_schemes(
    client_for, staff_user, make_scheme, django_assert_max_num_queries
):
    for i in range(6):
        make_scheme(name=f"券种{i}")
    c = client_for(staff_user)
    c.get(URL)
    with django_assert_max_num_queries(15):
        assert c.get(URL).status_code == 200
