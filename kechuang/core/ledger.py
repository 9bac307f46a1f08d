"""The innovation-voucher (科技创新券) ledger: append-only double entry that never overspends.

Each scheme (券种) keeps its money in six accounts. Every movement is an ``Entry`` that debits one
account and credits another with the same positive amount, so the books always balance; nothing
is ever edited or removed — a correction is a new entry.

=============  ======================================================================
account        holds
=============  ======================================================================
``budget``     the scheme's source of funds: credited when the budget is set or raised
``available``  budget not yet promised to anyone (可发放额度)
``issued``     face value of vouchers in enterprises' hands (流通中)
``redeemed``   subsidies providers have claimed, awaiting payment (待结算)
``settled``    subsidies paid out (已结算), final
``expired``    a pass-through: a lapsed voucher's face value enters and at once returns
               to ``available``, so the expired total stays visible and the money is
               usable again
=============  ======================================================================

Operations and their entries (debit ← credit):

- set budget: raise ``available ← budget``; lower ``budget ← available`` (only what is still
  available can be withdrawn).
- issue: ``issued ← available``, refused beyond the available amount or the enterprise's cap.
- redeem: ``redeemed ← issued`` for the subsidy = min(face value, basis × subsidy ratio), rounded
  down to the fen so the ratio is never exceeded; the basis is the lesser of the contract and the
  invoiced amount (what the enterprise is actually billed).
- reject redemption: ``issued ← redeemed``; the voucher is whole again and may be redeemed anew.
- settle: ``settled ← redeemed``, and the unused part of the face value ``available ← issued``
  (kind ``release``). **Partial use**: a voucher is redeemed once; whatever the subsidy leaves of
  its face value returns to the scheme when the subsidy is paid, not before, so a rejected claim
  can always fall back on the whole voucher.
- expire (after its last valid day, only if no claim is pending): ``expired ← issued`` then
  ``available ← expired`` (kind ``return``).

Cumulative totals (sums of entries by kind; ``redeemed`` is net of rejections):
budget, issued, redeemed, settled, expired, released. The invariants, checked by
``invariant_problems`` and by the property tests after every operation:

1. issued = redeemed + expired + released + outstanding, with outstanding ≥ 0 (the ``issued``
   account's balance);
2. budget ≥ issued − expired − released, i.e. available ≥ 0: the scheme never promises more than
   it has. (The plain ``budget ≥ issued`` holds until returned money is issued again: a voucher
   that expires frees its amount for a new one, so cumulative issues may then exceed the budget.)
3. issued − expired − released ≥ redeemed ≥ settled ≥ 0: nothing is claimed that was not issued
   and nothing paid that was not claimed;
4. account balances (debits − credits): budget ≤ 0, expired = 0, every other ≥ 0; they sum to 0.

Per enterprise, the cap limits its commitment in the scheme: face value issued to it minus what
expired or was released unused. An expired voucher therefore does not use up the cap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from kechuang.core.problems import Problem, Rejected

ZERO = Decimal(0)
CENT = Decimal("0.01")
WAN = Decimal(10_000)
MAX_AMOUNT = Decimal("99999999999999.99")  # what a 16-digit, 2-decimal column holds


class Account(StrEnum):
    BUDGET = "budget"
    AVAILABLE = "available"
    ISSUED = "issued"
    REDEEMED = "redeemed"
    SETTLED = "settled"
    EXPIRED = "expired"


class Kind(StrEnum):
    BUDGET = "budget"
    BUDGET_CUT = "budget_cut"
    ISSUE = "issue"
    REDEEM = "redeem"
    REJECT = "reject"
    SETTLE = "settle"
    RELEASE = "release"
    EXPIRE = "expire"
    RETURN = "return"


# Each kind always moves money the same way: (debit, credit).
FLOWS: dict[Kind, tuple[Account, Account]] = {
    Kind.BUDGET: (Account.AVAILABLE, Account.BUDGET),
    Kind.BUDGET_CUT: (Account.BUDGET, Account.AVAILABLE),
    Kind.ISSUE: (Account.ISSUED, Account.AVAILABLE),
    Kind.REDEEM: (Account.REDEEMED, Account.ISSUED),
    Kind.REJECT: (Account.ISSUED, Account.REDEEMED),
    Kind.SETTLE: (Account.SETTLED, Account.REDEEMED),
    Kind.RELEASE: (Account.AVAILABLE, Account.ISSUED),
    Kind.EXPIRE: (Account.EXPIRED, Account.ISSUED),
    Kind.RETURN: (Account.AVAILABLE, Account.EXPIRED),
}


class Status(StrEnum):
    """A voucher's standing in the ledger."""

    ISSUED = "issued"  # held by the enterprise, unused
    REDEEMING = "redeeming"  # a provider's claim is pending
    SETTLED = "settled"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Entry:
    kind: Kind
    amount: Decimal
    voucher: str | None = None

    @property
    def debit(self) -> Account:
        return FLOWS[self.kind][0]

    @property
    def credit(self) -> Account:
        return FLOWS[self.kind][1]


