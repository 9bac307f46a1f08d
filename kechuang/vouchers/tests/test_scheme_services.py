"""The bureau sets up schemes and their budgets; every yuan of budget is a ledger entry."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.vouchers import selectors, services
from kechuang.vouchers.models import LedgerEntry, Scheme
from kechuang.vouchers.tests.conftest import W, ledger_rows


def test_a_new_scheme_posts_its_budget_to_the_ledger(scheme, staff_user):
    entry = LedgerEntry.objects.get(scheme=scheme)
    assert (entry.kind, entry.debit, entry.credit) == ("budget", "available", "budget")
    assert entry.amount == 100 * W and entry.actor == staff_user
    rec = selectors.reconciliation(scheme)
    assert rec.ok and rec.totals.available == 100 * W


def test_a_scheme_with_bad_terms_is_refused_naming_each_problem(make_scheme, today):
    with pytest.raises(Rejected) as info:
        make_scheme(
            name="",
            budget=Decimal("-1"),
            cap=Decimal(0),
            subsidy_ratio=Decimal("1.5"),
            categories=["gold"],
            issue_from=today,
            issue_until=today - dt.timedelta(days=1),
            validity_days=0,
        )
    where = [p.where for p in info.value.problems]
    assert where == [
        "name",
        "cap",
        "subsidy_ratio",
        "categories",
        "issue_until",
        "validity_days",
        "budget",
    ]
    assert Scheme.objects.count() == 0 and ledger_rows() == 0


def test_two_schemes_of_a_year_cannot_share_a_name(make_scheme, scheme):
    with pytest.raises(Rejected) as info:
        make_scheme(name=scheme.name)
    assert info.value.problems[0].where == "name"


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert", "provider_user"])
def test_only_the_bureau_sets_up_schemes(request, who, today):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_scheme(
            user,
            year=today.year,
            name="x",
            budget=W,
            cap=W,
            subsidy_ratio=Decimal("0.5"),
            categories=["testing"],
            issue_from=today,
            issue_until=today,
            validity_days=30,
        )


def test_raising_the_budget_adds_an_entry_and_lowering_withdraws_what_is_available(
    scheme, staff_user, flow
):
    services.set_budget(staff_user, scheme, 150 * W)
    flow.issue(20 * W)
    services.set_budget(staff_user, scheme, 30 * W)
    kinds = list(LedgerEntry.objects.filter(scheme=scheme).values_list("kind", "amount"))
    assert kinds == [
        ("budget", 100 * W),
        ("budget", 50 * W),
        ("issue", 20 * W),
        ("budget_cut", 120 * W),
    ]
    scheme.refresh_from_db()
    rec = selectors.reconciliation(scheme)
    assert scheme.budget == 30 * W and rec.ok and rec.totals.available == 10 * W


def test_the_budget_cannot_go_below_what_is_promised(scheme, staff_user, flow):
    flow.issue(20 * W)
    before = ledger_rows()
    with pytest.raises(Rejected) as info:
        services.set_budget(staff_user, scheme, 15 * W)
    (p,) = info.value.problems
    assert p.where == "budget" and "¥20.00万" in p.message_zh and "差 ¥5.00万" in p.message_zh
    scheme.refresh_from_db()
    assert scheme.budget == 100 * W and ledger_rows() == before


def test_setting_the_same_budget_writes_nothing(scheme, staff_user):
    services.set_budget(staff_user, scheme, 100 * W)
    assert ledger_rows() == 1


def test_a_closed_scheme_takes_no_applications(scheme, staff_user, enterprise, enterprise_user):
    services.set_scheme_state(staff_user, scheme, "closed")
    with pytest.raises(Rejected) as info:
        services.apply_for_voucher(
            enterprise_user, enterprise, scheme, amount=W, category="testing", purpose="x"
        )
    assert [p.where for p in info.value.problems] == ["scheme"]


def test_an_unknown_state_is_refused(scheme, staff_user):
    with pytest.raises(Rejected):
        services.set_scheme_state(staff_user, scheme, "paused")
