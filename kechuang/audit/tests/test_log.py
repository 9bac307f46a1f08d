"""The audit trail: every change, who made it, from where, before and after; admins only."""

import pytest
from auditlog.models import LogEntry

from kechuang.indicators.models import DataValue

pytestmark = pytest.mark.django_db


def enter_gdp(client, value):
    from kechuang.indicators.models import DataElement, OrgUnit

    return client.post(
        "/data/new/",
        {
            "element": DataElement.objects.get(code="GDP").pk,
            "org_unit": OrgUnit.objects.get(code="650202").pk,
            "year": 2023,
            "value": value,
            "source": "统计公报",
        },
        REMOTE_ADDR="10.1.2.3",
    )


def test_a_web_edit_records_actor_address_and_before_after(client_for, reporter):
    c = client_for(reporter)
    enter_gdp(c, "100")
    enter_gdp(c, "120")
    dv = DataValue.objects.get(year=2023)
    update = LogEntry.objects.get_for_object(dv).filter(action=LogEntry.Action.UPDATE).get()
    assert update.actor == reporter and update.remote_addr == "10.1.2.3"
    assert update.changes["value"] == ["100.000000", "120.000000"]


def test_admins_read_the_log_in_the_ui(client_for, admin_user, reporter, client):
    enter_gdp(client_for(reporter), "100")
    client.force_login(admin_user)
    body = client.get("/audit/?model=indicators.datavalue").content.decode()
    assert "t_tjj" in body and "10.1.2.3" in body and "100.000000" in body


@pytest.mark.parametrize("role", ["staff_user", "reporter", "enterprise_user"])
def test_nobody_else_reads_the_log(request, client_for, role):
    assert client_for(request.getfixturevalue(role)).get("/audit/").status_code == 403


def test_the_log_page_query_count_is_flat(
    client_for, admin_user, demo, django_assert_max_num_queries
):
    c = client_for(admin_user)
    with django_assert_max_num_queries(10):
        assert c.get("/audit/").status_code == 200


def test_a_refused_look_at_something_sensitive_shows_on_the_log(client_for, admin_user, reporter):
    from kechuang.audit.services import log_access

    log_access(
        reporter,
        reporter,
        note="打开未分配的申报书 / opened an unassigned application",
        denied=True,
    )
    body = client_for(admin_user).get(f"/audit/?action={LogEntry.Action.ACCESS}").content.decode()
    assert "打开未分配的申报书" in body and "t_tjj" in body and "已拒绝" in body
