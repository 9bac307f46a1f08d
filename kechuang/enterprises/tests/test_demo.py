"""The demo enterprises: plausible, valid, flagged, reproducible and removable."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from stdnum.cn import uscc as stdnum_uscc

from kechuang.enterprises import checks, selectors, services
from kechuang.enterprises.demo import load_enterprise_demo, remove_enterprise_demo
from kechuang.enterprises.models import (
    Certification,
    Enterprise,
    IntellectualProperty,
    YearlyFigures,
)
from kechuang.enterprises.tables import FIGURE_KEYS, FIGURE_LABELS

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def demo_firms(plan):
    return load_enterprise_demo(today=TODAY)


def test_three_hundred_flagged_enterprises_with_four_years_of_figures(demo_firms):
    assert demo_firms.enterprises == Enterprise.objects.filter(is_demo=True).count() == 300
    assert not Enterprise.objects.filter(is_demo=False).exists()
    years = set(YearlyFigures.objects.values_list("year", flat=True))
    assert years == {2022, 2023, 2024, 2025}
    assert all(
        n.startswith("新疆独山子") for n in Enterprise.objects.values_list("name", flat=True)
    )
    assert Enterprise.objects.values("name").distinct().count() == 300


def test_every_code_number_and_figure_passes_the_registrys_own_checks(demo_firms):
    for code in Enterprise.objects.values_list("uscc", flat=True):
        assert stdnum_uscc.is_valid(code), code
    for kind, number in IntellectualProperty.objects.values_list("kind", "number"):
        assert checks.check_ip_number(kind, number, "") == [], number
    for f in YearlyFigures.objects.all():
        values = {k: getattr(f, k) for k in FIGURE_KEYS}
        assert checks.check_figures(values, lambda k: k, FIGURE_LABELS) == [], f


def test_titles_as_a_district_would_have_them(demo_firms):
    hnte = Certification.objects.filter(kind="hnte", issued_on__lte=TODAY, expires_on__gte=TODAY)
    assert 18 <= hnte.count() <= 24
    _, horizon = selectors.expiry_horizon(TODAY)
    assert 4 <= hnte.filter(expires_on__lte=horizon).count() <= 8
    tech_sme = Certification.objects.filter(kind="tech_sme", expires_on__gte=TODAY)
    assert 35 <= tech_sme.count() <= 45


def test_a_few_large_firms_and_many_small_ones(demo_firms):
    latest = YearlyFigures.objects.filter(year=2025)
    large = latest.filter(main_revenue__gte=20_000_000).count()  # 规上: 主营 ≥ 2,000万
    assert 0 < large < latest.count() / 2
    assert latest.filter(operating_revenue__gte=500_000_000).count() >= 5


def test_loading_again_adds_nothing(demo_firms):
    again = load_enterprise_demo(today=TODAY)
    assert (again.enterprises, again.figures, again.users) == (0, 0, 0)
    assert Enterprise.objects.count() == 300


def test_the_demo_user_sees_only_its_own_enterprise(demo_firms, client):
    from kechuang.web.demo import DEMO_PASSWORD

    login = {"username": "enterprise_demo", "password": DEMO_PASSWORD}
    assert client.post("/accounts/login/", login).status_code == 302
    response = client.get("/enterprises/mine/")
    own = response.context["enterprise"]
    assert own.is_demo and response.status_code == 200
    other = Enterprise.objects.exclude(pk=own.pk).first()
    assert client.get(f"/enterprises/{other.uscc}/").status_code == 404


def test_removal_deletes_demo_records_only(demo_firms, staff_user, industries):
    from kechuang.enterprises.tests.conftest import make_uscc

    real = services.create_enterprise(staff_user, uscc=make_uscc(1), name="真实企业")
    counts = remove_enterprise_demo()
    assert counts["enterprises"] == 300 and counts["users"] == 1
    assert list(Enterprise.objects.all()) == [real]
    assert not YearlyFigures.objects.exists() and not IntellectualProperty.objects.exists()


def _outcomes(code: str) -> Counter:
    from kechuang.core.criteria import assess
    from kechuang.enterprises.facts import facts_for_many

    demo = Enterprise.objects.filter(is_demo=True)
    return Counter(
        assess(code, facts, on=TODAY).outcome.value for _, facts in facts_for_many(demo, on=TODAY)
    )


def test_the_demo_covers_every_outcome(demo_firms):
    """A handful of strong firms declare everything and pass; the rest stay to be reviewed or
    fall short, so every outcome of the HNTE and tech-SME rules is on show."""
    hnte, tech_sme = _outcomes("hnte"), _outcomes("tech_sme")
    assert 8 <= hnte["eligible"] <= 15
    assert hnte["needs_review"] and hnte["not_eligible"]
    assert tech_sme["eligible"] and tech_sme["needs_review"] and tech_sme["not_eligible"]
