"""The enterprise names the contracted service, and so the one provider who may redeem."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.notifications.models import Notification
from kechuang.vouchers import services
from kechuang.vouchers.models import Voucher, VoucherEvent
from kechuang.vouchers.tests.conftest import ledger_rows


def test_using_a_voucher_assigns_the_provider_and_tells_it(flow, provider, provider_user):
    voucher = flow.assigned()
    assert voucher.provider == provider and voucher.service == provider.services.first()
    assert voucher.state == "issued", "using names the provider; no money moves yet"
    assert VoucherEvent.objects.filter(voucher=voucher, kind="assigned").exists()
    assert Notification.objects.filter(user=provider_user, title_zh__contains=voucher.number)


def test_the_enterprise_may_change_its_choice_before_a_claim(flow, other_provider):
    voucher = flow.assigned()
    voucher = flow.assign(voucher, other_provider.services.first())
    assert voucher.provider == other_provider
    assert "原：甲检测中心" in VoucherEvent.objects.filter(kind="assigned").last().note


def test_another_enterprise_cannot_use_the_voucher(flow, other_enterprise_user, provider):
    voucher = flow.issue()
    with pytest.raises(PermissionDenied):
        services.use_voucher(other_enterprise_user, voucher, provider.services.first())
    voucher.refresh_from_db()
    assert voucher.provider is None


@pytest.mark.parametrize("who", ["staff_user", "provider_user", "expert"])
def test_only_the_enterprise_chooses(request, who, flow, provider):
    voucher = flow.issue()
    with pytest.raises(PermissionDenied):
        services.use_voucher(request.getfixturevalue(who), voucher, provider.services.first())


def test_a_service_outside_the_schemes_categories_is_refused(
    flow, staff_user, provider, enterprise_user
):
    provider.categories = ["testing", "finance"]
    provider.save()
    financing = services.add_service(staff_user, provider, category="finance", name="融资辅导")
    voucher = flow.issue()
    with pytest.raises(Rejected) as info:
        services.use_voucher(enterprise_user, voucher, financing)
    (p,) = info.value.problems
    assert p.where == "category" and "科技金融" in p.message_zh
    assert Voucher.objects.get(pk=voucher.pk).service is None


def test_an_unlisted_provider_cannot_be_chosen(flow, staff_user, provider, enterprise_user):
    voucher = flow.issue()
    services.set_provider_approved(staff_user, provider, False)
    with pytest.raises(Rejected) as info:
        services.use_voucher(enterprise_user, voucher, provider.services.first())
    assert [p.where for p in info.value.problems] == ["service"]


def test_an_expired_voucher_cannot_be_used(flow, enterprise_user, provider):
    voucher = flow.issue()
    later = voucher.expires_on + dt.timedelta(days=1)
    with pytest.raises(Rejected) as info:
        services.use_voucher(enterprise_user, voucher, provider.services.first(), on=later)
    assert (
        "已于" in info.value.problems[0].message_zh and "过期" in info.value.problems[0].message_zh
    )


def test_a_voucher_with_a_claim_cannot_be_reassigned(flow, enterprise_user, other_provider):
    voucher, _claim = flow.redeeming()
    before = ledger_rows()
    with pytest.raises(Rejected) as info:
        services.use_voucher(enterprise_user, voucher, other_provider.services.first())
    assert "待审核的兑付申请" in info.value.problems[0].message_zh
    assert Voucher.objects.get(pk=voucher.pk).provider_id != other_provider.pk
    assert ledger_rows() == before
