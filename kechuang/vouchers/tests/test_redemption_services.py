"""Providers claim with contract and invoice; the bureau verifies, sends back or pays."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.vouchers import selectors, services
from kechuang.vouchers.models import LedgerEntry, Redemption, RedemptionFile, Voucher
from kechuang.vouchers.tests.conftest import W, ledger_rows, upload


def kinds(voucher) -> list[tuple[str, Decimal]]:
    return list(LedgerEntry.objects.filter(voucher=voucher).values_list("kind", "amount"))


def test_a_claim_moves_the_subsidy_to_redeemed(flow, provider_user, media):
    voucher, claim = flow.redeeming(10 * W, contract=16 * W)
    assert claim.subsidy == 8 * W, "half of 16万, below the face value"
    assert claim.state == "submitted" and claim.submitted_by == provider_user
    assert kinds(voucher) == [("issue", 10 * W), ("redeem", 8 * W)]
    assert Voucher.objects.get(pk=voucher.pk).state == "redeeming"
    files = RedemptionFile.objects.filter(redemption=claim)
    assert sorted(files.values_list("role", flat=True)) == ["contract", "invoice"]
    f = files.get(role="contract")
    assert f.original_name == "合同.pdf" and f.content_type == "application/pdf"
    assert (media / f.file.name).exists() and "合同" not in f.file.name
    assert selectors.reconciliation(voucher.scheme).ok


def test_the_subsidy_is_capped_at_the_face_value(flow):
    _v, claim = flow.redeeming(10 * W, contract=50 * W)
    assert claim.subsidy == 10 * W


def test_the_subsidy_follows_the_invoice_when_less_is_billed(flow):
    voucher = flow.assigned(10 * W)
    claim = flow.claim(voucher, contract=16 * W, invoice=Decimal("33333.33"))
    assert claim.subsidy == Decimal("16666.66")


def test_another_providers_attempt_is_forbidden_and_audited(flow, other_provider_user):
    voucher = flow.assigned()
    before = ledger_rows()
    with pytest.raises(PermissionDenied):
        flow.claim(voucher, user=other_provider_user)
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(voucher.pk))
    assert entry.actor == other_provider_user and entry.additional_data["denied"] is True
    assert ledger_rows() == before and not Redemption.objects.exists()


def test_a_provider_cannot_claim_a_voucher_not_yet_assigned_to_anyone(flow, provider_user):
    voucher = flow.issue()
    with pytest.raises(PermissionDenied):
        flow.claim(voucher)
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 1


@pytest.mark.parametrize("who", ["staff_user", "enterprise_user", "expert", "reporter"])
def test_only_the_assigned_provider_claims(request, who, flow):
    voucher = flow.assigned()
    with pytest.raises(PermissionDenied):
        flow.claim(voucher, user=request.getfixturevalue(who))


def test_a_voucher_is_never_claimed_twice(flow):
    voucher, _claim = flow.redeeming()
    before = ledger_rows()
    with pytest.raises(Rejected) as info:
        flow.claim(voucher)
    assert "已有待审核的兑付申请" in info.value.problems[0].message_zh
    assert ledger_rows() == before and Redemption.objects.count() == 1


def test_a_used_voucher_cannot_be_claimed_again(flow):
    voucher, claim = flow.redeeming()
    flow.settle(flow.verify(claim))
    with pytest.raises(Rejected) as info:
        flow.claim(voucher)
    assert "已使用并结算" in info.value.problems[0].message_zh


def test_an_expired_voucher_cannot_be_claimed(flow):
    voucher = flow.assigned()
    with pytest.raises(Rejected) as info:
        flow.claim(voucher, on=voucher.expires_on + dt.timedelta(days=1))
    assert info.value.problems[0].where == "voucher" and "过期" in info.value.problems[0].message_zh
    assert not Redemption.objects.exists()


def test_missing_documents_and_bad_files_are_all_reported_and_nothing_stored(
    flow, provider_user, media
):
    voucher = flow.assigned()
    before = ledger_rows()
    with pytest.raises(Rejected) as info:
        services.submit_redemption(
            provider_user,
            voucher,
            contract_no="",
            contract_amount=Decimal(0),
            invoice_no="FP",
            invoice_amount=W,
            contract_files=[upload("exe", "合同.pdf")],
            invoice_files=[],
        )
    where = [p.where for p in info.value.problems]
    assert where == [
        "contract_no",
        "contract_files[1] 合同.pdf",
        "invoice_files",
        "contract_amount",
    ]
    assert ledger_rows() == before and not Redemption.objects.exists()
    assert not (media / "vouchers").exists()


def test_an_invoice_over_the_contract_is_refused(flow):
    voucher = flow.assigned()
    with pytest.raises(Rejected) as info:
        flow.claim(voucher, contract=10 * W, invoice=12 * W)
    assert info.value.problems[0].where == "invoice_amount"


def test_verification_then_settlement_pays_and_returns_the_unused_part(
    flow, staff_user, enterprise_user, provider_user
):
    voucher, claim = flow.redeeming(10 * W, contract=16 * W)
    claim = flow.verify(claim)
    assert claim.state == "verified" and claim.verified_by == staff_user
    assert kinds(voucher) == [("issue", 10 * W), ("redeem", 8 * W)], "verifying moves nothing"
    claim = flow.settle(claim)
    assert claim.state == "settled" and claim.settled_by == staff_user and claim.settled_on
    assert kinds(voucher)[2:] == [("settle", 8 * W), ("release", 2 * W)]
    assert Voucher.objects.get(pk=voucher.pk).state == "settled"
    rec = selectors.reconciliation(voucher.scheme)
    assert rec.ok
    assert (rec.totals.settled, rec.totals.released, rec.totals.outstanding) == (8 * W, 2 * W, 0)
    assert rec.totals.available == 92 * W


def test_an_unverified_claim_cannot_be_paid(flow):
    _v, claim = flow.redeeming()
    before = ledger_rows()
    with pytest.raises(Rejected) as info:
        flow.settle(claim)
    assert "须先审核" in info.value.problems[0].message_zh and ledger_rows() == before


def test_a_claim_is_verified_and_paid_once(flow):
    _v, claim = flow.redeeming()
    flow.verify(claim)
    with pytest.raises(Rejected):
        flow.verify(claim)
    flow.settle(claim)
    before = ledger_rows()
    with pytest.raises(Rejected):
        flow.settle(claim)
    assert ledger_rows() == before


def test_sending_a_claim_back_makes_the_voucher_whole_and_claimable_again(
    flow, staff_user, provider_user
):
    voucher, claim = flow.redeeming(10 * W, contract=16 * W)
    claim = services.reject_redemption(staff_user, claim, reason="发票抬头不符")
    assert claim.state == "rejected" and claim.rejection_reason == "发票抬头不符"
    assert kinds(voucher)[-1] == ("reject", 8 * W)
    assert Voucher.objects.get(pk=voucher.pk).state == "issued"
    again = flow.claim(voucher, contract=20 * W)
    assert again.subsidy == 10 * W and Redemption.objects.filter(voucher=voucher).count() == 2
    assert selectors.reconciliation(voucher.scheme).ok


def test_a_verified_claim_may_still_be_sent_back_before_payment(flow, staff_user):
    _v, claim = flow.redeeming()
    flow.verify(claim)
    assert services.reject_redemption(staff_user, claim, reason="复核发现问题").state == "rejected"


def test_sending_back_needs_a_reason_and_a_paid_claim_cannot_be_sent_back(flow, staff_user):
    _v, claim = flow.redeeming()
    with pytest.raises(Rejected) as info:
        services.reject_redemption(staff_user, claim, reason="")
    assert [p.where for p in info.value.problems] == ["reason"]
    flow.settle(flow.verify(claim))
    with pytest.raises(Rejected):
        services.reject_redemption(staff_user, claim, reason="晚了")


@pytest.mark.parametrize("who", ["enterprise_user", "provider_user", "expert", "reporter"])
def test_only_the_bureau_verifies_sends_back_and_pays(request, who, flow):
    _v, claim = flow.redeeming()
    user = request.getfixturevalue(who)
    before = ledger_rows()
    for act in (
        lambda: services.verify_redemption(user, claim),
        lambda: services.reject_redemption(user, claim, reason="x"),
        lambda: services.settle_redemption(user, claim),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert ledger_rows() == before
    assert Redemption.objects.get(pk=claim.pk).state == "submitted"


def test_every_step_is_audited(flow):
    voucher, claim = flow.redeeming()
    flow.settle(flow.verify(claim))
    changes = LogEntry.objects.get_for_object(Voucher.objects.get(pk=voucher.pk))
    assert changes.filter(action=LogEntry.Action.UPDATE).count() >= 3
    assert LogEntry.objects.get_for_object(claim).count() >= 3
