import copy
import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from kechuang.core import ledger as L
from kechuang.core.problems import Rejected

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "ledger.yaml").read_text("utf-8"))


def terms_of(raw: dict) -> L.Terms:
    return L.Terms(
        cap=Decimal(raw["cap"]),
        ratio=Decimal(raw["ratio"]),
        categories=frozenset(raw["categories"]),
        issue_from=raw["issue_from"],
        issue_until=raw["issue_until"],
        validity_days=raw["validity_days"],
    )


TERMS = terms_of(CASES["terms"])


def op_of(step: dict) -> L.Operation:
    match step["op"]:
        case "budget":
            return L.SetBudget(Decimal(step["total"]))
        case "issue":
            return L.Issue(step["number"], step["holder"], Decimal(step["amount"]))
        case "redeem":
            return L.Redeem(
                step["number"],
                Decimal(step["contract"]),
                Decimal(step["invoice"]),
                step["category"],
            )
        case "reject":
            return L.RejectRedemption(step["number"])
        case "settle":
            return L.Settle(step["number"])
        case "expire":
            return L.Expire(step["number"])
    raise AssertionError(step)


def run(book: L.Book, terms: L.Terms, op: L.Operation, on: dt.date):
    entries = L.post(book, terms, op, on)
    return L.apply(book, terms, op, entries, on), entries


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES["scenarios"]])
def test_ledger_cases(case):
    terms = terms_of(case["terms"]) if "terms" in case else TERMS
    book, journal = L.Book(), []
    for i, step in enumerate(case["steps"]):
        op = op_of(step)
        if "refused" in step:
            before = copy.deepcopy(book)
            with pytest.raises(Rejected) as info:
                L.post(book, terms, op, step["day"])
            problems = info.value.problems
            assert [p.where for p in problems] == [w for w, _ in step["refused"]], f"step {i}"
            for p, (_, fragment) in zip(problems, step["refused"], strict=True):
                assert fragment in p.message_zh, f"step {i}: {p.message_zh}"
                assert p.message_en
            assert book == before
            continue
        book, entries = run(book, terms, op, step["day"])
        journal += entries
        if "entries" in step:
            assert [[e.kind.value, e.amount] for e in entries] == [
                [k, Decimal(a)] for k, a in step["entries"]
            ], f"step {i}"
    expect = {k: Decimal(v) for k, v in case["totals"].items()}
    t = book.totals
    for name in ("budget", "issued", "redeemed", "settled", "expired", "released"):
        assert getattr(t, name) == expect.get(name, L.ZERO), name
    for name in ("outstanding", "available"):
        if name in expect:
            assert getattr(t, name) == expect[name], name
    assert L.totals(journal) == t
    assert L.invariant_problems(t) == []


def test_every_kind_moves_money_between_two_different_accounts():
    assert set(L.FLOWS) == set(L.Kind)
    assert all(debit != credit for debit, credit in L.FLOWS.values())


def test_an_entry_moves_a_positive_decimal():
    for bad in (Decimal(0), Decimal(-1), 5):
        with pytest.raises(ValueError):
            L.entry(L.Kind.ISSUE, bad)


def test_money_reads_in_wan_without_losing_fen():
    assert L.wan(Decimal("120000")) == "¥12.00万"
    assert L.wan(Decimal("1234.56")) == "¥0.123456万"
    assert L.wan(Decimal("30000"), "en") == "¥30,000.00"


def test_floats_are_refused_as_amounts():
    book = L.Book(L.Totals(budget=Decimal(100)))
    with pytest.raises(Rejected) as info:
        L.post(book, TERMS, L.Issue("A", "E1", 50.0), dt.date(2026, 2, 1))
    assert info.value.problems[0].where == "amount"


def test_the_last_valid_day_counts_the_issue_day():
    assert L.expiry_date(dt.date(2026, 1, 1), 365) == dt.date(2026, 12, 31)


def test_invariants_name_what_is_broken():
    overspent = L.Totals(budget=Decimal(100), issued=Decimal(150))
    assert [p.where for p in L.invariant_problems(overspent)] == ["available"]
    overpaid = L.Totals(budget=Decimal(100), issued=Decimal(50), redeemed=Decimal(10))
    overpaid = L.Totals(**{**overpaid.__dict__, "settled": Decimal(20)})
    assert [p.where for p in L.invariant_problems(overpaid)] == ["settled"]


# --- properties ---------------------------------------------------------------------------------

START = dt.date(2026, 1, 1)
PROPERTY_TERMS = L.Terms(
    cap=Decimal("50000"),
    ratio=Decimal("0.6"),
    categories=frozenset({"testing", "ip"}),
    issue_from=START,
    issue_until=dt.date(2026, 9, 30),
    validity_days=90,
)
good_amounts = st.one_of(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(60000), places=2),
    st.sampled_from([Decimal(5000), Decimal(20000), Decimal(50000)]),
)
# Now and then one that must be refused.
amounts = st.one_of(
    good_amounts,
    good_amounts,
    good_amounts,
    st.sampled_from([Decimal(0), Decimal(-5), Decimal("0.001"), Decimal(10**15)]),
)


