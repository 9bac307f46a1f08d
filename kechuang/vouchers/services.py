"""Writes to innovation vouchers. Money moves only through ``kechuang.core.ledger``.

Permission is checked here, on the object, so the pages, the API and the commands obey the same
rules. Each function checks all of its input first and raises ``Rejected`` listing every
problem; only then does it write, in one transaction.

Concurrency: before reading a scheme's balances a writer locks the scheme row
(``select_for_update``), and the voucher row before changing a voucher, always in that order, so
two requests can neither overspend a budget nor redeem a voucher twice. On SQLite, where the
whole database has one writer at a time (transactions begin IMMEDIATE), the same code runs
serialised; a writer that finds the database locked waits and starts over (``_serialised``), so
it too reads the balances only once the other writer is done.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import wraps

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import OperationalError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from kechuang.accounts.models import Organization, User
from kechuang.audit.services import log_access, log_bulk
from kechuang.core import ledger
from kechuang.core.problems import Problem, Rejected
from kechuang.enterprises import checks
from kechuang.enterprises.models import Enterprise
from kechuang.notifications.services import notify
from kechuang.uploads import DOCUMENT_KINDS, KINDS, UploadLike, check_files
from kechuang.vouchers.models import (
    Category,
    LedgerEntry,
    Provider,
    Redemption,
    RedemptionFile,
    Scheme,
    Service,
    Voucher,
    VoucherApplication,
    VoucherEvent,
)

NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
NUMBER_SUFFIX = 4  # random characters: a number cannot be guessed from its neighbours
ATTACHMENT_KINDS = DOCUMENT_KINDS | {"jpeg", "png"}  # scanned invoices arrive as photos
MAX_FILES = 5
MAX_TEXT = 2000
MAX_VALIDITY_DAYS = 1096
LOCK_WAIT_SECONDS = 15


def today() -> dt.date:
    return timezone.localdate()


def _require(user, perm: str, obj, zh: str, en: str) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(f"{zh} / {en}")


def _serialised(fn: Callable) -> Callable:
    """SQLite has one writer at a time. A writer that finds the database locked (its busy
    timeout spent, or at once on a shared-cache database) waits and starts over, so it sees what
    the winner wrote; if the lock outlasts the wait it gets a refusal to retry, never a 500."""

    @wraps(fn)
    def run(*args, **kwargs):
        pause, deadline = 0.02, time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return fn(*args, **kwargs)
            except OperationalError as exc:
                if "locked" not in str(exc):
                    raise
                if connection.in_atomic_block or time.monotonic() > deadline:
                    raise Rejected(
                        [
                            Problem(
                                "database", "系统繁忙，请稍后重试", "the system is busy; try again"
                            )
                        ]
                    ) from exc
            time.sleep(pause)
            pause = min(pause * 2, 0.5)

    return run


def _text(value: str, where: str, zh: str, en: str, limit: int, required=True) -> list[Problem]:
    value = (value or "").strip()
    if required and not value:
        return [Problem(where, f"请填写{zh}", f"{en} is required")]
    if len(value) > limit:
        return [Problem(where, f"{zh}不能超过 {limit} 字", f"{en} must be at most {limit} chars")]
    return []


def _categories(values, where: str) -> list[Problem]:
    values = list(values or [])
    if not values:
        return [Problem(where, "请至少选择一个服务类别", "choose at least one service category")]
    unknown = [v for v in values if v not in Category.values]
    if unknown:
        return [
            Problem(
                where,
                f"未知服务类别：{'、'.join(map(str, unknown))}",
                f"unknown categories: {', '.join(map(str, unknown))}",
            )
        ]
    return []


def _date(value, where: str, zh: str, en: str) -> list[Problem]:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        return [Problem(where, f"请填写有效的{zh}", f"a valid {en} is required")]
    return []


# --- reading the books under lock ---------------------------------------------------------------


def _sums(qs) -> dict[str, Decimal]:
    return dict(qs.order_by().values("kind").annotate(s=Sum("amount")).values_list("kind", "s"))


def scheme_totals(scheme: Scheme) -> ledger.Totals:
    return ledger.Totals.from_sums(_sums(LedgerEntry.objects.filter(scheme=scheme)))


def committed(scheme: Scheme, enterprise: Enterprise) -> Decimal:
    """What the enterprise holds against the scheme's cap: issued, less expired and released."""
    sums = _sums(
        LedgerEntry.objects.filter(
            scheme=scheme,
            voucher__enterprise=enterprise,
            kind__in=[ledger.Kind.ISSUE, ledger.Kind.EXPIRE, ledger.Kind.RELEASE],
        )
    )
    z = ledger.ZERO
    return (
        (sums.get(ledger.Kind.ISSUE) or z)
        - (sums.get(ledger.Kind.EXPIRE) or z)
        - (sums.get(ledger.Kind.RELEASE) or z)
    )


