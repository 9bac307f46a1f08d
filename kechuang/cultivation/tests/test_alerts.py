"""Alerts: HNTE certificates running out, enterprises newly meeting the HNTE conditions, and
yearly figures overdue after 31 May; overdue follow-ups of service records."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.cultivation import selectors, services
from kechuang.cultivation.models import YearlyEvaluation
from kechuang.enterprises.models import Certification, YearlyFigures

TODAY = dt.date(2026, 7, 1)


@pytest.mark.django_db
def test_expiring_certificates_within_six_months_not_renewed(make_enterprise):
    soon, later, renewed = (
        make_enterprise(n, registered_on=dt.date(2010, 1, 1)) for n in (70, 71, 72)
    )
    Certification.objects.create(
        enterprise=soon,
        kind="hnte",
        issued_on=dt.date(2023, 11, 1),
        expires_on=dt.date(2026, 10, 31),
    )
    Certification.objects.create(
        enterprise=later,
        kind="hnte",
        issued_on=dt.date(2024, 11, 1),
        expires_on=dt.date(2027, 10, 31),
    )
    Certification.objects.create(
        enterprise=renewed,
        kind="hnte",
        issued_on=dt.date(2023, 11, 1),
        expires_on=dt.date(2026, 10, 31),
    )
    Certification.objects.create(
        enterprise=renewed,
        kind="hnte",
        issued_on=dt.date(2026, 6, 1),
        expires_on=dt.date(2029, 5, 31),
    )
    assert [c.enterprise for c in selectors.expiring_hnte(TODAY)] == [soon]


@pytest.mark.django_db
def test_newly_eligible_without_a_valid_certificate(make_enterprise):
    ready, holder = (make_enterprise(n, registered_on=dt.date(2010, 1, 1)) for n in (73, 74))
    for e in (ready, holder):
        YearlyEvaluation.objects.create(
            enterprise=e,
            year=2025,
            assessed_on=dt.date(2025, 12, 31),
            outcomes={},
            hnte_outcome="eligible",
        )
    Certification.objects.create(
        enterprise=holder,
        kind="hnte",
        issued_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2027, 12, 31),
    )
    assert [ev.enterprise for ev in selectors.newly_eligible_hnte(TODAY)] == [ready]


@pytest.mark.django_db
def test_figures_overdue_after_31_may(make_enterprise):
    late, done, draft = (
        make_enterprise(n, registered_on=dt.date(2010, 1, 1)) for n in (75, 76, 77)
    )
    YearlyFigures.objects.create(
        enterprise=done, year=2025, status="approved", main_revenue=Decimal(1)
    )
    YearlyFigures.objects.create(
        enterprise=draft, year=2025, status="submitted", main_revenue=Decimal(1)
    )
    year, qs = selectors.figures_overdue(TODAY)
    assert year == 2025
    assert set(qs) == {late, draft}
    assert selectors.figures_overdue(dt.date(2026, 5, 31))[0] == 2024


@pytest.mark.django_db
def test_overdue_follow_ups(enterprise, staff_user):
    due = services.record_service(
        staff_user,
        enterprise,
        kind="visit",
        date=dt.date(2025, 1, 1),
        follow_up_on=dt.date(2025, 2, 1),
    )
    services.record_service(
        staff_user,
        enterprise,
        kind="training",
        date=dt.date(2025, 1, 1),
        follow_up_on=dt.date(2030, 1, 1),
    )
    done = services.record_service(
        staff_user,
        enterprise,
        kind="consultation",
        date=dt.date(2025, 1, 1),
        follow_up_on=dt.date(2025, 2, 1),
    )
    services.complete_follow_up(staff_user, done)
    assert list(selectors.overdue_follow_ups(TODAY)) == [due]
