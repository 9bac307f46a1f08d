"""Disbursements (拨付): an append-only ledger that never pays more than was approved."""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection

from kechuang.core.problems import Rejected
from kechuang.projects import selectors, services
from kechuang.projects.models import Disbursement


def pay(user, project, amount, on, note=""):
    return services.record_disbursement(
        user, project, amount=Decimal(amount), paid_on=on, batch_note=note
    )


def test_staff_pay_in_batches_up_to_the_approved_amount(staff_user, signed, today):
    pay(staff_user, signed, "600000", today, "首批")
    pay(staff_user, signed, "400000", today, "第二批")
    assert selectors.disbursed_total(signed) == Decimal("1000000.00")


def test_a_payment_over_the_remaining_amount_is_refused_with_the_sums(staff_user, signed, today):
    pay(staff_user, signed, "600000", today)
    with pytest.raises(Rejected) as exc:
        pay(staff_user, signed, "400000.01", today)
    message = exc.value.problems[0].message_zh
    assert exc.value.problems[0].where == "amount"
    assert "累计 100.00 万元" in message and "批准财政资金 100.00 万元" in message
    assert "尚可拨付 40.00 万元" in message
    assert Disbursement.objects.count() == 1


def test_no_payment_before_the_contract_is_signed(staff_user, project, today):
    with pytest.raises(Rejected, match="任务书尚未签订"):
        pay(staff_user, project, "1000", today)
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize(
    ("amount", "on", "where"),
    [
        (Decimal("0"), None, "amount"),
        (Decimal("10.001"), None, "amount"),
        (Decimal("100"), dt.timedelta(days=1), "paid_on"),
    ],
)
def test_bad_amounts_and_future_dates_are_refused(staff_user, signed, today, amount, on, where):
    with pytest.raises(Rejected) as exc:
        services.record_disbursement(
            staff_user, signed, amount=amount, paid_on=today + (on or dt.timedelta())
        )
    assert exc.value.problems[0].where == where
    assert not Disbursement.objects.exists()


@pytest.mark.parametrize("who", ["enterprise_user", "reporter", "other_enterprise_user"])
def test_only_the_bureau_records_payments(request, who, signed, today):
    with pytest.raises(PermissionDenied):
        pay(request.getfixturevalue(who), signed, "100", today)


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_cannot_overspend(make_project, staff_user, today):
    """Two clerks pay 60% each at the same moment: exactly one payment goes through."""
    from kechuang.projects.tests.conftest import sign

    project = sign(make_project(), staff_user, today)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def clerk():
        barrier.wait()
        try:
            while True:
                try:
                    pay(staff_user, project, "600000", today)
                    outcomes.append("paid")
                except Rejected:
                    outcomes.append("refused")
                except OperationalError as exc:
                    # The in-memory SQLite test database reports a held write lock at once
                    # ("table is locked") where a file database waits out its busy timeout and
                    # PostgreSQL waits on the row lock; waiting here is what they do.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
                    continue
                break
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert selectors.disbursed_total(project) == Decimal("600000.00")