def _lock_scheme(scheme: Scheme) -> Scheme:
    return Scheme.objects.select_for_update().get(pk=scheme.pk)


def _lock_voucher(voucher: Voucher) -> Voucher:
    return (
        # Only the voucher row: the joined scheme, enterprise and provider stay unlocked.
        Voucher.objects.select_for_update(of=("self",))
        .select_related("scheme", "enterprise", "provider", "service")
        .get(pk=voucher.pk)
    )


def _write(
    scheme: Scheme, entries, on: dt.date, user, voucher: Voucher | None = None, note: str = ""
) -> list[LedgerEntry]:
    rows = []
    for e in entries:
        row = LedgerEntry(
            scheme=scheme,
            kind=e.kind.value,
            debit=e.debit.value,
            credit=e.credit.value,
            amount=e.amount,
            voucher=voucher,
            posted_on=on,
            actor=_actor(user),
            note=note[:300],
        )
        row.save()
        rows.append(row)
    return rows


def _actor(user):
    return user if getattr(user, "pk", None) else None


def _event(voucher: Voucher, kind: str, before: str, user, note: str = "") -> VoucherEvent:
    return VoucherEvent.objects.create(
        voucher=voucher,
        kind=kind,
        from_state=before,
        to_state=voucher.state,
        note=note[:500],
        actor=_actor(user),
    )


def _enterprise_users(enterprise_ids) -> list[User]:
    return list(
        User.objects.filter(
            organization__enterprise__in=list(enterprise_ids),
            role=User.Role.ENTERPRISE,
            is_active=True,
        )
    )


def _provider_users(provider: Provider | None) -> list[User]:
    if provider is None:
        return []
    return list(
        User.objects.filter(
            organization_id=provider.organization_id, role=User.Role.PROVIDER, is_active=True
        )
    )


def _voucher_url(voucher: Voucher) -> str:
    return f"/vouchers/v/{voucher.number}/"


# --- schemes ------------------------------------------------------------------------------------


def _scheme_problems(
    *, year, name, cap, subsidy_ratio, categories, issue_from, issue_until, validity_days
) -> list[Problem]:
    problems = []
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        problems.append(Problem("year", f"年度「{year}」无效", f"year '{year}' is not valid"))
    problems += _text(name, "name", "券种名称", "the scheme name", 200)
    problems += ledger.amount_problems(cap, "cap", "每家企业上限", "the cap per enterprise")
    if (
        isinstance(subsidy_ratio, bool)
        or not isinstance(subsidy_ratio, Decimal)
        or not subsidy_ratio.is_finite()
        or not Decimal(0) < subsidy_ratio <= 1
        or subsidy_ratio != subsidy_ratio.quantize(Decimal("0.0001"))
    ):
        problems.append(
            Problem(
                "subsidy_ratio",
                "补贴比例应为 0 至 1 之间的小数（如 0.5 表示 50%），最多四位小数",
                "the subsidy ratio must be a fraction in (0, 1], e.g. 0.5, at most 4 decimals",
            )
        )
    problems += _categories(categories, "categories")
    dates = _date(issue_from, "issue_from", "发放开始日期", "issue start date")
    dates += _date(issue_until, "issue_until", "发放截止日期", "issue end date")
    if not dates and issue_from > issue_until:
        dates.append(
            Problem(
                "issue_until",
                "发放截止日期不能早于开始日期",
                "the issue window ends before it starts",
            )
        )
    problems += dates
    if (
        isinstance(validity_days, bool)
        or not isinstance(validity_days, int)
        or not 1 <= validity_days <= MAX_VALIDITY_DAYS
    ):
        problems.append(
            Problem(
                "validity_days",
                f"有效期应为 1–{MAX_VALIDITY_DAYS} 天",
                f"validity must be 1 to {MAX_VALIDITY_DAYS} days",
            )
        )
    return problems


@_serialised
@transaction.atomic
def create_scheme(
    user,
    *,
    year: int,
    name: str,
    budget: Decimal,
    cap: Decimal,
    subsidy_ratio: Decimal,
    categories: Sequence[str],
    issue_from: dt.date,
    issue_until: dt.date,
    validity_days: int,
    name_en: str = "",
    policy: str = "",
    on: dt.date | None = None,
    is_demo: bool = False,
) -> Scheme:
    """A new scheme, its budget posted to the ledger as the first entry."""
    _require(user, "vouchers.manage_schemes", None, "只有科技局可以设立券种", "bureau only")
    name = (name or "").strip()
    problems = _scheme_problems(
        year=year,
        name=name,
        cap=cap,
        subsidy_ratio=subsidy_ratio,
        categories=categories,
        issue_from=issue_from,
        issue_until=issue_until,
        validity_days=validity_days,
    )
    problems += ledger.amount_problems(budget, "budget", "总预算", "the budget")
    problems += _text(policy, "policy", "政策依据", "the policy reference", 300, required=False)
    if name and Scheme.objects.filter(year=year, name=name).exists():
        problems.append(
            Problem("name", f"{year} 年已有同名券种", f"{year} already has a scheme so named")
        )
    if problems:
        raise Rejected(problems)
    scheme = Scheme.objects.create(
        year=year,
        name=name,
        name_en=(name_en or "").strip(),
        budget=budget,
        cap=cap,
        subsidy_ratio=subsidy_ratio,
        categories=list(dict.fromkeys(categories)),
        issue_from=issue_from,
        issue_until=issue_until,
        validity_days=validity_days,
        policy=(policy or "").strip(),
        created_by=_actor(user),
        is_demo=is_demo,
    )
    entries = ledger.post(ledger.Book(), scheme.terms, ledger.SetBudget(budget), on or today())
    _write(scheme, entries, on or today(), user, note="设立券种 / scheme created")
    return scheme


