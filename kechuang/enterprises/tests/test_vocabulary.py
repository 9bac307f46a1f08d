"""The registry's choices are the rules' vocabulary, value for value."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.core.criteria import facts
from kechuang.core.criteria.hnte import FIELDS
from kechuang.enterprises import checks, services
from kechuang.enterprises.models import (
    Certification,
    Enterprise,
    EnterpriseEvent,
    IntellectualProperty,
)


@pytest.mark.parametrize(
    ("choices", "enum"),
    [
        (IntellectualProperty.Kind, facts.IPKind),
        (IntellectualProperty.IPClass, facts.IPClass),
        (IntellectualProperty.Status, facts.IPStatus),
        (IntellectualProperty.Ownership, facts.Ownership),
        (IntellectualProperty.Acquisition, facts.Acquisition),
        (Certification.Kind, facts.CertificationKind),
        (EnterpriseEvent.Role, facts.StandardRole),
        (Enterprise.AdvancementView, facts.AdvancementView),
        (Enterprise.SupportView, facts.SupportView),
    ],
)
def test_choices_mirror_the_facts_enums(choices, enum):
    assert set(choices.values) == {e.value for e in enum}


def test_event_kinds_and_levels_mirror_the_facts_enums():
    E = EnterpriseEvent
    assert set(E.INCIDENT_KINDS) == {e.value for e in facts.IncidentKind}
    assert set(E.LISTING_KINDS) == {e.value for e in facts.ListingKind}
    assert set(E.LEVELS["award"]) == {e.value for e in facts.AwardLevel}
    assert set(E.LEVELS["standard"]) == {e.value for e in facts.StandardLevel}
    assert set(E.LEVELS["institution"]) == {e.value for e in facts.InstitutionLevel}
    assert set(E.Kind.values) == set(E.INCIDENT_KINDS) | set(E.LISTING_KINDS)


def test_management_declarations_are_the_rules_fields():
    assert (
        tuple(f for f in facts.Management.__dataclass_fields__ if f != "states")
        == Enterprise.MANAGEMENT_FIELDS
    )


def test_high_tech_fields_are_the_hnte_rules_names():
    assert tuple(Enterprise.HighTechField.values) == FIELDS


def test_the_ip_class_of_each_kind_is_the_rules():
    assert {k.value: c.value for k, c in facts.KIND_CLASS.items()} == checks.CLASS_OF_KIND


@pytest.mark.parametrize(
    ("kind", "issued", "expires"),
    [
        ("hnte", dt.date(2024, 12, 1), dt.date(2027, 11, 30)),
        ("tech_sme", dt.date(2026, 5, 10), dt.date(2027, 5, 9)),
        ("specialized_sme", dt.date(2024, 2, 29), dt.date(2027, 2, 27)),
    ],
)
def test_default_expiry_is_the_last_day_of_validity(kind, issued, expires):
    expiry = services.default_expiry(kind, issued)
    assert expiry == expires
    cert = facts.Certification(facts.CertificationKind(kind), issued)
    assert cert.valid_on(expiry) and not cert.valid_on(expiry + dt.timedelta(days=1))
