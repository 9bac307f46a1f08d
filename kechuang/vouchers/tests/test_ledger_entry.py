"""The ledger table is append-only: nothing changes or removes an entry once written."""

import pytest
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction

from kechuang.vouchers.models import AppendOnly, LedgerEntry


def test_an_entry_cannot_be_changed_once_written(scheme):
    entry = LedgerEntry.objects.get(scheme=scheme)
    entry.amount += 1
    with pytest.raises(AppendOnly):
        entry.save()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == scheme.budget


def test_an_entry_cannot_be_deleted_one_by_one_or_in_bulk(scheme):
    entry = LedgerEntry.objects.get(scheme=scheme)
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(scheme=scheme).delete()
    with pytest.raises(AppendOnly):
        LedgerEntry.objects.filter(scheme=scheme).update(amount=1)
    assert LedgerEntry.objects.filter(scheme=scheme).count() == 1


def test_the_database_refuses_an_entry_whose_accounts_do_not_match_its_kind(scheme):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            scheme=scheme,
            kind="issue",
            debit="settled",
            credit="budget",
            amount=1,
            posted_on=scheme.issue_from,
        )


def test_the_database_refuses_a_zero_or_negative_amount(scheme):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            scheme=scheme,
            kind="budget",
            debit="available",
            credit="budget",
            amount=0,
            posted_on=scheme.issue_from,
        )


def test_entries_are_audited(scheme):
    entry = LedgerEntry.objects.get(scheme=scheme)
    assert LogEntry.objects.get_for_object(entry).filter(action=LogEntry.Action.CREATE).exists()


def test_only_demo_schemes_entries_can_be_discarded(scheme):
    assert LedgerEntry.objects.discard_demo() == 0
    assert LedgerEntry.objects.filter(scheme=scheme).count() == 1


def test_the_admin_shows_the_ledger_but_offers_no_edit(client, scheme, plan):
    from kechuang.accounts.models import User

    root = User.objects.create_superuser("t_root", password="x", role="admin")
    client.force_login(root)
    assert client.get("/admin/vouchers/ledgerentry/").status_code == 200
    entry = LedgerEntry.objects.get(scheme=scheme)
    page = client.get(f"/admin/vouchers/ledgerentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert (
        client.post(f"/admin/vouchers/ledgerentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