@_serialised
@transaction.atomic
def set_budget(user, scheme: Scheme, total: Decimal, *, on: dt.date | None = None) -> Scheme:
    """Raise the budget, or lower it by no more than is still available."""
    _require(user, "vouchers.manage_schemes", scheme, "只有科技局可以调整预算", "bureau only")
    scheme = _lock_scheme(scheme)
    book = ledger.Book(scheme_totals(scheme))
    entries = ledger.post(book, scheme.terms, ledger.SetBudget(total), on or today())
    if entries:
        _write(scheme, entries, on or today(), user, note=f"预算调整为 {total} / budget set")
        scheme.budget = total
        scheme.save(update_fields=["budget"])
    return scheme


@transaction.atomic
def set_scheme_state(user, scheme: Scheme, state: str) -> Scheme:
    """Open a scheme for applications or stop issuing (vouchers already issued stay valid)."""
    _require(user, "vouchers.manage_schemes", scheme, "只有科技局可以调整券种状态", "bureau only")
    if state not in Scheme.State.values:
        raise Rejected([Problem("state", f"未知状态「{state}」", f"unknown state '{state}'")])
    scheme = _lock_scheme(scheme)
    if scheme.state != state:
        scheme.state = state
        scheme.save(update_fields=["state"])
    return scheme


# --- providers and services ---------------------------------------------------------------------


@transaction.atomic
def register_provider(
    user,
    *,
    uscc: str,
    name: str,
    contact_name: str,
    contact_phone: str,
    categories: Sequence[str],
    address: str = "",
    description: str = "",
    name_en: str = "",
    approved: bool = False,
    is_demo: bool = False,
) -> Provider:
    """A service provider and the organisation its users log in for (kind 服务机构)."""
    _require(user, "vouchers.manage_providers", None, "只有科技局可以登记服务机构", "bureau only")
    code = checks.clean_uscc(uscc)
    problems = checks.check_uscc(code, "uscc")
    problems += _text(name, "name", "机构名称", "the name", 200)
    problems += _text(contact_name, "contact_name", "联系人", "the contact", 50)
    problems += _text(contact_phone, "contact_phone", "联系电话", "the phone", 50)
    problems += _text(address, "address", "地址", "the address", 200, required=False)
    problems += _text(description, "description", "机构简介", "the description", MAX_TEXT, False)
    problems += _categories(categories, "categories")
    if code and Provider.objects.filter(uscc=code).exists():
        problems.append(
            Problem("uscc", f"统一社会信用代码 {code} 已登记", f"USCC {code} is registered")
        )
    if problems:
        raise Rejected(problems)
    org = Organization.objects.create(
        code=f"prv-{code.lower()}",
        name=name.strip(),
        name_en=(name_en or "").strip(),
        kind=Organization.Kind.PROVIDER,
        phone=contact_phone.strip(),
        address=(address or "").strip(),
        is_demo=is_demo,
    )
    return Provider.objects.create(
        organization=org,
        uscc=code,
        name=name.strip(),
        name_en=(name_en or "").strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        address=(address or "").strip(),
        categories=list(dict.fromkeys(categories)),
        description=(description or "").strip(),
        approved=approved,
        approved_by=_actor(user) if approved else None,
        approved_at=timezone.now() if approved else None,
        is_demo=is_demo,
    )


@transaction.atomic
def set_provider_approved(user, provider: Provider, approved: bool) -> Provider:
    """Admit a provider to the public list (入库), or withdraw it; its open vouchers stay."""
    _require(user, "vouchers.manage_providers", provider, "只有科技局可以审核服务机构", "bureau")
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if provider.approved != approved:
        provider.approved = approved
        provider.approved_by = _actor(user) if approved else None
        provider.approved_at = timezone.now() if approved else None
        provider.save(update_fields=["approved", "approved_by", "approved_at"])
    return provider


