"""The JSON API keeps the pages' permissions."""

import pytest

URL = "/api/cultivation/enterprises/{}/assessments"


@pytest.mark.django_db
def test_own_user_reads_assessments(client_for, own_user, enterprise):
    r = client_for(own_user).get(URL.format(enterprise.uscc))
    assert r.status_code == 200
    assert {d["rule_set"]["code"] for d in r.json()} >= {"hnte", "tech_sme"}


@pytest.mark.django_db
def test_other_enterprise_user_gets_404(client_for, other_user, enterprise):
    assert client_for(other_user).get(URL.format(enterprise.uscc)).status_code == 404


@pytest.mark.django_db
def test_reporter_gets_403(client_for, reporter, enterprise):
    assert client_for(reporter).get(URL.format(enterprise.uscc)).status_code == 403


@pytest.mark.django_db
def test_funnel_for_staff_only(client_for, staff_user, own_user):
    assert client_for(staff_user).get("/api/cultivation/funnel").status_code == 200
    assert client_for(own_user).get("/api/cultivation/funnel").status_code == 403
