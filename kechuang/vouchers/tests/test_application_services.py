"""Enterprises apply; the bureau approves (issuing from the budget) or refuses with a reason."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.notifications.models import Notification
from kechuang.vouchers import selectors, services
from kechuang.vouchers.models import LedgerEntry, Voucher, VoucherApplication, VoucherEvent
from kechuang.vouchers.tests.conftest import W, ledger_rows


def apply(user, firm, scheme, amount=10 * W, category="testing", on=None):
    return services.apply_for_voucher(
        user, firm, scheme, amount=amount, category=category, purpose="新产品检测", on=on
    )


def test_an_enterprise_applies_for_its_own_enterprise(enterprise_user, enterprise, scheme):
    app = apply(enterprise_user, enterprise, scheme)
    assert app.state == "submitted" and app.submitted_by == enterprise_user
    assert ledger_rows() == 1, "an application moves no money"


def test_an_enterprise_cannot_apply_for_another(enterprise_user, other_enterprise, scheme):
    with pytest.raises(PermissionDenied):
        apply(enterprise_user, other_enterprise, scheme)
    assert not VoucherApplication.objects.exists()


@pytest.mark.parametrize("who", ["staff_user", "provider_user", "expert", "reporter"])
def test_other_roles_cannot_apply(request, who, enterprise, scheme):
    with pytest.raises(PermissionDenied):
        apply(request.getfixturevalue(who), enterprise, scheme)


def test_over_the_cap_is_refused_with_the_figures(enterprise_user, enterprise, scheme, flow):
    flow.issue(15 * W)
    with pytest.raises(Rejected) as info:
        apply(enterprise_user, enterprise, scheme, amount=10 * W)
    (p,) = info.value.problems
    assert p.where == "amount"
    assert "上限 ¥20.00万" in p.message_zh and "已获 ¥15.00万" in p.message_zh
    assert "超出 ¥5.00万" in p.message_zh and "over" in p.message_en


def test_over_the_scheme_budget_is_refused(enterprise_user, enterprise, make_scheme):
    small = make_scheme(name="小券种", budget=5 * W)
    with pytest.raises(Rejected) as info:
        apply(enterprise_user, enterprise, small, amount=8 * W)
    assert "本券种剩余额度 ¥5.00万，申请 ¥8.00万，超出 ¥3.00万" in info.value.problems[0].message_zh


def test_outside_the_issue_window_is_refused(enterprise_user, enterprise, scheme, today):
    with pytest.raises(Rejected) as info:
        apply(enterprise_user, enterprise, scheme, on=scheme.issue_until + dt.timedelta(days=1))
    assert [p.where for p in info.value.problems] == ["issue_window"]


def test_a_category_the_scheme_does_not_cover_is_refused(enterprise_user, enterprise, scheme):
    with pytest.raises(Rejected) as info:
        apply(enterprise_user, enterprise, scheme, category="finance")
    (p,) = info.value.problems
    assert p.where == "category" and "科技金融" in p.message_zh and "检验检测" in p.message_zh


def test_one_pending_application_per_scheme(enterprise_user, enterprise, scheme):
    apply(enterprise_user, enterprise, scheme)
    with pytest.raises(Rejected) as info:
        apply(enterprise_user, enterprise, scheme, amount=W)
    assert [p.where for p in info.value.problems] == ["scheme"]
    assert VoucherApplication.objects.count() == 1


def test_every_problem_is_reported_at_once(enterprise_user, enterprise, scheme):
    with pytest.raises(Rejected) as info:
        services.apply_for_voucher(
            enterprise_user,
            enterprise,
            scheme,
            amount=Decimal("0.001"),
            category="finance",
            purpose="",
        )
    assert [p.where for p in info.value.problems] == ["category", "purpose", "amount"]


def test_approval_issues_a_voucher_from_the_budget(
    staff_user, enterprise_user, enterprise, scheme, today
):
    app = apply(enterprise_user, enterprise, scheme, amount=12 * W)
    voucher = services.approve_application(staff_user, app, note="同意")
    assert re.fullmatch(rf"KJQ-{scheme.year}-000001-[2-9A-HJ-NP-Z]{{4}}", voucher.number)
    assert voucher.face_amount == 12 * W and voucher.state == "issued"
    assert voucher.issued_on == today
    assert voucher.expires_on == today + dt.timedelta(days=scheme.validity_days - 1)
    entry = LedgerEntry.objects.get(voucher=voucher)
    assert (entry.kind, entry.debit, entry.credit, entry.amount) == (
        "issue",
        "issued",
        "available",
        12 * W,
    )
    app.refresh_from_db()
    assert app.state == "approved" and app.decided_by == staff_user and app.voucher == voucher
    assert VoucherEvent.objects.get(voucher=voucher).kind == "issued"
    rec = selectors.reconciliation(scheme)
    assert rec.ok and rec.totals.outstanding == 12 * W and rec.totals.available == 88 * W
    note = Notification.objects.get(user=enterprise_user)
    assert voucher.number in note.title_zh


def test_numbers_follow_a_serial_per_year_with_a_random_suffix(flow, other_enterprise_user):
    a = flow.issue(W)
    b = flow.issue(W)
    assert a.number.split("-")[2] == "000001" and b.number.split("-")[2] == "000002"
    assert a.number[:15] != b.number[:15]


def test_approving_less_than_asked_but_never_more(staff_user, enterprise_user, enterprise, scheme):
    app = apply(enterprise_user, enterprise, scheme, amount=10 * W)
    with pytest.raises(Rejected) as info:
        services.approve_application(staff_user, app, amount=11 * W)
    assert info.value.problems[0].where == "amount"
    assert not Voucher.objects.exists() and ledger_rows() == 1
    assert services.approve_application(staff_user, app, amount=6 * W).face_amount == 6 * W


def test_approval_rechecks_the_budget_at_the_moment_of_issue(
    staff_user, enterprise_user, enterprise, other_enterprise_user, other_enterprise, make_scheme
):
    small = make_scheme(name="小券种", budget=15 * W)
    first = apply(enterprise_user, enterprise, small, amount=10 * W)
    second = apply(other_enterprise_user, other_enterprise, small, amount=10 * W)
    services.approve_application(staff_user, first)
    before = ledger_rows()
    with pytest.raises(Rejected) as info:
        services.approve_application(staff_user, second)
    assert "剩余额度 ¥5.00万，申请 ¥10.00万" in info.value.problems[0].message_zh
    second.refresh_from_db()
    assert second.state == "submitted" and ledger_rows() == before


def test_a_decided_application_cannot_be_decided_again(
    staff_user, enterprise_user, enterprise, scheme
):
    app = apply(enterprise_user, enterprise, scheme)
    services.approve_application(staff_user, app)
    with pytest.raises(Rejected):
        services.approve_application(staff_user, app)
    with pytest.raises(Rejected):
        services.reject_application(staff_user, app, reason="重复")
    assert Voucher.objects.count() == 1


def test_refusal_needs_a_reason_and_tells_the_enterprise(
    staff_user, enterprise_user, enterprise, scheme
):
    app = apply(enterprise_user, enterprise, scheme)
    with pytest.raises(Rejected) as info:
        services.reject_application(staff_user, app, reason=" ")
    assert info.value.problems[0].where == "reason"
    services.reject_application(staff_user, app, reason="不属于科技服务")
    app.refresh_from_db()
    assert app.state == "rejected" and app.decision_note == "不属于科技服务"
    assert ledger_rows() == 1
    assert Notification.objects.filter(user=enterprise_user, body_zh="不属于科技服务").exists()


@pytest.mark.parametrize("who", ["enterprise_user", "provider_user", "expert", "reporter"])
def test_only_the_bureau_decides(request, who, enterprise_user, enterprise, scheme):
    app = apply(enterprise_user, enterprise, scheme)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.approve_application(user, app)
    with pytest.raises(PermissionDenied):
        services.reject_application(user, app, reason="x")
    assert not Voucher.objects.exists()


def test_the_enterprise_is_mailed_when_it_has_an_address(
    staff_user, enterprise_user, enterprise, scheme, django_capture_on_commit_callbacks
):
    enterprise_user.email = "ent@example.com"
    enterprise_user.save()
    app = apply(enterprise_user, enterprise, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(staff_user, app)
    assert mail.outbox and mail.outbox[0].to == ["ent@example.com"]
