"""Achievement and contract fixtures: a registry enterprise with a patent, owners, contracts
made through the service, one login per role, and Excel uploads built in memory."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.carriers.tests.conftest import (  # noqa: F401 - fixtures shared with carriers
    ROLES,
    as_role,
    expert_user,
    media,
    provider_user,
    user_with_role,
    xlsx_upload,
)
from kechuang.enterprises.tests.conftest import (  # noqa: F401 - registry fixtures
    enterprise,
    industries,
    make_enterprise,
    own_user,
)

PATENT = "202310123456.6"


@pytest.fixture
def patent(staff_user, enterprise):  # noqa: F811 - the imported fixture, by name
    from kechuang.enterprises import services

    return services.save_ip(
        staff_user,
        enterprise,
        kind="invention_patent",
        number=PATENT,
        title="一种渣油悬浮床加氢催化剂",
        granted_on=dt.date(2024, 6, 1),
    )


@pytest.fixture
def make_achievement(staff_user, enterprise):  # noqa: F811
    from kechuang.achievements import services

    def make(title="重质油悬浮床加氢技术", **values):
        values.setdefault("owners", [enterprise.organization])
        values.setdefault("trl", 6)
        values.setdefault("year", 2024)
        values.setdefault("is_public", True)
        return services.create_achievement(staff_user, title=title, **values)

    return make


@pytest.fixture
def make_contract(staff_user, enterprise):  # noqa: F811
    from kechuang.achievements import services

    counter = iter(range(1, 1000))

    def make(amount="1000000", trade="800000", year=2024, **values):
        n = next(counter)
        values.setdefault("registration_number", f"{year}650202{n:06d}")
        values.setdefault("registered_on", dt.date(year, 3, n % 27 + 1))
        values.setdefault("kind", "development")
        values.setdefault("title", f"技术开发合同{n}")
        values.setdefault("seller", enterprise)
        values.setdefault("buyer_name", "甘肃某新材料公司")
        values.setdefault("buyer_region", "甘肃兰州")
        return services.register_contract(
            staff_user, amount=Decimal(amount), trade_value=Decimal(trade), **values
        )

    return make
