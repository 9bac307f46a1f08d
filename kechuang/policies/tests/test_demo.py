"""The policy demo over the registry's demo enterprises: loads, is idempotent, removes cleanly."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.policies.demo import load_policies_demo, remove_policies_demo
from kechuang.policies.models import Policy, PolicyApplication, PolicyMatch, Roster

TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def registry(db):
    from kechuang.enterprises.demo import load_enterprise_demo

    load_enterprise_demo(today=TODAY)


def test_the_demo_matches_the_registry_records_applications_and_prepares_a_roster(registry):
    report = load_policies_demo(today=TODAY)
    assert report.policies_created == 13 and report.eligible > 0 and report.possibly > 0
    assert report.applications == 9 and report.granted == 2
    assert PolicyApplication.objects.filter(is_demo=True).count() == 9
    roster = Roster.objects.get()
    assert roster.status == "draft" and roster.entries.count() == report.roster_entries > 0
    assert load_policies_demo(today=TODAY).applications == 0  # idempotent


def test_the_demo_enterprise_user_has_a_list(registry, client_for):
    from kechuang.accounts.models import User

    load_policies_demo(today=TODAY)
    response = client_for(User.objects.get(username="enterprise_demo")).get("/policies/mine/")
    assert response.status_code == 200
    assert response.context["eligible"] or response.context["possibly"]


def test_removing_the_demo_keeps_the_catalog(registry):
    load_policies_demo(today=TODAY)
    counts = remove_policies_demo()
    assert counts["applications"] > 0 and counts["matches"] > 0 and counts["rosters"] == 1
    assert not PolicyMatch.objects.filter(is_demo=True).exists()
    assert Policy.objects.count() == 13