def entry(kind: Kind, amount: Decimal, voucher: str | None = None) -> Entry:
    if not isinstance(amount, Decimal) or amount <= 0:
        raise ValueError(f"an entry moves a positive Decimal amount, not {amount!r}")
    return Entry(Kind(kind), amount, voucher)


# --- state -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """A scheme's cumulative totals; every balance follows from them."""

    budget: Decimal = ZERO
    issued: Decimal = ZERO
    redeemed: Decimal = ZERO  # claimed, net of rejected claims
    settled: Decimal = ZERO
    expired: Decimal = ZERO
    released: Decimal = ZERO  # unused parts returned at settlement

    @property
    def outstanding(self) -> Decimal:
        """Face value still held (the ``issued`` account), including the unused part of vouchers
        whose claim is pending."""
        return self.issued - self.redeemed - self.expired - self.released

    @property
    def available(self) -> Decimal:
        return self.budget - self.issued + self.expired + self.released

    @property
    def awaiting_settlement(self) -> Decimal:
        return self.redeemed - self.settled

    @classmethod
    def from_sums(cls, sums: Mapping[str, Decimal]) -> Totals:
        """From the amounts summed by entry kind (as a database ``GROUP BY kind`` returns)."""

        def s(kind: Kind) -> Decimal:
            return sums.get(kind.value) or ZERO

        return cls(
            budget=s(Kind.BUDGET) - s(Kind.BUDGET_CUT),
            issued=s(Kind.ISSUE),
            redeemed=s(Kind.REDEEM) - s(Kind.REJECT),
            settled=s(Kind.SETTLE),
            expired=s(Kind.EXPIRE),
            released=s(Kind.RELEASE),
        )

    def after(self, entries: Iterable[Entry]) -> Totals:
        sums = {f.name: getattr(self, f.name) for f in _TOTAL_FIELDS}
        for e in entries:
            match e.kind:
                case Kind.BUDGET:
                    sums["budget"] += e.amount
                case Kind.BUDGET_CUT:
                    sums["budget"] -= e.amount
                case Kind.ISSUE:
                    sums["issued"] += e.amount
                case Kind.REDEEM:
                    sums["redeemed"] += e.amount
                case Kind.REJECT:
                    sums["redeemed"] -= e.amount
                case Kind.SETTLE:
                    sums["settled"] += e.amount
                case Kind.EXPIRE:
                    sums["expired"] += e.amount
                case Kind.RELEASE:
                    sums["released"] += e.amount
                case Kind.RETURN:
                    pass  # the second half of an expiry: counted once, by EXPIRE
        return Totals(**sums)


_TOTAL_FIELDS = tuple(Totals.__dataclass_fields__.values())


def totals(entries: Iterable[Entry]) -> Totals:
    return Totals().after(entries)


def balances(entries: Iterable[Entry]) -> dict[Account, Decimal]:
    """Each account's debits minus credits."""
    out = dict.fromkeys(Account, ZERO)
    for e in entries:
        out[e.debit] += e.amount
        out[e.credit] -= e.amount
    return out


def balances_of(t: Totals) -> dict[Account, Decimal]:
    """The same balances, from the totals alone."""
    return {
        Account.BUDGET: -t.budget,
        Account.AVAILABLE: t.available,
        Account.ISSUED: t.outstanding,
        Account.REDEEMED: t.awaiting_settlement,
        Account.SETTLED: t.settled,
        Account.EXPIRED: ZERO,
    }