@transaction.atomic
def add_service(
    user,
    provider: Provider,
    *,
    category: str,
    name: str,
    price_note: str = "",
    name_en: str = "",
    is_demo: bool = False,
) -> Service:
    """A service the provider offers, in one of the categories it is registered for."""
    _require(
        user,
        "vouchers.manage_services",
        provider,
        "只能为本机构添加服务",
        "only the bureau or the provider itself may add its services",
    )
    name = (name or "").strip()
    problems = _text(name, "name", "服务名称", "the service name", 200)
    problems += _text(price_note, "price_note", "收费说明", "the price note", 300, required=False)
    if category not in provider.categories:
        problems.append(
            Problem(
                "category",
                "该类别不在本机构登记的服务类别内",
                "the provider is not registered for this category",
            )
        )
    if name and provider.services.filter(name=name).exists():
        problems.append(
            Problem("name", "本机构已有同名服务", "the provider has a service so named")
        )
    if problems:
        raise Rejected(problems)
    return Service.objects.create(
        provider=provider,
        category=category,
        name=name,
        name_en=(name_en or "").strip(),
        price_note=(price_note or "").strip(),
        is_demo=is_demo,
    )


# --- applications and issue ---------------------------------------------------------------------


def _open_problems(scheme: Scheme) -> list[Problem]:
    if scheme.state != Scheme.State.OPEN:
        return [Problem("scheme", f"券种「{scheme.name}」已停止发放", "the scheme is closed")]
    return []


def _category_problem(scheme: Scheme, category: str) -> list[Problem]:
    if category in scheme.categories:
        return []
    label = dict(Category.choices).get(category, category)
    return [
        Problem(
            "category",
            f"券种「{scheme.name}」不支持「{label}」类服务，支持：{'、'.join(scheme.category_labels)}",
            f"the scheme does not cover '{category}'; it covers {', '.join(scheme.categories)}",
        )
    ]


@_serialised
@transaction.atomic
def apply_for_voucher(
    user,
    enterprise: Enterprise,
    scheme: Scheme,
    *,
    amount: Decimal,
    category: str,
    purpose: str,
    on: dt.date | None = None,
    is_demo: bool = False,
) -> VoucherApplication:
    """An enterprise asks for a voucher; refused early if the scheme or the cap cannot fit it."""
    _require(
        user,
        "vouchers.apply",
        enterprise,
        "只能为本企业申领创新券",
        "you may apply for your own enterprise only",
    )
    on = on or today()
    scheme = _lock_scheme(scheme)
    problems = _open_problems(scheme)
    problems += _category_problem(scheme, category)
    problems += _text(purpose, "purpose", "用途说明", "the purpose", MAX_TEXT)
    if VoucherApplication.objects.filter(
        scheme=scheme, enterprise=enterprise, state=VoucherApplication.State.SUBMITTED
    ).exists():
        problems.append(
            Problem(
                "scheme",
                "本企业在该券种已有待审核的申请，请等待审核结果",
                "your enterprise already has an application pending in this scheme",
            )
        )
    book = ledger.Book(
        scheme_totals(scheme), committed={str(enterprise.pk): committed(scheme, enterprise)}
    )
    problems += ledger.issue_problems(
        book, scheme.terms, ledger.Issue("", str(enterprise.pk), amount), on
    )
    if problems:
        raise Rejected(problems)
    return VoucherApplication.objects.create(
        scheme=scheme,
        enterprise=enterprise,
        amount=amount,
        category=category,
        purpose=purpose.strip(),
        submitted_by=user,
        is_demo=is_demo,
    )


def _next_number(year: int) -> str:
    """KJQ-2026-000001-K7QM: a serial for reading out, a random suffix against guessing."""
    # The newest voucher holds the highest serial (they are issued under lock, in order); the
    # primary key says which is newest whatever the database's collation does with hyphens.
    last = (
        Voucher.objects.filter(number__startswith=f"KJQ-{year}-")
        .order_by("-pk")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last.split("-")[2]) + 1 if last else 1
    suffix = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_SUFFIX))
    return f"KJQ-{year}-{serial:06d}-{suffix}"


