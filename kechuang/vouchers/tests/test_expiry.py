"""Unused vouchers expire after their last valid day; the amount is reported and usable again."""

import datetime as dt
import io

from auditlog.models import LogEntry
from django.core.management import call_command

from kechuang.notifications.models import Notification
from kechuang.vouchers import selectors, services, tasks
from kechuang.vouchers.models import LedgerEntry, Voucher, VoucherEvent
from kechuang.vouchers.tests.conftest import W, ledger_rows


def test_expiry_returns_the_amount_and_keeps_both_facts(flow, enterprise_user):
    voucher = flow.issue(10 * W)
    day_after = voucher.expires_on + dt.timedelta(days=1)
    report = services.expire_vouchers(day_after)
    assert (report.count, report.amount) == (1, 10 * W)
    voucher.refresh_from_db()
    assert voucher.state == "expired"
    assert list(
        LedgerEntry.objects.filter(voucher=voucher).values_list("kind", "debit", "credit")
    ) == [
        ("issue", "issued", "available"),
        ("expire", "expired", "issued"),
        ("return", "available", "expired"),
    ]
    rec = selectors.reconciliation(voucher.scheme)
    assert rec.ok and rec.totals.expired == 10 * W and rec.totals.available == 100 * W
    assert VoucherEvent.objects.filter(voucher=voucher, kind="expired").exists()
    assert LogEntry.objects.get_for_object(voucher).filter(action=LogEntry.Action.UPDATE).exists()
    assert Notification.objects.filter(user=enterprise_user, title_zh__contains="过期").exists()


def test_a_voucher_is_valid_through_its_last_day(flow):
    voucher = flow.issue()
    assert services.expire_vouchers(voucher.expires_on).count == 0
    assert Voucher.objects.get(pk=voucher.pk).state == "issued"


def test_running_twice_expires_nothing_more(flow):
    voucher = flow.issue()
    later = voucher.expires_on + dt.timedelta(days=5)
    services.expire_vouchers(later)
    before = ledger_rows()
    assert services.expire_vouchers(later).count == 0
    assert ledger_rows() == before


def test_a_voucher_with_a_pending_claim_does_not_expire(flow):
    voucher, _claim = flow.redeeming()
    assert services.expire_vouchers(voucher.expires_on + dt.timedelta(days=30)).count == 0
    assert Voucher.objects.get(pk=voucher.pk).state == "redeeming"


def test_an_expired_amount_frees_the_cap_and_the_budget(flow):
    voucher = flow.issue(20 * W)
    services.expire_vouchers(voucher.expires_on + dt.timedelta(days=1))
    again = flow.issue(20 * W)
    assert again.face_amount == 20 * W


def test_the_command_and_the_task_run_the_same_expiry(flow):
    voucher = flow.issue(10 * W)
    out = io.StringIO()
    day = (voucher.expires_on + dt.timedelta(days=1)).isoformat()
    call_command("vouchers", "expire", "--date", day, stdout=out)
    assert "1 张" in out.getvalue() and "¥10.00万" in out.getvalue()
    second = flow.issue(5 * W)
    Voucher.objects.filter(pk=second.pk).update(expires_on=dt.date(2000, 1, 1))
    result = tasks.expire_vouchers.enqueue()
    assert result.return_value == {"expired": 1, "amount": "50000.00"}
