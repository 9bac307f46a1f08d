"""Event fixtures: events made through the service, a 科普基地, one login per role."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.carriers.tests.conftest import (  # noqa: F401 - fixtures shared with carriers
    ROLES,
    as_role,
    expert_user,
    host_org,
    make_carrier,
    media,
    provider_user,
)
from kechuang.enterprises.tests.conftest import (  # noqa: F401 - registry fixtures
    enterprise,
    industries,
    make_enterprise,
)


@pytest.fixture
def kx(plan):
    from kechuang.accounts.models import Organization

    return Organization.objects.get(code="kx")


@pytest.fixture
def base(make_carrier):  # noqa: F811 - the imported fixture, by name
    return make_carrier(
        "独山子区文化中心", "popularization_base", "regional", recognised_on=dt.date(2016, 1, 1)
    )


@pytest.fixture
def make_event(staff_user, kx):
    from kechuang.popularization import services

    def make(title="全国科普日主场活动", **values):
        values.setdefault("kind", "science_day")
        values.setdefault("starts_on", dt.date(2024, 9, 14))
        values.setdefault("venue", "独山子区文化中心")
        values.setdefault("organizer", kx)
        values.setdefault("audience", "public")
        values.setdefault("is_public", True)
        return services.create_event(staff_user, title=title, **values)

    return make
