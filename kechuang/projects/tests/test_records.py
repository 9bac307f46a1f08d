"""容错免责 and misconduct: separate records, pages and labels, never confused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.projects import services
from kechuang.projects.models import MisconductRecord, ToleranceRecord

RATIONALE = "技术路线经专家论证可行，失败源于国外原料断供，承担单位已尽责"


@pytest.fixture
def failed(enterprise_user, staff_user, signed, today):
    services.apply_for_acceptance(
        enterprise_user, signed, summary="未完成", outcomes=[("paper", Decimal(1), "")]
    )
    services.record_acceptance(
        staff_user, signed, result="failed", opinion="未达考核指标", decided_on=today
    )
    signed.refresh_from_db()
    return signed


def tolerate(user, project, today):
    return services.record_tolerance(
        user,
        project,
        attempted="完成三轮中试",
        failure_reason="关键原料断供",
        diligence_evidence="中试记录、采购合同",
        rationale=RATIONALE,
        decided_on=today,
    )


def test_the_bureau_records_a_tolerance_decision(staff_user, failed, today):
    record = tolerate(staff_user, failed, today)
    assert record.outcome == "exempt" and record.get_outcome_display() == "免责"
    assert not MisconductRecord.objects.exists()


def test_tolerance_is_only_for_projects_that_ended_short(staff_user, signed, today):
    with pytest.raises(Rejected, match="容错认定只适用于"):
        tolerate(staff_user, signed, today)
    assert not ToleranceRecord.objects.exists()


def test_a_tolerance_record_needs_every_part(staff_user, failed, today):
    with pytest.raises(Rejected) as exc:
        services.record_tolerance(
            staff_user,
            failed,
            attempted="",
            failure_reason="",
            diligence_evidence="",
            rationale="",
            decided_on=today + dt.timedelta(days=1),
        )
    assert len(exc.value.problems) == 5


def test_misconduct_needs_a_finding_and_a_sanction(staff_user, signed, today):
    with pytest.raises(Rejected) as exc:
        services.record_misconduct(staff_user, signed, finding="", sanction="", decided_on=today)
    assert {p.where for p in exc.value.problems} == {"finding", "sanction"}
    record = services.record_misconduct(
        staff_user,
        signed,
        finding="虚报材料费",
        sanction="追回资金，三年内不得申报",
        decided_on=today,
    )
    assert record.organization_id == signed.organization_id


@pytest.mark.parametrize("who", ["enterprise_user", "reporter", "other_enterprise_user"])
def test_only_the_bureau_records_either(request, who, failed, today):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        tolerate(user, failed, today)
    with pytest.raises(PermissionDenied):
        services.record_misconduct(user, failed, finding="x", sanction="y", decided_on=today)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_a_tolerance_record_never_appears_as_misconduct_on_the_project_page(
    client_for, staff_user, failed, today
):
    tolerate(staff_user, failed, today)
    html = client_for(staff_user).get(f"/projects/{failed.code}/").content.decode()
    assert RATIONALE in _section(html, "tolerance")
    misconduct = _section(html, "misconduct")
    assert RATIONALE not in misconduct and "没有科研失信或违规记录" in misconduct


def test_a_tolerance_record_never_appears_as_misconduct_on_the_organisations_page(
    client_for, staff_user, failed, today, org
):
    tolerate(staff_user, failed, today)
    html = client_for(staff_user).get(f"/projects/orgs/{org.code}/").content.decode()
    assert RATIONALE in _section(html, "tolerance")
    misconduct = _section(html, "misconduct")
    assert RATIONALE not in misconduct and "没有科研失信或违规记录" in misconduct


def test_misconduct_is_listed_apart_from_tolerance(client_for, staff_user, failed, today, org):
    services.record_misconduct(
        staff_user, failed, finding="虚报材料费", sanction="追回资金", decided_on=today
    )
    html = client_for(staff_user).get(f"/projects/orgs/{org.code}/").content.decode()
    assert "虚报材料费" in _section(html, "misconduct")
    assert "虚报材料费" not in _section(html, "tolerance")


def test_the_organisation_sees_its_tolerance_record_but_no_misconduct_section(
    client_for, staff_user, enterprise_user, failed, today
):
    tolerate(staff_user, failed, today)
    services.record_misconduct(
        staff_user, failed, finding="虚报材料费", sanction="追回资金", decided_on=today
    )
    html = client_for(enterprise_user).get(f"/projects/{failed.code}/").content.decode()
    assert RATIONALE in html and "容错免责不属于科研失信或违规记录" in html
    assert 'id="misconduct"' not in html and "虚报材料费" not in html


@pytest.mark.parametrize("who", ["enterprise_user", "reporter"])
def test_the_organisation_record_page_is_the_bureaus(request, client_for, who, org, signed):
    assert (
        client_for(request.getfixturevalue(who)).get(f"/projects/orgs/{org.code}/").status_code
        == 403
    )