def invariant_problems(t: Totals) -> list[Problem]:
    """Every invariant of the module docstring that ``t`` breaks (none, for honest books)."""
    problems = []

    def need(ok: bool, where: str, zh: str, en: str) -> None:
        if not ok:
            problems.append(Problem(where, zh, en))

    need(
        t.outstanding >= 0,
        "issued",
        f"流通中金额为负：已发放 {wan(t.issued)}，小于已兑付、过期与退回之和",
        f"negative outstanding: issued {wan(t.issued, 'en')} is less than redeemed + expired + "
        "released",
    )
    need(
        t.available >= 0,
        "available",
        f"超支：可发放额度为 {wan(t.available)}",
        f"overspent: available is {wan(t.available, 'en')}",
    )
    need(
        t.redeemed >= t.settled >= 0,
        "settled",
        f"已结算 {wan(t.settled)} 超过已兑付 {wan(t.redeemed)}",
        f"settled {wan(t.settled, 'en')} exceeds redeemed {wan(t.redeemed, 'en')}",
    )
    need(
        t.budget >= 0 and min(t.issued, t.expired, t.released) >= 0,
        "budget",
        "累计金额出现负数",
        "a cumulative total is negative",
    )
    return problems


@dataclass(frozen=True)
class Voucher:
    """What the ledger needs to know of one voucher."""

    number: str
    holder: str  # the enterprise it was issued to
    face: Decimal
    expires_on: dt.date
    status: Status = Status.ISSUED
    subsidy: Decimal | None = None  # the pending or paid claim


@dataclass(frozen=True)
class Terms:
    """A scheme's rules for issuing and redeeming."""

    cap: Decimal  # per enterprise, in yuan
    ratio: Decimal  # subsidy ratio, a fraction in (0, 1]
    categories: frozenset[str]
    issue_from: dt.date
    issue_until: dt.date
    validity_days: int


@dataclass(frozen=True)
class Book:
    """The part of a scheme's books an operation needs: its totals, the vouchers it touches, and
    the commitment of the enterprises it touches (see the cap, above)."""

    totals: Totals = field(default_factory=Totals)
    vouchers: Mapping[str, Voucher] = field(default_factory=dict)
    committed: Mapping[str, Decimal] = field(default_factory=dict)


# --- operations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetBudget:
    total: Decimal


@dataclass(frozen=True)
class Issue:
    number: str
    holder: str
    amount: Decimal


@dataclass(frozen=True)
class Redeem:
    number: str
    contract_amount: Decimal
    invoice_amount: Decimal
    category: str


@dataclass(frozen=True)
class RejectRedemption:
    number: str


@dataclass(frozen=True)
class Settle:
    number: str


@dataclass(frozen=True)
class Expire:
    number: str


Operation = SetBudget | Issue | Redeem | RejectRedemption | Settle | Expire


def wan(amount: Decimal, lang: str = "zh") -> str:
    """Money as people read it: ¥12.00万 in Chinese (more decimals only where needed, never
    rounded); in English the yuan, ¥120,000.00, since 万 has no English unit."""
    if lang != "zh":
        return f"¥{amount:,.2f}"
    q = amount / WAN
    text = f"{q:,.2f}" if q == q.quantize(CENT) else f"{q.normalize():,f}"
    return f"¥{text}万"


