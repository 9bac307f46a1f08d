"""Indicators computed bottom-up from the registry, beside the official statistics."""

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.cultivation import selectors
from kechuang.enterprises.models import Certification, YearlyFigures


def figures(e, year, revenue, rd=None, status="approved"):
    return YearlyFigures.objects.create(
        enterprise=e,
        year=year,
        status=status,
        main_revenue=Decimal(revenue),
        rd_personnel=None if rd is None else Decimal(rd),
        employees=Decimal(300),
        total_assets=Decimal(50_000_000),
    )


@pytest.fixture
def district(make_enterprise):
    big_hnte = make_enterprise(80, registered_on=dt.date(2010, 1, 1), industry="C26")
    big = make_enterprise(81, registered_on=dt.date(2010, 1, 1), industry="C29")
    small = make_enterprise(82, registered_on=dt.date(2010, 1, 1), industry="C29")
    service = make_enterprise(83, registered_on=dt.date(2010, 1, 1), industry="I65")
    figures(big_hnte, 2024, 60_000_000, rd=2_000_000)
    figures(big, 2024, 40_000_000)
    figures(small, 2024, 19_999_999, rd=100_000)  # below 2,000 万元: not 规上
    figures(service, 2024, 90_000_000, rd=5_000_000)  # not industry
    figures(big, 2023, 30_000_000, status="submitted")  # not approved: not counted
    Certification.objects.create(
        enterprise=big_hnte,
        kind="hnte",
        issued_on=dt.date(2023, 1, 1),
        expires_on=dt.date(2025, 12, 31),
    )
    Certification.objects.create(
        enterprise=service,
        kind="hnte",
        issued_on=dt.date(2021, 1, 1),
        expires_on=dt.date(2023, 12, 31),
    )
    return big_hnte


@pytest.mark.django_db
def test_registry_elements(district):
    v = selectors.registry_elements(range(2023, 2025))
    assert v[2024]["HNTE_COUNT"] == 1  # the service firm's certificate ran out in 2023
    assert v[2023]["HNTE_COUNT"] == 2
    assert v[2024]["IND_FIRMS"] == 2
    assert v[2024]["IND_REVENUE"] == Decimal(100_000_000)
    assert v[2024]["HNTE_IND_REVENUE"] == Decimal(60_000_000)
    assert v[2024]["IND_FIRMS_RD"] == 1
    assert v[2024]["IND_RD_EXP"] == Decimal(2_000_000)
    assert v[2023]["IND_FIRMS"] == 0


@pytest.mark.django_db
def test_reconciliation_beside_official_figures(district, plan):
    from kechuang.indicators.models import DataElement, DataValue

    element = DataElement.objects.get(code="HNTE_COUNT")
    DataValue.objects.create(
        element=element,
        org_unit=plan.region,
        year=2024,
        value=Decimal(3),
        status="approved",
        is_current=True,
        source="科技局高企台账",
    )
    table = selectors.reconciliation(plan, range(2024, 2025))
    lines = {line.code: line for line in table[2024]}
    assert lines["HNTE_COUNT"].registry == 1
    assert lines["HNTE_COUNT"].official == 3
    assert lines["HNTE_COUNT"].difference == -2
    assert lines["hnte_revenue_share"].registry == Decimal("60.00")
    assert lines["rd_intensity"].registry == Decimal("2.00")
    assert lines["rd_firm_share"].registry == Decimal("50.00")
