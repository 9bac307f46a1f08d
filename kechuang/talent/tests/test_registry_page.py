"""The registry (人才库): selected people by program, year, employer and status, ID numbers
masked, and an Excel export without them; the bureau's alone."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.accounts.models import Organization
from kechuang.talent.models import Talent, TalentApplication, TalentCall

from .conftest import person


@pytest.fixture
def talents(program, staff_user, employer, other_employer):
    """Four registry entries built directly: two years, two employers, one term over."""
    from kechuang.experts import identity

    call = TalentCall.objects.create(
        program=program,
        code="past",
        title="往期",
        year=2022,
        opens_at=dt.datetime(2022, 3, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2022, 4, 1, tzinfo=dt.UTC),
        state="decided",
    )
    rows = []
    for n, (org, year, end) in enumerate(
        [
            (employer.organization, 2022, dt.date(2024, 12, 31)),
            (employer.organization, 2025, dt.date(2027, 12, 31)),
            (other_employer.organization, 2025, dt.date(2027, 12, 31)),
            (other_employer.organization, 2024, dt.date(2026, 12, 31)),
        ],
        start=1,
    ):
        number = person(n)["id_number"]
        app = TalentApplication.objects.create(
            call=call,
            code=f"RC-{year}-{n:05d}",
            employer=org,
            created_by=employer,
            name=f"人才{n}",
            birth_year=1985,
            id_number_token=identity.encrypt(number),
            id_number_hash=identity.lookup_hash(number),
            id_number_masked=identity.mask(number),
            state="approved",
        )
        rows.append(
            Talent.objects.create(
                application=app,
                program=program,
                year=year,
                name=app.name,
                employer=org,
                field="新材料",
                term_end=end,
                selected_on=dt.date(year, 12, 1),
            )
        )
    return rows


def url(**params) -> str:
    return reverse("talent:registry") + "?" + urlencode(params)


def names(response) -> list[str]:
    return sorted(t.name for t in response.context["page"].object_list)


def test_the_registry_lists_every_talent_masked(client_for, staff_user, talents):
    response = client_for(staff_user).get(url())
    page = response.content.decode()
    assert names(response) == ["人才1", "人才2", "人才3", "人才4"]
    assert talents[0].application.id_number_masked in page
    assert person(1)["id_number"] not in page


def test_filters_by_program_year_employer_and_status(
    client_for, staff_user, talents, other_employer
):
    c = client_for(staff_user)
    assert names(c.get(url(year=2025))) == ["人才2", "人才3"]
    assert names(c.get(url(employer=other_employer.organization_id))) == ["人才3", "人才4"]
    assert names(c.get(url(program=talents[0].program_id))) == ["人才1", "人才2", "人才3", "人才4"]
    assert names(c.get(url(status="expired"))) == ["人才1"]
    assert names(c.get(url(status="active", year=2024))) == ["人才4"]


def test_a_term_ends_on_its_last_day(talents):
    assert talents[0].is_active(dt.date(2024, 12, 31))
    assert not talents[0].is_active(dt.date(2025, 1, 1))


def test_the_export_has_no_id_numbers(client_for, staff_user, talents):
    response = client_for(staff_user).get(url(format="xlsx"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 5 and "身份证号" not in " ".join(rows[0])
    flat = " ".join(str(v) for r in rows for v in r)
    for n in range(1, 5):
        number = person(n)["id_number"]
        assert number not in flat and number[-4:] not in flat
    assert "人才1" in flat and "已到期" in flat


def test_an_empty_registry_explains_how_it_fills(client_for, staff_user):
    assert (
        "评审后决定入选的人才自动进入人才库" in client_for(staff_user).get(url()).content.decode()
    )


def test_the_registry_reads_a_fixed_number_of_queries(
    client_for, staff_user, talents, django_assert_max_num_queries
):
    c = client_for(staff_user)
    with django_assert_max_num_queries(12):
        c.get(url())


@pytest.mark.parametrize("who", ["employer", "reporter", "provider_user", "unassigned_expert"])
def test_only_the_bureau_opens_the_registry(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(url())
    assert response.status_code == 403


def test_employers_only_ever_see_their_own_talents(client_for, employer, talents):
    page = client_for(employer).get(reverse("talent:mine")).content.decode()
    assert "人才1" in page and "人才2" in page and "人才3" not in page
    assert Organization.objects.count() >= 2
