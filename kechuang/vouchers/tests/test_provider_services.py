"""Providers are registered by the bureau and add their own services."""

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.enterprises.tests.conftest import make_uscc
from kechuang.vouchers import services
from kechuang.vouchers.models import Provider, Service


def register(user, **kw):
    kw.setdefault("uscc", make_uscc(55, region="650203"))
    return services.register_provider(
        user,
        name=kw.pop("name", "丁检测中心"),
        contact_name="李工",
        contact_phone="0992-1",
        categories=kw.pop("categories", ["testing"]),
        **kw,
    )


def test_the_uscc_is_normalised_and_checked(staff_user):
    p = register(staff_user, uscc=" " + make_uscc(55, region="650203").lower() + " ")
    assert p.uscc == make_uscc(55, region="650203") and not p.approved
    with pytest.raises(Rejected) as info:
        register(staff_user, uscc="123", categories=["gold"], name="")
    assert [x.where for x in info.value.problems] == ["uscc", "name", "categories"]
    assert Provider.objects.count() == 1


@pytest.mark.parametrize("who", ["enterprise_user", "provider_user", "reporter", "expert"])
def test_only_the_bureau_registers_and_admits(request, who, provider):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        register(user)
    with pytest.raises(PermissionDenied):
        services.set_provider_approved(user, provider, False)


def test_a_provider_adds_services_to_itself_only(provider_user, provider, other_provider):
    s = services.add_service(provider_user, provider, category="ip", name="专利检索")
    assert s.provider == provider
    with pytest.raises(PermissionDenied):
        services.add_service(provider_user, other_provider, category="ip", name="x")
    with pytest.raises(Rejected) as info:
        services.add_service(provider_user, provider, category="ip", name="专利检索")
    assert info.value.problems[0].where == "name"
    assert Service.objects.filter(provider=provider).count() == 2
