"""Entering, submitting and reviewing figures: who may, and what history is kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.indicators import services
from kechuang.indicators.models import DataElement, DataValue, OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def gdp(plan):
    return DataElement.objects.get(code="GDP")


@pytest.fixture
def district(plan):
    return OrgUnit.objects.get(code="650202")


def enter(user, element, unit, year=2023, value="200", submit=True):
    return services.enter_value(
        user,
        element=element,
        org_unit=unit,
        year=year,
        value=Decimal(value),
        source="统计公报",
        submit=submit,
    )


def test_a_reporter_enters_a_figure_their_department_owns(reporter, gdp, district):
    dv = enter(reporter, gdp, district)
    assert dv.status == DataValue.Status.SUBMITTED
    assert dv.entered_by == reporter and not dv.is_current


def test_a_reporter_cannot_write_another_departments_element(other_reporter, gdp, district):
    with pytest.raises(PermissionDenied):
        enter(other_reporter, gdp, district)
    assert not DataValue.objects.filter(element=gdp, year=2023).exists()


@pytest.mark.parametrize("role_fixture", ["enterprise_user"])
def test_roles_outside_the_plan_cannot_enter(request, role_fixture, gdp, district):
    with pytest.raises(PermissionDenied):
        enter(request.getfixturevalue(role_fixture), gdp, district)


def test_only_approved_figures_count_and_approval_records_who(reporter, staff_user, gdp, district):
    dv = enter(reporter, gdp, district)
    assert not DataValue.objects.filter(element=gdp, year=2023, is_current=True).exists()
    services.approve_value(staff_user, dv, "核对无误")
    dv.refresh_from_db()
    assert dv.is_current and dv.reviewed_by == staff_user and dv.review_comment == "核对无误"


def test_a_reporter_cannot_approve(reporter, gdp, district):
    dv = enter(reporter, gdp, district)
    with pytest.raises(PermissionDenied):
        services.approve_value(reporter, dv)


def test_editing_an_approved_figure_makes_a_new_version_and_keeps_the_old(
    reporter, staff_user, gdp, district
):
    v1 = services.approve_value(staff_user, enter(reporter, gdp, district, value="200"))
    v2 = enter(reporter, gdp, district, value="210")
    assert v2.pk != v1.pk and v2.version == 2
    v1.refresh_from_db()
    assert v1.is_current and v1.value == Decimal(200), "the approved figure counts until review"
    services.approve_value(staff_user, v2)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.is_current, v2.is_current) == (False, True)
    assert v1.value == Decimal(200) and v1.status == DataValue.Status.APPROVED
    assert DataValue.objects.filter(element=gdp, year=2023).count() == 2


def test_re_entering_an_open_revision_updates_it_instead_of_piling_up(reporter, gdp, district):
    first = enter(reporter, gdp, district, value="100", submit=False)
    second = enter(reporter, gdp, district, value="101", submit=False)
    assert first.pk == second.pk and second.value == Decimal(101)


def test_returning_a_figure_needs_a_reason(reporter, staff_user, gdp, district):
    dv = enter(reporter, gdp, district)
    with pytest.raises(Rejected) as exc:
        services.reject_value(staff_user, dv, "  ")
    assert "原因" in str(exc.value)
    services.reject_value(staff_user, dv, "与统计公报不符")
    dv.refresh_from_db()
    assert dv.status == DataValue.Status.REJECTED


def test_a_future_year_is_refused(reporter, gdp, district):
    with pytest.raises(Rejected) as exc:
        enter(reporter, gdp, district, year=2999)
    assert "2999" in str(exc.value)