@_serialised
@transaction.atomic
def approve_application(
    user,
    application: VoucherApplication,
    *,
    amount: Decimal | None = None,
    note: str = "",
    on: dt.date | None = None,
) -> Voucher:
    """Approve (for the amount asked, or less) and issue the voucher from the scheme's budget."""
    _require(user, "vouchers.decide_applications", application, "只有科技局可以审批", "bureau only")
    on = on or today()
    # Every scheme of the year is locked (in one order): the serial is unique per year.
    year = application.scheme.year
    locked = {s.pk: s for s in Scheme.objects.select_for_update().filter(year=year).order_by("pk")}
    scheme = locked[application.scheme_id]
    application = (
        VoucherApplication.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=application.pk)
    )
    amount = application.amount if amount is None else amount
    problems = _decidable(application)
    problems += _open_problems(scheme)
    problems += _text(note, "note", "审核意见", "the note", MAX_TEXT, required=False)
    if isinstance(amount, Decimal) and amount > application.amount:
        problems.append(
            Problem(
                "amount",
                f"批准金额 {ledger.wan(amount)} 不能超过申请金额 {ledger.wan(application.amount)}",
                f"the approved amount cannot exceed the {ledger.wan(application.amount, 'en')} "
                "asked",
            )
        )
    enterprise = application.enterprise
    holder = str(enterprise.pk)
    book = ledger.Book(scheme_totals(scheme), committed={holder: committed(scheme, enterprise)})
    number = _next_number(year)
    op = ledger.Issue(number, holder, amount)
    problems += ledger.issue_problems(book, scheme.terms, op, on)
    if problems:
        raise Rejected(problems)
    entries = ledger.post(book, scheme.terms, op, on)
    voucher = Voucher.objects.create(
        number=number,
        scheme=scheme,
        enterprise=enterprise,
        application=application,
        face_amount=amount,
        issued_on=on,
        expires_on=ledger.expiry_date(on, scheme.validity_days),
        issued_by=_actor(user),
        is_demo=application.is_demo,
    )
    _write(scheme, entries, on, user, voucher, note=f"发放 {number}")
    application.state = VoucherApplication.State.APPROVED
    application.decided_by, application.decided_at = _actor(user), timezone.now()
    application.decision_note = (note or "").strip()
    application.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _event(voucher, VoucherEvent.Kind.ISSUED, "", user, note)
    notify(
        _enterprise_users([enterprise.pk]),
        title_zh=f"创新券已发放：{number}",
        title_en=f"Innovation voucher issued: {number}",
        body_zh=f"面额 {ledger.wan(amount)}，有效期至 {voucher.expires_on:%Y-%m-%d}。",
        body_en=f"Face value {ledger.wan(amount, 'en')}, valid until {voucher.expires_on}.",
        url="/vouchers/mine/",
    )
    return voucher


def _decidable(application: VoucherApplication) -> list[Problem]:
    if application.state == VoucherApplication.State.SUBMITTED:
        return []
    return [
        Problem(
            "application",
            f"该申请已{application.get_state_display()}，不能再审批",
            f"this application is already {application.state}",
        )
    ]


@transaction.atomic
def reject_application(user, application: VoucherApplication, *, reason: str):
    """Refuse an application, with the reason the enterprise will read."""
    _require(user, "vouchers.decide_applications", application, "只有科技局可以审批", "bureau only")
    application = VoucherApplication.objects.select_for_update().get(pk=application.pk)
    problems = _decidable(application)
    problems += _text(reason, "reason", "不予批准的理由", "the reason", MAX_TEXT)
    if problems:
        raise Rejected(problems)
    application.state = VoucherApplication.State.REJECTED
    application.decided_by, application.decided_at = _actor(user), timezone.now()
    application.decision_note = reason.strip()
    application.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    notify(
        _enterprise_users([application.enterprise_id]),
        title_zh="创新券申请未获批准",
        title_en="Voucher application not approved",
        body_zh=reason.strip(),
        body_en=reason.strip(),
        url="/vouchers/mine/",
    )
    return application


# --- use and redemption -------------------------------------------------------------------------


def _usable(voucher: Voucher, on: dt.date, doing_zh: str, doing_en: str) -> list[Problem]:
    if voucher.state == Voucher.State.ISSUED and on > voucher.expires_on:
        return [
            Problem(
                "voucher",
                f"创新券 {voucher.number} 已于 {voucher.expires_on:%Y-%m-%d} 过期，不能{doing_zh}",
                f"voucher {voucher.number} expired on {voucher.expires_on}; it cannot be "
                f"{doing_en}",
            )
        ]
    return ledger.status_problems(voucher.position(), ledger.Status.ISSUED, doing_zh, doing_en)


@transaction.atomic
def use_voucher(user, voucher: Voucher, service: Service, *, on: dt.date | None = None):
    """The enterprise names the contracted service, and so the one provider who may redeem."""
    _require(
        user,
        "vouchers.use_voucher",
        voucher,
        "只能使用本企业的创新券",
        "you may use your own enterprise's vouchers only",
    )
    voucher = _lock_voucher(voucher)
    service = Service.objects.select_related("provider").get(pk=service.pk)
    problems = _usable(voucher, on or today(), "选择服务", "assigned")
    if not (service.active and service.provider.approved):
        problems.append(
            Problem(
                "service",
                "该服务机构或服务未入库，不能使用",
                "the provider or service is not listed",
            )
        )
    problems += _category_problem(voucher.scheme, service.category)
    if problems:
        raise Rejected(problems)
    if voucher.service_id == service.pk:
        return voucher
    previous = voucher.provider
    voucher.service, voucher.provider = service, service.provider
    voucher.save(update_fields=["service", "provider"])
    note = f"{service.provider.name} · {service.name}"
    if previous is not None:
        note += f"（原：{previous.name}）"
    _event(voucher, VoucherEvent.Kind.ASSIGNED, voucher.state, user, note)
    notify(
        _provider_users(service.provider),
        title_zh=f"企业选择了贵机构的服务：{voucher.number}",
        title_en=f"An enterprise chose your service: {voucher.number}",
        body_zh=f"{voucher.enterprise.name} 以面额 {ledger.wan(voucher.face_amount)} 的创新券"
        f"购买「{service.name}」，有效期至 {voucher.expires_on:%Y-%m-%d}。",
        body_en=f"{voucher.enterprise.name} will pay for '{service.name}' with a voucher of "
        f"{ledger.wan(voucher.face_amount, 'en')}, valid until {voucher.expires_on}.",
        url="/vouchers/provider/",
    )
    return voucher