class Books(RuleBasedStateMachine):
    """Random operations, refused or not, on one scheme's books, checked after every step."""

    def __init__(self):
        super().__init__()
        self.book, self.journal, self.on = L.Book(), [], START
        self.posted: Counter = Counter()

    def _do(self, op: L.Operation) -> None:
        before = copy.deepcopy(self.book)
        try:
            entries = L.post(self.book, PROPERTY_TERMS, op, self.on)
        except Rejected as exc:
            assert exc.problems and all(p.message_zh and p.message_en for p in exc.problems)
            assert self.book == before, "a refused operation changes nothing"
            return
        assert self.book == before, "posting is pure"
        assert all(isinstance(e.amount, Decimal) and e.amount > 0 for e in entries)
        self.book = L.apply(self.book, PROPERTY_TERMS, op, entries, self.on)
        self.journal += entries
        self.posted[type(op).__name__] += 1

    def _number(self, data) -> str:
        return data.draw(st.sampled_from([*sorted(self.book.vouchers), "no-such-voucher"]))

    @initialize(total=st.sampled_from([Decimal(0), Decimal(80000), Decimal(200000)]))
    def open_scheme(self, total):
        self._do(L.SetBudget(total))

    @rule(days=st.integers(1, 25))
    def time_passes(self, days):
        self.on += dt.timedelta(days=days)

    @rule(amount=amounts, cut=st.booleans())
    def set_budget(self, amount, cut):
        total = self.book.totals.budget - amount if cut else self.book.totals.budget + amount * 4
        self._do(L.SetBudget(total))

    @rule(holder=st.sampled_from(["E1", "E2", "E3"]), amount=amounts)
    def issue(self, holder, amount):
        self._do(L.Issue(f"V{len(self.book.vouchers)}", holder, amount))

    @precondition(lambda self: self.book.vouchers)
    @rule(
        data=st.data(),
        contract=amounts,
        billed=st.sampled_from([Decimal(1), Decimal("0.5"), Decimal(2)]),
        category=st.sampled_from(["testing", "ip", "finance"]),
    )
    def redeem(self, data, contract, billed, category):
        invoice = (contract * billed).quantize(L.CENT) if contract.is_finite() else contract
        self._do(L.Redeem(self._number(data), contract, invoice, category))

    @precondition(lambda self: self.book.vouchers)
    @rule(data=st.data())
    def reject(self, data):
        self._do(L.RejectRedemption(self._number(data)))

    @precondition(lambda self: self.book.vouchers)
    @rule(data=st.data())
    def settle(self, data):
        self._do(L.Settle(self._number(data)))

    @precondition(lambda self: self.book.vouchers)
    @rule(data=st.data())
    def expire(self, data):
        self._do(L.Expire(self._number(data)))

    @invariant()
    def books_are_honest(self):
        assert_honest(self.book, self.journal)


def assert_honest(book: L.Book, journal: list[L.Entry]) -> None:
    t = book.totals
    assert L.invariant_problems(t) == []
    assert t.issued == t.redeemed + t.expired + t.released + t.outstanding
    assert L.totals(journal) == t
    by_kind: Counter = Counter()
    for e in journal:
        by_kind[e.kind.value] += e.amount
    assert L.Totals.from_sums(by_kind) == t, "what the database sums by kind agrees"
    assert L.balances(journal) == L.balances_of(t)
    assert sum(L.balances(journal).values()) == 0
    vs = book.vouchers.values()
    held = sum((v.face for v in vs if v.status == L.Status.ISSUED), L.ZERO)
    pending = [v for v in vs if v.status == L.Status.REDEEMING]
    assert t.outstanding == held + sum((v.face - v.subsidy for v in pending), L.ZERO)
    assert t.awaiting_settlement == sum((v.subsidy for v in pending), L.ZERO)
    for holder, committed in book.committed.items():
        assert L.ZERO <= committed <= PROPERTY_TERMS.cap, holder
    for v in vs:
        assert v.subsidy is None or L.ZERO < v.subsidy <= v.face


Books.TestCase.settings = settings(max_examples=300, stateful_step_count=50, deadline=None)
test_no_sequence_of_operations_breaks_the_books = Books.TestCase


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**8), places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**8), places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1), places=4),
)
def test_the_subsidy_never_exceeds_the_face_value_or_the_ratio(face, basis, ratio):
    s = L.subsidy(face, basis, ratio)
    assert s <= face and s <= basis * ratio and s == s.quantize(L.CENT)
    assert basis * ratio - s < L.CENT or s == face
