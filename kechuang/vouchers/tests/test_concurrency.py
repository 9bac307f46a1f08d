"""Simultaneous requests: a voucher is never redeemed twice and a budget is never overspent.

The services lock the scheme row, then the voucher row, before they read a balance. On
PostgreSQL the second request waits on the row lock and then sees the first one's result; on
SQLite writers are serialised whole (transactions begin IMMEDIATE; a writer that finds the
database locked waits and starts over), with the same outcome. So the tests run on both: threads,
each on its own connection, released together by a barrier.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kechuang.core.problems import Rejected
from kechuang.vouchers import selectors, services
from kechuang.vouchers.models import LedgerEntry, Redemption, Voucher
from kechuang.vouchers.tests.conftest import W


def race(*calls) -> list:
    """Run the calls at once, one thread each; each outcome is a value or the Rejected."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except Rejected as exc:
            outcomes[i] = exc
        except Exception as exc:  # an error must fail the test, not vanish with the thread
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_providers_submitting_the_same_voucher_at_once_redeem_it_once(flow):
    voucher = flow.assigned(10 * W)
    outcomes = race(lambda: flow.claim(voucher), lambda: flow.claim(voucher))
    won = [o for o in outcomes if isinstance(o, Redemption)]
    lost = [o for o in outcomes if isinstance(o, Rejected)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert [p.where for p in lost[0].problems] == ["voucher"]
    assert Redemption.objects.filter(voucher=voucher).count() == 1
    assert LedgerEntry.objects.filter(voucher=voucher, kind="redeem").count() == 1
    assert selectors.reconciliation(voucher.scheme).ok


@pytest.mark.django_db(transaction=True)
def test_two_approvals_that_together_exceed_the_budget_issue_only_one(
    staff_user, enterprise_user, enterprise, other_enterprise_user, other_enterprise, make_scheme
):
    scheme = make_scheme(name="小券种", budget=15 * W)
    apps = [
        services.apply_for_voucher(u, e, scheme, amount=10 * W, category="testing", purpose="检测")
        for u, e in ((enterprise_user, enterprise), (other_enterprise_user, other_enterprise))
    ]
    outcomes = race(*(lambda a=a: services.approve_application(staff_user, a) for a in apps))
    assert sorted(type(o).__name__ for o in outcomes) == ["Rejected", "Voucher"], outcomes
    assert Voucher.objects.filter(scheme=scheme).count() == 1
    rec = selectors.reconciliation(scheme)
    assert rec.ok and rec.totals.available == 5 * W


@pytest.mark.django_db(transaction=True)
def test_of_four_simultaneous_claims_the_losers_wait_and_are_told_it_is_taken(flow):
    voucher = flow.assigned(10 * W)
    outcomes = race(*(lambda: flow.claim(voucher) for _ in range(4)))
    lost = [o for o in outcomes if isinstance(o, Rejected)]
    assert len(lost) == 3, outcomes
    assert all(p.where == "voucher" for o in lost for p in o.problems), [o.problems for o in lost]
    assert Redemption.objects.filter(voucher=voucher).count() == 1
