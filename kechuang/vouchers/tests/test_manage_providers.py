"""The bureau registers providers (USCC checked like the registry) and admits them to the list."""

import pytest

from kechuang.accounts.models import Organization
from kechuang.enterprises.tests.conftest import make_uscc
from kechuang.vouchers.models import Provider

URL = "/vouchers/providers/manage/"


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
def test_only_the_bureau_manages_providers(as_role, who, status):
    assert as_role(who).get(URL).status_code == status


def register(c, **extra):
    data = {
        "action": "register",
        "uscc": make_uscc(77, region="650203"),
        "name": "丙知识产权事务所",
        "contact_name": "王工",
        "contact_phone": "0992-7654321",
        "categories": ["ip"],
    }
    return c.post(URL, data | extra)


def test_registering_creates_the_provider_and_its_organisation(client_for, staff_user):
    assert register(client_for(staff_user), approved="on").status_code == 302
    p = Provider.objects.get()
    assert p.approved and p.approved_by == staff_user
    assert p.organization.kind == Organization.Kind.PROVIDER


def test_a_bad_uscc_is_refused_with_the_check_character(client_for, staff_user):
    bad = make_uscc(77, region="650203")[:-1] + "0"
    response = register(client_for(staff_user), uscc=bad)
    assert response.status_code == 200 and "18" in response.content.decode()
    assert not Provider.objects.exists()


def test_a_uscc_is_registered_once(client_for, staff_user):
    c = client_for(staff_user)
    register(c)
    response = register(c, name="重名")
    assert "已登记" in response.content.decode() and Provider.objects.count() == 1


def test_admitting_and_withdrawing_a_provider(client_for, staff_user, provider):
    c = client_for(staff_user)
    c.post(URL, {"action": "approve", "provider": provider.pk, "approved": "0"})
    provider.refresh_from_db()
    assert not provider.approved and provider.approved_at is None
    c.post(URL, {"action": "approve", "provider": provider.pk, "approved": "1"})
    provider.refresh_from_db()
    assert provider.approved