def _require_redeemer(user, voucher: Voucher) -> None:
    """Only the provider the enterprise chose; anyone else's attempt is refused and audited."""
    if user.has_perm("vouchers.redeem_voucher", voucher):
        return
    log_access(user, voucher, note="兑付非本机构的创新券 / redeem another's voucher", denied=True)
    raise PermissionDenied(
        "该创新券未指定由贵机构兑付 / this voucher is not assigned to your organisation"
    )


@dataclass(frozen=True)
class _Checked:
    contract: list
    invoice: list


def _files(contract_files, invoice_files) -> tuple[_Checked, list[Problem]]:
    problems: list[Problem] = []
    out = {}
    for role, files, zh, en in (
        ("contract", contract_files, "服务合同", "the contract"),
        ("invoice", invoice_files, "发票", "the invoice"),
    ):
        files = list(files or [])
        if not files:
            problems.append(Problem(f"{role}_files", f"请上传{zh}", f"upload {en}"))
        checked, bad = check_files(
            files,
            max_bytes=settings.KECHUANG_EVIDENCE_MAX_BYTES,
            allowed=ATTACHMENT_KINDS,
            max_files=MAX_FILES,
        )
        problems += [Problem(f"{role}_{p.where}", p.message_zh, p.message_en) for p in bad]
        out[role] = checked
    return _Checked(out["contract"], out["invoice"]), problems


@_serialised
def submit_redemption(
    user,
    voucher: Voucher,
    *,
    contract_no: str,
    contract_amount: Decimal,
    invoice_no: str,
    invoice_amount: Decimal,
    contract_files: Sequence[UploadLike] = (),
    invoice_files: Sequence[UploadLike] = (),
    on: dt.date | None = None,
    is_demo: bool = False,
) -> Redemption:
    """The provider claims the subsidy for a delivered service, with contract and invoice."""
    # Outside the transaction: the refusal's audit entry must survive the refusal. Judged on
    # the voucher as stored, not as the caller last saw it.
    voucher = Voucher.objects.select_related("provider", "scheme").get(pk=voucher.pk)
    _require_redeemer(user, voucher)
    on = on or today()
    problems = _text(contract_no, "contract_no", "合同编号", "the contract number", 100)
    problems += _text(invoice_no, "invoice_no", "发票号码", "the invoice number", 100)
    checked, file_problems = _files(contract_files, invoice_files)
    problems += file_problems
    stored: list[str] = []
    try:
        with transaction.atomic():
            scheme = _lock_scheme(voucher.scheme)
            voucher = _lock_voucher(voucher)
            if voucher.service_id is None:
                problems.append(Problem("voucher", "企业尚未选定服务", "no service was chosen"))
                raise Rejected(problems)
            op = ledger.Redeem(
                voucher.number, contract_amount, invoice_amount, voucher.service.category
            )
            problems += ledger.redeem_problems(voucher.position(), scheme.terms, op, on)
            if problems:
                raise Rejected(problems)
            book = ledger.Book(vouchers={voucher.number: voucher.position()})
            entries = ledger.post(book, scheme.terms, op, on)
            redemption = Redemption.objects.create(
                voucher=voucher,
                provider=voucher.provider,
                service=voucher.service,
                contract_no=contract_no.strip(),
                contract_amount=contract_amount,
                invoice_no=invoice_no.strip(),
                invoice_amount=invoice_amount,
                subsidy=entries[0].amount,
                submitted_by=user,
                submitted_on=on,
                is_demo=is_demo,
            )
            for role, files in (("contract", checked.contract), ("invoice", checked.invoice)):
                for c in files:
                    f = RedemptionFile(
                        redemption=redemption,
                        role=role,
                        original_name=c.original_name,
                        size=c.size,
                        content_type=KINDS[c.kind].content_type,
                        sha256=c.sha256,
                    )
                    # A random stored name: the uploader's name never becomes a path on disk.
                    f.file.save(f"{uuid.uuid4().hex}{c.extension}", c.upload, save=False)
                    stored.append(f.file.name)
                    f.save()
            _write(scheme, entries, on, user, voucher, note=f"兑付申请 {contract_no.strip()}")
            before = voucher.state
            voucher.state = Voucher.State.REDEEMING
            voucher.save(update_fields=["state"])
            _event(voucher, VoucherEvent.Kind.REDEMPTION_SUBMITTED, before, user, contract_no)
            notify(
                _enterprise_users([voucher.enterprise_id]),
                title_zh=f"服务机构已提交兑付：{voucher.number}",
                title_en=f"Provider claimed the voucher: {voucher.number}",
                body_zh=f"{voucher.provider.name} 申请补贴 {ledger.wan(redemption.subsidy)}。",
                body_en=f"{voucher.provider.name} claims {ledger.wan(redemption.subsidy, 'en')}.",
                url=_voucher_url(voucher),
            )
    except BaseException:
        # The rows are rolled back; the files already on disk must go with them.
        for name in stored:
            default_storage.delete(name)
        raise
    return redemption


