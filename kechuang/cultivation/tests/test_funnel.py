"""The funnel counts each year: discovered (entered), served, put forward, certified."""

import datetime as dt

import pytest

from kechuang.cultivation import selectors, services
from kechuang.cultivation.models import PipelineEntry, YearlyEvaluation
from kechuang.enterprises.models import Certification


@pytest.mark.django_db
def test_funnel_counts_by_year(make_enterprise, staff_user):
    a = make_enterprise(60, registered_on=dt.date(2015, 1, 1))
    b = make_enterprise(61, registered_on=dt.date(2015, 1, 1))
    c = make_enterprise(62, registered_on=dt.date(2015, 1, 1))
    services.move(staff_user, a, "pool", reason="入库", on=dt.date(2023, 4, 1))
    services.move(staff_user, b, "startup", reason="入库", on=dt.date(2024, 4, 1))
    services.move(staff_user, c, "pool", reason="入库", on=dt.date(2024, 5, 1))
    # A later move does not make the enterprise "discovered" again.
    services.move(staff_user, a, "hnte", reason="取得证书", on=dt.date(2024, 12, 1))
    for e, day in ((a, dt.date(2024, 2, 1)), (a, dt.date(2024, 3, 1)), (b, dt.date(2024, 6, 1))):
        services.record_service(staff_user, e, kind="visit", date=day)
    YearlyEvaluation.objects.create(
        enterprise=c,
        year=2024,
        assessed_on=dt.date(2024, 12, 31),
        stage="pool",
        outcomes={},
        hnte_outcome="needs_review",
    )
    YearlyEvaluation.objects.create(
        enterprise=b,
        year=2024,
        assessed_on=dt.date(2024, 12, 31),
        stage="startup",
        outcomes={},
        hnte_outcome="eligible",
    )  # not in the pool: not put forward
    Certification.objects.create(
        enterprise=a, kind="hnte", issued_on=dt.date(2024, 11, 20), expires_on=dt.date(2027, 11, 19)
    )
    rows = {r.year: r for r in selectors.funnel(range(2023, 2025))}
    assert (
        rows[2023].discovered,
        rows[2023].served,
        rows[2023].put_forward,
        rows[2023].certified,
    ) == (1, 0, 0, 0)
    assert (
        rows[2024].discovered,
        rows[2024].served,
        rows[2024].put_forward,
        rows[2024].certified,
    ) == (2, 2, 1, 1)
    assert PipelineEntry.objects.get(enterprise=a).entered_on == dt.date(2023, 4, 1)
