"""The permission table of DESIGN.md, checked per role against real objects."""

import pytest

from kechuang.indicators.models import DataElement
from kechuang.plans.models import TaskNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def gdp(plan):
    return DataElement.objects.get(code="GDP")  # owned by the statistics bureau


ROLES = ["admin_user", "staff_user", "reporter", "other_reporter", "enterprise_user"]


@pytest.mark.parametrize(
    ("role", "allowed"), list(zip(ROLES, [True, True, True, False, False], strict=True))
)
def test_who_may_enter_the_gdp_figure(request, gdp, role, allowed):
    assert request.getfixturevalue(role).has_perm("indicators.enter_value", gdp) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"), list(zip(ROLES, [True, True, False, False, False], strict=True))
)
def test_who_may_approve_figures(request, gdp, role, allowed):
    assert request.getfixturevalue(role).has_perm("indicators.approve_value", gdp) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"), list(zip(ROLES, [True, False, False, False, False], strict=True))
)
def test_only_admins_read_the_audit_trail(request, plan, role, allowed):
    assert request.getfixturevalue(role).has_perm("accounts.view_audit") is allowed


def test_reporters_report_only_on_their_departments_tasks(reporter, other_reporter, plan):
    led_by_tjj = (
        TaskNode.objects.filter(plan=plan, lead_department__code="tjj").first()
        or TaskNode.objects.filter(plan=plan, co_departments__code="tjj").first()
    )
    unrelated = (
        TaskNode.objects.exclude(lead_department__code="tjj")
        .exclude(co_departments__code="tjj")
        .first()
    )
    assert reporter.has_perm("supervision.report_progress", led_by_tjj)
    assert not reporter.has_perm("supervision.report_progress", unrelated)


def test_a_deactivated_account_loses_every_permission(staff_user, gdp):
    staff_user.is_active = False
    assert not staff_user.has_perm("indicators.approve_value", gdp)
