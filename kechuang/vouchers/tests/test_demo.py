"""The demo: a 2026 scheme with vouchers in every state, reconciling, idempotent, removable."""

import pytest

from kechuang.accounts.models import User
from kechuang.enterprises.demo import load_enterprise_demo
from kechuang.vouchers import selectors
from kechuang.vouchers.demo import load_vouchers_demo, remove_vouchers_demo
from kechuang.vouchers.models import LedgerEntry, Provider, Redemption, Scheme, Voucher


@pytest.fixture
def loaded(demo):
    load_enterprise_demo()
    return load_vouchers_demo()


def test_the_demo_has_every_state_and_reconciles(loaded):
    assert loaded["schemes"] == 1 and loaded["providers"] == 3 and loaded["users"] == 1
    scheme = Scheme.objects.get(is_demo=True)
    assert scheme.year == 2026 and "54号" in scheme.policy
    states = set(Voucher.objects.filter(scheme=scheme).values_list("state", flat=True))
    assert states == {"issued", "redeeming", "settled", "expired"}
    claims = set(Redemption.objects.values_list("state", flat=True))
    assert claims == {"submitted", "verified", "settled", "rejected"}
    assert selectors.reconciliation(scheme).ok


def test_the_demo_logins_have_something_to_do(loaded):
    provider_demo = User.objects.get(username="provider_demo")
    assert provider_demo.is_demo and provider_demo.role == "provider"
    assert provider_demo.check_password("kechuang-demo")
    provider = Provider.objects.get(organization=provider_demo.organization)
    assert Voucher.objects.filter(provider=provider, state="issued").exists()
    own = User.objects.get(username="enterprise_demo").organization
    mine = Voucher.objects.filter(enterprise__organization=own)
    assert set(mine.values_list("state", flat=True)) == {"issued", "redeeming"}


def test_loading_twice_adds_nothing(loaded):
    before = LedgerEntry.objects.count()
    assert load_vouchers_demo()["vouchers"] == 0
    assert LedgerEntry.objects.count() == before


def test_removal_takes_the_demo_away_and_leaves_real_data(loaded, scheme):
    counts = remove_vouchers_demo()
    assert counts["schemes"] == 1 and counts["providers"] == 3 and counts["entries"] > 0
    assert list(Scheme.objects.all()) == [scheme]
    assert LedgerEntry.objects.filter(scheme=scheme).count() == 1
    assert not User.objects.filter(username__startswith="vdemo-").exists()
    assert not User.objects.filter(username="provider_demo").exists()