def amount_problems(
    value: object, where: str, zh: str, en: str, *, allow_zero: bool = False
) -> list[Problem]:
    """A money amount must be a positive Decimal in yuan with at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        return [Problem(where, f"{zh}应为金额（元）", f"{en} must be an amount in yuan")]
    if value < 0 and allow_zero:
        return [Problem(where, f"{zh}不能为负数", f"{en} cannot be negative")]
    if value <= 0 and not allow_zero:
        return [Problem(where, f"{zh}应大于 0", f"{en} must be greater than 0")]
    if value != value.quantize(CENT):
        return [Problem(where, f"{zh}最多保留两位小数（分）", f"{en} has more than two decimals")]
    if value > MAX_AMOUNT:
        return [Problem(where, f"{zh}过大", f"{en} is too large")]
    return []


def subsidy(face: Decimal, basis: Decimal, ratio: Decimal) -> Decimal:
    """min(face value, basis × ratio), rounded down to the fen."""
    return min(face, (basis * ratio).quantize(CENT, rounding=ROUND_DOWN))


def expiry_date(issued_on: dt.date, validity_days: int) -> dt.date:
    """The last valid day: a voucher valid 365 days from 1 January lasts to 31 December."""
    return issued_on + dt.timedelta(days=validity_days - 1)


def _voucher(book: Book, number: str) -> Voucher:
    v = book.vouchers.get(number)
    if v is None:
        raise Rejected([Problem("voucher", f"创新券 {number} 不存在", f"no voucher {number}")])
    return v


def status_problems(v: Voucher, wanted: Status, doing_zh: str, doing_en: str) -> list[Problem]:
    if v.status == wanted:
        return []
    why = {
        Status.ISSUED: ("尚未兑付", "has no pending claim"),
        Status.REDEEMING: ("已有待审核的兑付申请", "already has a claim pending"),
        Status.SETTLED: ("已使用并结算", "has already been used and settled"),
        Status.EXPIRED: (f"已于 {v.expires_on:%Y-%m-%d} 过期", f"expired on {v.expires_on}"),
    }[v.status]
    return [
        Problem(
            "voucher",
            f"创新券 {v.number} {why[0]}，不能{doing_zh}",
            f"voucher {v.number} {why[1]}; it cannot be {doing_en}",
        )
    ]


def set_budget(book: Book, op: SetBudget) -> tuple[Entry, ...]:
    # Zero is allowed: a scheme may be emptied of what it has not promised.
    problems = amount_problems(op.total, "budget", "总预算", "the budget", allow_zero=True)
    if problems:
        raise Rejected(problems)
    t = book.totals
    change = op.total - t.budget
    if change > 0:
        return (entry(Kind.BUDGET, change),)
    if change < 0:
        if -change > t.available:
            floor = t.budget - t.available
            raise Rejected(
                [
                    Problem(
                        "budget",
                        f"已发放或承诺 {wan(floor)}，总预算不能低于该数；"
                        f"申请调整为 {wan(op.total)}，差 {wan(floor - op.total)}",
                        f"{wan(floor, 'en')} is already issued or promised, so the budget cannot "
                        f"go below it; asked for {wan(op.total, 'en')}, "
                        f"short by {wan(floor - op.total, 'en')}",
                    )
                ]
            )
        return (entry(Kind.BUDGET_CUT, -change),)
    return ()


def issue_problems(book: Book, terms: Terms, op: Issue, on: dt.date) -> list[Problem]:
    """Why ``op`` may not be issued on ``on`` (empty if it may): the amount, the issue window,
    the scheme's available amount and the enterprise's cap, each with the figures."""
    problems = amount_problems(op.amount, "amount", "申请金额", "the amount")
    if not terms.issue_from <= on <= terms.issue_until:
        problems.append(
            Problem(
                "issue_window",
                f"不在本券种发放期内"
                f"（{terms.issue_from:%Y-%m-%d} 至 {terms.issue_until:%Y-%m-%d}）",
                f"outside the scheme's issue window ({terms.issue_from} to {terms.issue_until})",
            )
        )
    if problems:
        return problems
    available = book.totals.available
    if op.amount > available:
        over = op.amount - available
        problems.append(
            Problem(
                "amount",
                f"本券种剩余额度 {wan(available)}，申请 {wan(op.amount)}，超出 {wan(over)}",
                f"the scheme has {wan(available, 'en')} left; {wan(op.amount, 'en')} asked, "
                f"{wan(over, 'en')} over",
            )
        )
    held = book.committed.get(op.holder, ZERO)
    if held + op.amount > terms.cap:
        over = held + op.amount - terms.cap
        problems.append(
            Problem(
                "amount",
                f"每家企业上限 {wan(terms.cap)}，该企业已获 {wan(held)}，"
                f"申请 {wan(op.amount)}，超出 {wan(over)}",
                f"the cap per enterprise is {wan(terms.cap, 'en')}; this enterprise holds "
                f"{wan(held, 'en')} and asks {wan(op.amount, 'en')}, {wan(over, 'en')} over",
            )
        )
    return problems


def issue(book: Book, terms: Terms, op: Issue, on: dt.date) -> tuple[Entry, ...]:
    problems = issue_problems(book, terms, op, on)
    if op.number in book.vouchers:
        problems.append(
            Problem("voucher", f"券号 {op.number} 已存在", f"voucher {op.number} already exists")
        )
    if problems:
        raise Rejected(problems)
    return (entry(Kind.ISSUE, op.amount, op.number),)


def redeem_problems(v: Voucher, terms: Terms, op: Redeem, on: dt.date) -> list[Problem]:
    problems = status_problems(v, Status.ISSUED, "兑付", "redeemed")
    if not problems and on > v.expires_on:
        problems.append(
            Problem(
                "voucher",
                f"创新券 {v.number} 已于 {v.expires_on:%Y-%m-%d} 过期，不能兑付",
                f"voucher {v.number} expired on {v.expires_on}; it cannot be redeemed",
            )
        )
    if op.category not in terms.categories:
        problems.append(
            Problem(
                "category",
                "该服务类别不在本券种支持范围内",
                "this service category is not covered by the scheme",
            )
        )
    problems += amount_problems(op.contract_amount, "contract_amount", "合同金额", "the contract")
    problems += amount_problems(op.invoice_amount, "invoice_amount", "发票金额", "the invoice")
    if (
        not problems
        and isinstance(op.invoice_amount, Decimal)
        and op.invoice_amount > op.contract_amount
    ):
        problems.append(
            Problem(
                "invoice_amount",
                f"发票金额 {wan(op.invoice_amount)} 超过合同金额 {wan(op.contract_amount)}",
                f"the invoice ({wan(op.invoice_amount, 'en')}) exceeds the contract "
                f"({wan(op.contract_amount, 'en')})",
            )
        )
    return problems


def redeem(book: Book, terms: Terms, op: Redeem, on: dt.date) -> tuple[Entry, ...]:
    v = _voucher(book, op.number)
    problems = redeem_problems(v, terms, op, on)
    if problems:
        raise Rejected(problems)
    basis = min(op.contract_amount, op.invoice_amount)
    amount = subsidy(v.face, basis, terms.ratio)
    if amount <= 0:
        raise Rejected(
            [
                Problem(
                    "contract_amount",
                    "按补贴比例计算的补贴金额不足 1 分",
                    "the subsidy at the scheme's ratio is less than one fen",
                )
            ]
        )
    return (entry(Kind.REDEEM, amount, v.number),)


def reject(book: Book, op: RejectRedemption) -> tuple[Entry, ...]:
    v = _voucher(book, op.number)
    problems = status_problems(v, Status.REDEEMING, "退回兑付", "sent back")
    if problems:
        raise Rejected(problems)
    return (entry(Kind.REJECT, v.subsidy, v.number),)


def settle(book: Book, op: Settle) -> tuple[Entry, ...]:
    v = _voucher(book, op.number)
    problems = status_problems(v, Status.REDEEMING, "结算", "settled")
    if problems:
        raise Rejected(problems)
    out = [entry(Kind.SETTLE, v.subsidy, v.number)]
    if v.face > v.subsidy:
        out.append(entry(Kind.RELEASE, v.face - v.subsidy, v.number))
    return tuple(out)


def expire(book: Book, op: Expire, on: dt.date) -> tuple[Entry, ...]:
    v = _voucher(book, op.number)
    problems = status_problems(v, Status.ISSUED, "作过期处理", "expired")
    if not problems and on <= v.expires_on:
        problems.append(
            Problem(
                "voucher",
                f"创新券 {v.number} 有效期至 {v.expires_on:%Y-%m-%d}，尚未过期",
                f"voucher {v.number} is valid until {v.expires_on}",
            )
        )
    if problems:
        raise Rejected(problems)
    return (entry(Kind.EXPIRE, v.face, v.number), entry(Kind.RETURN, v.face, v.number))


def post(book: Book, terms: Terms, op: Operation, on: dt.date) -> tuple[Entry, ...]:
    """The entries ``op`` makes on ``on``, or ``Rejected`` naming what it would break."""
    match op:
        case SetBudget():
            return set_budget(book, op)
        case Issue():
            return issue(book, terms, op, on)
        case Redeem():
            return redeem(book, terms, op, on)
        case RejectRedemption():
            return reject(book, op)
        case Settle():
            return settle(book, op)
        case Expire():
            return expire(book, op, on)
    raise TypeError(f"not a ledger operation: {op!r}")


def apply(book: Book, terms: Terms, op: Operation, entries: tuple[Entry, ...], on: dt.date) -> Book:
    """The book after ``op`` made ``entries`` (a pure fold, for callers that keep a book)."""
    vouchers = dict(book.vouchers)
    committed = dict(book.committed)
    match op:
        case Issue():
            vouchers[op.number] = Voucher(
                op.number, op.holder, op.amount, expiry_date(on, terms.validity_days)
            )
            committed[op.holder] = committed.get(op.holder, ZERO) + op.amount
        case Redeem():
            vouchers[op.number] = replace(
                vouchers[op.number], status=Status.REDEEMING, subsidy=entries[0].amount
            )
        case RejectRedemption():
            vouchers[op.number] = replace(vouchers[op.number], status=Status.ISSUED, subsidy=None)
        case Settle():
            v = vouchers[op.number]
            vouchers[op.number] = replace(v, status=Status.SETTLED)
            committed[v.holder] -= v.face - v.subsidy
        case Expire():
            v = vouchers[op.number]
            vouchers[op.number] = replace(v, status=Status.EXPIRED)
            committed[v.holder] -= v.face
    return Book(book.totals.after(entries), vouchers, committed)
