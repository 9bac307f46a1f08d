"""Reads the reports and the reconciliation rely on."""

import datetime as dt

from kechuang.vouchers import selectors, services
from kechuang.vouchers.models import Voucher
from kechuang.vouchers.tests.conftest import W


def test_yearly_figures_count_and_sum_issues_claims_payments_and_expiries(flow, today):
    _v, claim = flow.redeeming(10 * W, contract=16 * W)
    flow.settle(flow.verify(claim))
    lapsed = flow.issue(5 * W)
    services.expire_vouchers(lapsed.expires_on + dt.timedelta(days=1))
    (year,) = [y for y in selectors.yearly_figures() if y["year"] == today.year]
    assert (year["issued_count"], year["issued_amount"]) == (2, 15 * W)
    assert (year["redeemed_count"], year["redeemed_amount"]) == (1, 8 * W)
    assert (year["settled_count"], year["settled_amount"]) == (1, 8 * W)
    expired = [y for y in selectors.yearly_figures() if y["expired_count"]]
    assert expired[0]["expired_amount"] == 5 * W


def test_yearly_figures_leave_out_claims_sent_back(flow, staff_user):
    _v, claim = flow.redeeming()
    services.reject_redemption(staff_user, claim, reason="退回")
    assert all(y["redeemed_count"] == 0 for y in selectors.yearly_figures())


def test_no_vouchers_no_years(db):
    assert selectors.yearly_figures() == []


def test_the_reconciliation_catches_a_voucher_changed_behind_the_ledgers_back(flow, scheme):
    voucher = flow.issue(10 * W)
    Voucher.objects.filter(pk=voucher.pk).update(face_amount=12 * W)
    rec = selectors.reconciliation(scheme)
    assert not rec.ok
    (p,) = rec.problems
    assert p.where == "issued" and "台账 ¥10.00万" in p.message_zh and "¥12.00万" in p.message_zh


def test_the_reconciliation_catches_a_budget_changed_outside_the_ledger(scheme):
    type(scheme).objects.filter(pk=scheme.pk).update(budget=200 * W)
    scheme.refresh_from_db()
    assert [p.where for p in selectors.reconciliation(scheme).problems] == ["budget"]
