"""The enterprise's own vouchers: apply, see state and expiry, choose the contracted service."""

import pytest

from kechuang.vouchers.models import Voucher, VoucherApplication
from kechuang.vouchers.tests.conftest import W

URL = "/vouchers/mine/"


@pytest.mark.parametrize("who", ["admin_user", "staff_user", "reporter", "expert", "provider_user"])
def test_only_enterprise_users_have_this_page(as_role, who, scheme):
    assert as_role(who).get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_an_enterprise_sees_its_own_vouchers_only(
    client_for, enterprise_user, flow, other_enterprise_user, other_enterprise
):
    mine = flow.issue(W)
    flow.issue(W, who=other_enterprise_user, firm=other_enterprise)
    response = client_for(enterprise_user).get(URL)
    assert [v.number for v in response.context["vouchers"]] == [mine.number]
    assert "还剩" in response.content.decode()


def test_an_enterprise_applies_from_the_form(client_for, enterprise_user, enterprise, scheme):
    response = client_for(enterprise_user).post(
        URL,
        {
            "action": "apply",
            "scheme": scheme.pk,
            "amount": "8",
            "category": "testing",
            "purpose": "新产品型式检验",
        },
    )
    assert response.status_code == 302
    app = VoucherApplication.objects.get()
    assert app.amount == 8 * W and app.submitted_by == enterprise_user


def test_a_refused_application_keeps_what_was_typed_and_says_why(
    client_for, enterprise_user, enterprise, scheme
):
    response = client_for(enterprise_user).post(
        URL,
        {
            "action": "apply",
            "scheme": scheme.pk,
            "amount": "25",
            "category": "testing",
            "purpose": "检测",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "每家企业上限 ¥20.00万" in body
    assert 'value="25"' in body and not VoucherApplication.objects.exists()


def test_an_enterprise_chooses_the_service_it_contracted(
    client_for, enterprise_user, flow, provider
):
    voucher = flow.issue()
    service = provider.services.first()
    body = client_for(enterprise_user).get(URL).content.decode()
    assert service.name in body
    client_for(enterprise_user).post(
        URL, {"action": "use", "voucher": voucher.pk, "service": service.pk}
    )
    assert Voucher.objects.get(pk=voucher.pk).provider == provider


def test_another_enterprises_voucher_cannot_be_used_from_here(
    client_for, enterprise_user, flow, other_enterprise_user, other_enterprise, provider
):
    theirs = flow.issue(W, who=other_enterprise_user, firm=other_enterprise)
    response = client_for(enterprise_user).post(
        URL, {"action": "use", "voucher": theirs.pk, "service": provider.services.first().pk}
    )
    assert response.status_code == 404
    assert Voucher.objects.get(pk=theirs.pk).provider is None


def test_an_enterprise_user_without_an_enterprise_is_told_so(client_for, enterprise_user):
    assert "尚未关联企业库中的企业" in client_for(enterprise_user).get(URL).content.decode()


def test_the_page_costs_a_fixed_number_of_queries(
    client_for, enterprise_user, flow, django_assert_max_num_queries
):
    for _ in range(6):
        flow.assigned(W)
    c = client_for(enterprise_user)
    c.get(URL)
    with django_assert_max_num_queries(14):
        assert len(c.get(URL).context["vouchers"]) == 6