def _lock_claim(redemption: Redemption) -> tuple[Scheme, Voucher, Redemption]:
    scheme = _lock_scheme(redemption.voucher.scheme)
    voucher = _lock_voucher(redemption.voucher)
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    return scheme, voucher, redemption


def _claim_state(redemption: Redemption, allowed: set[str], doing_zh: str, doing_en: str):
    if redemption.state in allowed:
        return []
    return [
        Problem(
            "redemption",
            f"该兑付申请{redemption.get_state_display()}，不能{doing_zh}",
            f"this claim is {redemption.state}; it cannot be {doing_en}",
        )
    ]


def _tell_both(voucher: Voucher, title_zh: str, title_en: str, body_zh="", body_en="") -> None:
    notify(
        [*_enterprise_users([voucher.enterprise_id]), *_provider_users(voucher.provider)],
        title_zh=title_zh,
        title_en=title_en,
        body_zh=body_zh,
        body_en=body_en,
        url=_voucher_url(voucher),
    )


@_serialised
@transaction.atomic
def verify_redemption(user, redemption: Redemption) -> Redemption:
    """The bureau confirms the contract and invoice; the claim may then be paid."""
    _require(user, "vouchers.verify_redemptions", redemption, "只有科技局可以审核", "bureau only")
    _scheme, voucher, redemption = _lock_claim(redemption)
    problems = _claim_state(redemption, {Redemption.State.SUBMITTED}, "审核", "verified")
    if problems:
        raise Rejected(problems)
    redemption.state = Redemption.State.VERIFIED
    redemption.verified_by, redemption.verified_at = _actor(user), timezone.now()
    redemption.save(update_fields=["state", "verified_by", "verified_at"])
    _event(voucher, VoucherEvent.Kind.REDEMPTION_VERIFIED, voucher.state, user)
    _tell_both(
        voucher,
        f"兑付审核通过：{voucher.number}",
        f"Claim verified: {voucher.number}",
        f"补贴 {ledger.wan(redemption.subsidy)} 待结算。",
        f"{ledger.wan(redemption.subsidy, 'en')} awaits payment.",
    )
    return redemption


@_serialised
@transaction.atomic
def reject_redemption(
    user, redemption: Redemption, *, reason: str, on: dt.date | None = None
) -> Redemption:
    """Send a claim back: the voucher is whole again and the provider may claim anew."""
    _require(user, "vouchers.verify_redemptions", redemption, "只有科技局可以审核", "bureau only")
    on = on or today()
    scheme, voucher, redemption = _lock_claim(redemption)
    allowed = {Redemption.State.SUBMITTED, Redemption.State.VERIFIED}
    problems = _claim_state(redemption, allowed, "退回", "sent back")
    problems += _text(reason, "reason", "退回原因", "the reason", MAX_TEXT)
    if problems:
        raise Rejected(problems)
    book = ledger.Book(vouchers={voucher.number: voucher.position(redemption.subsidy)})
    entries = ledger.post(book, scheme.terms, ledger.RejectRedemption(voucher.number), on)
    _write(scheme, entries, on, user, voucher, note=f"兑付退回 {redemption.contract_no}")
    redemption.state = Redemption.State.REJECTED
    redemption.rejection_reason = reason.strip()
    redemption.verified_by, redemption.verified_at = _actor(user), timezone.now()
    redemption.save(update_fields=["state", "rejection_reason", "verified_by", "verified_at"])
    before = voucher.state
    voucher.state = Voucher.State.ISSUED
    voucher.save(update_fields=["state"])
    _event(voucher, VoucherEvent.Kind.REDEMPTION_REJECTED, before, user, reason)
    _tell_both(
        voucher,
        f"兑付申请被退回：{voucher.number}",
        f"Claim sent back: {voucher.number}",
        reason.strip(),
        reason.strip(),
    )
    return redemption


