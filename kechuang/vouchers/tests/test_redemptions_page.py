"""The bureau's queue of claims: verify, send back, then pay."""

import pytest

from kechuang.vouchers.models import Redemption, Voucher
from kechuang.vouchers.tests.conftest import W

URL = "/vouchers/redemptions/"


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
def test_only_the_bureau_sees_the_queue(as_role, who, status, scheme):
    assert as_role(who).get(URL).status_code == status


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_staff_verify_then_settle_from_the_queue(client_for, staff_user, flow):
    voucher, claim = flow.redeeming()
    c = client_for(staff_user)
    page = c.get(URL)
    assert [r.pk for r in page.context["page"]] == [claim.pk]
    assert "合同.pdf" not in page.content.decode() and "服务合同" in page.content.decode()
    assert c.post(URL, {"action": "verify", "redemption": claim.pk}).status_code == 302
    assert [r.pk for r in c.get(URL + "?state=verified").context["page"]] == [claim.pk]
    c.post(URL + "?state=verified", {"action": "settle", "redemption": claim.pk})
    assert Redemption.objects.get(pk=claim.pk).state == "settled"
    assert Voucher.objects.get(pk=voucher.pk).state == "settled"


def test_paying_before_verifying_is_refused_with_the_reason(client_for, staff_user, flow):
    _v, claim = flow.redeeming()
    response = client_for(staff_user).post(URL, {"action": "settle", "redemption": claim.pk})
    assert response.status_code == 200 and "须先审核" in response.content.decode()


def test_staff_send_a_claim_back_with_a_reason(client_for, staff_user, flow):
    voucher, claim = flow.redeeming()
    client_for(staff_user).post(
        URL, {"action": "reject", "redemption": claim.pk, "reason": "发票不符"}
    )
    assert Redemption.objects.get(pk=claim.pk).rejection_reason == "发票不符"
    assert Voucher.objects.get(pk=voucher.pk).state == "issued"


def test_the_queue_costs_a_fixed_number_of_queries(
    client_for, staff_user, flow, django_assert_max_num_queries
):
    for _ in range(6):
        flow.redeeming(W, contract=W)
    c = client_for(staff_user)
    c.get(URL)
    with django_assert_max_num_queries(10):
        assert len(c.get(URL).context["page"].object_list) == 6
