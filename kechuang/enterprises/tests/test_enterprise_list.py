"""The bureau's enterprise list: filters, sorting, pagination, Excel, and who may open it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kechuang.enterprises import services
from kechuang.enterprises.models import Certification, Enterprise, Park
from kechuang.enterprises.tests.conftest import make_uscc

URL = "/enterprises/"


def names(response) -> list[str]:
    return [e.name for e in response.context["page"].object_list]


def certify(enterprise, kind="hnte", issued=None, expires=None):
    issued = issued or timezone.localdate() - dt.timedelta(days=400)
    return Certification.objects.create(
        enterprise=enterprise,
        kind=kind,
        issued_on=issued,
        expires_on=expires or services.default_expiry(kind, issued),
    )


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert"])
def test_reporters_experts_and_enterprise_users_are_refused(client_for, request, who, plan):
    from kechuang.accounts.models import User

    if who == "expert":
        user = User.objects.create_user(username="t_expert", password="x", role="expert")
    else:
        user = request.getfixturevalue(who)
    assert client_for(user).get(URL).status_code == 403
    assert client_for(user).get("/api/enterprises").status_code == 403


def test_staff_see_every_enterprise(client_for, staff_user, make_enterprise):
    make_enterprise(1, name="乙公司")
    make_enterprise(2, name="甲公司")
    response = client_for(staff_user).get(URL)
    assert response.status_code == 200
    assert sorted(names(response)) == ["乙公司", "甲公司"]


def test_search_by_name_or_uscc_prefix(client_for, staff_user, make_enterprise):
    make_enterprise(1, name="独山子石化新材料公司")
    b = make_enterprise(2, name="某物流公司", industry="G54")
    c = client_for(staff_user)
    assert names(c.get(URL + "?q=新材料")) == ["独山子石化新材料公司"]
    assert names(c.get(URL + f"?q={b.uscc[:17].lower()}")) == ["某物流公司"]


def test_filter_by_section_park_and_certification(client_for, staff_user, make_enterprise, park):
    a = make_enterprise(1, name="化工甲", park="dsz-etdz")
    make_enterprise(2, name="物流乙", industry="G54")
    c_ = make_enterprise(3, name="化工丙")
    certify(a, "hnte")
    certify(c_, "hnte", issued=dt.date(2015, 1, 1))  # long expired
    c = client_for(staff_user)
    assert sorted(names(c.get(URL + "?section=C"))) == ["化工丙", "化工甲"]
    assert names(c.get(URL + "?park=dsz-etdz")) == ["化工甲"]
    assert names(c.get(URL + "?certification=hnte")) == ["化工甲"]


def test_hnte_expiring_within_six_months(client_for, staff_user, make_enterprise):
    today = timezone.localdate()
    soon = make_enterprise(1, name="快到期")
    later = make_enterprise(2, name="还早")
    certify(soon, issued=today - dt.timedelta(days=1000), expires=today + dt.timedelta(days=90))
    certify(later, issued=today - dt.timedelta(days=300))
    response = client_for(staff_user).get(URL + "?expiring=1")
    assert names(response) == ["快到期"]
    assert "快到期" in response.content.decode()


def test_sorting_by_latest_revenue(client_for, staff_user, make_enterprise, own_user):
    from decimal import Decimal

    small = make_enterprise(2, name="小")
    big = make_enterprise(3, name="大")
    services.save_figures(staff_user, small, 2024, {"operating_revenue": Decimal("1000000")})
    services.save_figures(staff_user, big, 2024, {"operating_revenue": Decimal("90000000")})
    assert names(client_for(staff_user).get(URL + "?sort=-revenue"))[:2] == ["大", "小"]


def test_htmx_filtering_answers_the_same_page(client_for, staff_user, make_enterprise):
    make_enterprise(1, name="甲")
    response = client_for(staff_user).get(URL + "?q=甲", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="results"' in response.content.decode()


def test_the_excel_export_has_every_filtered_enterprise(client_for, staff_user, make_enterprise):
    make_enterprise(1, name="甲")
    make_enterprise(2, name="乙", industry="G54")
    response = client_for(staff_user).get(URL + "?section=C&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "统一社会信用代码 / uscc"
    assert [r[1] for r in rows[1:]] == ["甲"]


def _bulk(n: int, start: int = 0) -> None:
    """``n`` enterprises with a park and a valid HNTE certificate each, made in bulk."""
    from kechuang.accounts.models import Organization
    from kechuang.enterprises.models import Industry

    c26 = Industry.objects.get(code="C26")
    park = Park.objects.get_or_create(code="p1", defaults={"name": "园区"})[0]
    orgs = Organization.objects.bulk_create(
        [
            Organization(code=f"ent-b{i}", name=f"B{i}", kind="enterprise")
            for i in range(start, start + n)
        ]
    )
    firms = Enterprise.objects.bulk_create(
        [
            Enterprise(
                uscc=make_uscc(1000 + i), name=f"B{i}", organization=o, industry=c26, park=park
            )
            for i, o in enumerate(orgs, start=start)
        ]
    )
    today = timezone.localdate()
    Certification.objects.bulk_create(
        [
            Certification(
                enterprise=e,
                kind="hnte",
                issued_on=today - dt.timedelta(days=10),
                expires_on=today + dt.timedelta(days=1000),
            )
            for e in firms
        ]
    )


def test_the_list_costs_the_same_queries_for_20_or_200_enterprises(
    client_for, staff_user, industries, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(staff_user)
    _bulk(20)
    with CaptureQueriesContext(connection) as small:
        assert c.get(URL + "?sort=-revenue").status_code == 200
    _bulk(180, start=20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = c.get(URL + "?sort=-revenue")
    assert response.context["page"].paginator.count == 200
    assert len(small.captured_queries) <= 15