@_serialised
@transaction.atomic
def settle_redemption(user, redemption: Redemption, *, on: dt.date | None = None) -> Redemption:
    """Pay a verified claim; the unused part of the face value returns to the scheme."""
    _require(user, "vouchers.verify_redemptions", redemption, "只有科技局可以结算", "bureau only")
    on = on or today()
    scheme, voucher, redemption = _lock_claim(redemption)
    problems = _claim_state(redemption, {Redemption.State.VERIFIED}, "结算（须先审核）", "paid")
    if problems:
        raise Rejected(problems)
    book = ledger.Book(vouchers={voucher.number: voucher.position(redemption.subsidy)})
    entries = ledger.post(book, scheme.terms, ledger.Settle(voucher.number), on)
    _write(scheme, entries, on, user, voucher, note=f"结算 {redemption.contract_no}")
    redemption.state = Redemption.State.SETTLED
    redemption.settled_by, redemption.settled_on = _actor(user), on
    redemption.settled_at = timezone.now()
    redemption.save(update_fields=["state", "settled_by", "settled_on", "settled_at"])
    before = voucher.state
    voucher.state = Voucher.State.SETTLED
    voucher.save(update_fields=["state"])
    _event(voucher, VoucherEvent.Kind.SETTLED, before, user)
    _tell_both(
        voucher,
        f"创新券补贴已结算：{voucher.number}",
        f"Voucher subsidy paid: {voucher.number}",
        f"结算金额 {ledger.wan(redemption.subsidy)}。",
        f"{ledger.wan(redemption.subsidy, 'en')} paid.",
    )
    return redemption


# --- expiry -------------------------------------------------------------------------------------


@dataclass
class ExpiryReport:
    count: int = 0
    amount: Decimal = ledger.ZERO
    by_scheme: dict[int, Decimal] = field(default_factory=dict)


def expire_vouchers(
    on: dt.date | None = None, *, actor=None, scheme: Scheme | None = None
) -> ExpiryReport:
    """Every unused voucher past its last valid day expires; its amount returns to available.

    Run daily (``kechuang vouchers expire`` or the task), for every scheme or one. Each scheme is
    done in its own transaction under its lock; running it twice expires nothing more.
    """
    on = on or today()
    report = ExpiryReport()
    due = Voucher.objects.filter(state=Voucher.State.ISSUED, expires_on__lt=on)
    if scheme is not None:
        due = due.filter(scheme=scheme)
    schemes = due.values_list("scheme_id", flat=True).distinct().order_by("scheme_id")
    for scheme_id in list(schemes):
        count, amount = _expire_scheme(scheme_id, on, actor)
        report.count += count
        report.amount += amount
        report.by_scheme[scheme_id] = amount
    return report


@_serialised
@transaction.atomic
def _expire_scheme(scheme_id: int, on: dt.date, actor) -> tuple[int, Decimal]:
    scheme = Scheme.objects.select_for_update().get(pk=scheme_id)
    vouchers = list(
        Voucher.objects.select_for_update()
        .filter(scheme=scheme, state=Voucher.State.ISSUED, expires_on__lt=on)
        .order_by("pk")
    )
    rows, events = [], []
    for v in vouchers:
        book = ledger.Book(vouchers={v.number: v.position()})
        for e in ledger.post(book, scheme.terms, ledger.Expire(v.number), on):
            rows.append(
                LedgerEntry(
                    scheme=scheme,
                    kind=e.kind.value,
                    debit=e.debit.value,
                    credit=e.credit.value,
                    amount=e.amount,
                    voucher=v,
                    posted_on=on,
                    actor=_actor(actor),
                    note=f"过期 {v.number}",
                )
            )
        events.append(
            VoucherEvent(
                voucher=v,
                kind=VoucherEvent.Kind.EXPIRED,
                from_state=v.state,
                to_state=Voucher.State.EXPIRED,
                actor=_actor(actor),
            )
        )
    if not vouchers:
        return 0, ledger.ZERO
    before = {v.pk: {"state": v.state} for v in vouchers}
    Voucher.objects.filter(pk__in=[v.pk for v in vouchers]).update(state=Voucher.State.EXPIRED)
    for v in vouchers:
        v.state = Voucher.State.EXPIRED
    rows = LedgerEntry.objects.bulk_create(rows)
    VoucherEvent.objects.bulk_create(events)
    log_bulk(vouchers, LogEntry.Action.UPDATE, actor=actor, fields=["state"], before=before)
    log_bulk(rows, LogEntry.Action.CREATE, actor=actor, fields=["kind", "amount", "voucher"])
    by_enterprise: dict[int, list[Voucher]] = defaultdict(list)
    for v in vouchers:
        by_enterprise[v.enterprise_id].append(v)
    for enterprise_id, expired in by_enterprise.items():
        numbers = "、".join(v.number for v in expired)
        notify(
            _enterprise_users([enterprise_id]),
            title_zh=f"创新券已过期（{len(expired)} 张）",
            title_en=f"Vouchers expired ({len(expired)})",
            body_zh=f"{numbers} 已过有效期未使用，额度已收回。",
            body_en=f"{numbers} passed their validity unused; the amount has been withdrawn.",
            url="/vouchers/mine/",
        )
    return len(vouchers), sum((v.face_amount for v in vouchers), ledger.ZERO)
