"""One enterprise's page and its forms; an enterprise user sees only its own (404 otherwise)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kechuang.enterprises import services
from kechuang.enterprises.models import Certification, Enterprise, YearlyFigures
from kechuang.enterprises.tests.conftest import make_uscc


def url(e, tail: str = "") -> str:
    return f"/enterprises/{e.uscc}/{tail}"


def test_staff_see_profile_figures_ip_certifications_and_events(client_for, staff_user, enterprise):
    services.save_figures(staff_user, enterprise, 2024, {"operating_revenue": Decimal("3e7")})
    services.save_ip(
        staff_user, enterprise, kind="invention_patent", number="202310123456.6", title="一种催化剂"
    )
    today = timezone.localdate()
    services.add_certification(
        staff_user, enterprise, kind="hnte", issued_on=today - dt.timedelta(days=1000)
    )
    services.add_event(
        staff_user,
        enterprise,
        category="award",
        level="provincial",
        rank=1,
        name="科技进步奖",
        date=dt.date(2024, 6, 1),
    )
    html = client_for(staff_user).get(url(enterprise)).content.decode()
    assert enterprise.uscc in html and "3,000.00" in html  # 万元
    assert "一种催化剂" in html and "高新技术企业" in html and "临期" in html
    assert "科技进步奖" in html


@pytest.mark.parametrize("tail", ["", "edit/", "figures/", "ip/new/"])
def test_another_enterprises_pages_do_not_exist_for_an_enterprise_user(
    client_for, own_user, make_enterprise, tail
):
    other = make_enterprise(2)
    assert client_for(own_user).get(url(other, tail)).status_code == 404


def test_reporters_are_refused_and_anonymous_users_sent_to_log_in(
    client, client_for, reporter, enterprise
):
    response = client.get(url(enterprise))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(reporter).get(url(enterprise)).status_code == 403


def test_the_portal_shows_the_users_own_enterprise(client_for, own_user, enterprise):
    response = client_for(own_user).get("/enterprises/mine/")
    assert response.status_code == 200
    assert response.context["enterprise"] == enterprise and response.context["portal"]
    html = response.content.decode()
    assert "填报年度数据" in html and "登记资质" not in html


def test_the_portal_without_an_enterprise_says_so(client_for, enterprise_user):
    response = client_for(enterprise_user).get("/enterprises/mine/")
    assert response.status_code == 200 and "尚未关联企业" in response.content.decode()


def test_the_portal_sends_staff_to_the_list_and_refuses_reporters(client_for, staff_user, reporter):
    assert client_for(staff_user).get("/enterprises/mine/")["Location"] == "/enterprises/"
    assert client_for(reporter).get("/enterprises/mine/").status_code == 403


def test_an_enterprise_user_submits_figures_from_the_portal(client_for, own_user, enterprise):
    response = client_for(own_user).post(
        url(enterprise, "figures/"),
        {
            "year": 2024,
            "operating_revenue": "30000000",
            "employees": "40",
            "st_staff": "8",
            "source": "纳税申报表",
            "submit": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/enterprises/mine/"
    f = YearlyFigures.objects.get()
    assert (f.year, f.status, f.employees) == (2024, "submitted", 40)


def test_bad_figures_on_the_form_name_the_field_and_keep_what_was_typed(
    client_for, own_user, enterprise
):
    response = client_for(own_user).post(
        url(enterprise, "figures/"), {"year": 2024, "employees": "10", "st_staff": "12"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "科技人员数 / st_staff" in html and 'value="12"' in html
    assert not YearlyFigures.objects.exists()


def test_staff_approve_and_return_submitted_figures(client_for, staff_user, own_user, enterprise):
    services.save_figures(own_user, enterprise, 2024, {"employees": Decimal(10)})
    c = client_for(staff_user)
    assert c.post(url(enterprise, "figures/2024/approve/")).status_code == 302
    assert YearlyFigures.objects.get().status == "approved"


def test_an_enterprise_user_cannot_approve(client_for, own_user, enterprise):
    services.save_figures(own_user, enterprise, 2024, {"employees": Decimal(10)})
    assert client_for(own_user).post(url(enterprise, "figures/2024/approve/")).status_code == 403


def test_an_enterprise_user_edits_only_contact_details(client_for, own_user, enterprise):
    c = client_for(own_user)
    form = c.get(url(enterprise, "edit/")).context["form"]
    assert set(form.fields) == {"address", "contact_name", "contact_phone", "high_tech_field"}
    c.post(url(enterprise, "edit/"), {"contact_phone": "0992-1234567", "name": "改名"})
    enterprise.refresh_from_db()
    assert enterprise.contact_phone == "0992-1234567" and enterprise.name != "改名"


def test_staff_register_an_enterprise_and_a_bad_code_names_the_expected_character(
    client_for, staff_user, industries
):
    c = client_for(staff_user)
    good = make_uscc(5)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = c.post("/enterprises/new/", {"uscc": bad, "name": "新公司", "in_district": "on"})
    assert response.status_code == 200 and f"应为「{good[-1]}」" in response.content.decode()
    response = c.post("/enterprises/new/", {"uscc": good, "name": "新公司", "in_district": "on"})
    assert response["Location"] == f"/enterprises/{good}/"
    assert Enterprise.objects.get().name == "新公司"


def test_staff_record_certifications_with_the_default_expiry(client_for, staff_user, enterprise):
    client_for(staff_user).post(
        url(enterprise, "certifications/new/"), {"kind": "hnte", "issued_on": "2024-12-01"}
    )
    c = Certification.objects.get()
    assert c.expires_on == dt.date(2027, 11, 30)


def test_enterprise_users_cannot_record_certifications(client_for, own_user, enterprise):
    response = client_for(own_user).get(url(enterprise, "certifications/new/"))
    assert response.status_code == 403


def test_an_enterprise_user_adds_ip(client_for, own_user, enterprise):
    response = client_for(own_user).post(
        url(enterprise, "ip/new/"),
        {
            "kind": "software_copyright",
            "number": "2024SR0000001",
            "title": "管理软件",
            "ownership": "sole",
            "acquisition": "self_developed",
            "valid": "on",
        },
    )
    assert response.status_code == 302
    assert enterprise.ip.get().ip_class == "II"


def test_staff_assign_a_service_officer_when_editing(client_for, staff_user, enterprise):
    c = client_for(staff_user)
    response = c.post(
        url(enterprise, "edit/"),
        {
            "name": enterprise.name,
            "industry": enterprise.industry_id,
            "in_district": "on",
            "service_officer": staff_user.pk,
        },
    )
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.service_officer == staff_user
