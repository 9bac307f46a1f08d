"""The provider's page: the vouchers assigned to it, its claims, and its services."""

import pytest

from kechuang.vouchers.models import Service
from kechuang.vouchers.tests.conftest import W

URL = "/vouchers/provider/"


@pytest.mark.parametrize(
    "who", ["admin_user", "staff_user", "reporter", "enterprise_user", "expert"]
)
def test_only_provider_users_have_this_page(as_role, who, db):
    assert as_role(who).get(URL).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_a_provider_sees_only_the_vouchers_assigned_to_it(
    client_for, provider_user, other_provider_user, other_provider, flow
):
    ours = flow.assigned(W)
    theirs = flow.assign(flow.issue(W), other_provider.services.first())
    response = client_for(provider_user).get(URL)
    assert [v.number for v in response.context["vouchers"]] == [ours.number]
    other = client_for(other_provider_user).get(URL)
    assert [v.number for v in other.context["vouchers"]] == [theirs.number]


def test_the_claim_history_lists_its_claims(client_for, provider_user, flow):
    _v, claim = flow.redeeming()
    response = client_for(provider_user).get(URL)
    assert [r.pk for r in response.context["claims"]] == [claim.pk]


def test_a_provider_adds_a_service_in_its_categories(client_for, provider_user, provider):
    c = client_for(provider_user)
    c.post(URL, {"action": "service", "category": "ip", "name": "专利检索", "price_note": ""})
    assert Service.objects.filter(provider=provider, name="专利检索").exists()
    response = c.post(URL, {"action": "service", "category": "finance", "name": "融资"})
    assert response.status_code == 200 and "不在本机构登记的服务类别内" in response.content.decode()


def test_a_provider_login_without_a_registered_provider_is_told_so(client_for, plan):
    from kechuang.accounts.models import Organization, User

    org = Organization.objects.create(code="prv-x", name="未登记机构", kind="provider")
    user = User.objects.create_user(username="p0", password="x", role="provider", organization=org)
    assert "尚未登记为创新券服务机构" in client_for(user).get(URL).content.decode()


def test_the_page_costs_a_fixed_number_of_queries(
    client_for, provider_user, flow, django_assert_max_num_queries
):
    for _ in range(5):
        flow.redeeming(W, contract=W)
    c = client_for(provider_user)
    c.get(URL)
    with django_assert_max_num_queries(12):
        assert c.get(URL).status_code == 200
