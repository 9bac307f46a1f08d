"""The bureau's expert list: search, filters, sorting, pagination, Excel, and who may open it."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kechuang.experts import services
from kechuang.experts.imports import COLUMNS

URL = "/experts/"


def codes(response) -> list[str]:
    return [e.code for e in response.context["page"].object_list]


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_everyone_but_the_bureau_is_refused(as_role, who):
    assert as_role(who).get(URL).status_code == 403
    assert as_role(who).get("/api/experts").status_code == 403


@pytest.mark.parametrize("who", ["admin_user", "staff_user"])
def test_the_bureau_sees_every_expert_with_masked_numbers(as_role, who, make_expert):
    a = make_expert(1)
    make_expert(2)
    response = as_role(who).get(URL)
    assert response.status_code == 200 and codes(response) == ["E00001", "E00002"]
    html = response.content.decode()
    assert a.id_number_masked in html
    assert services.identity.decrypt(a.id_number_token) not in html


def test_an_empty_library_says_how_to_fill_it(client_for, staff_user):
    html = client_for(staff_user).get(URL).content.decode()
    assert "专家库还是空的" in html and "导入模板" in html


def test_search_by_name_unit_specialty_or_code(client_for, staff_user, make_expert, org):
    make_expert(1, name="王建国", specialty="聚烯烃改性")
    make_expert(2, organization=org)
    make_expert(3, organization_name="准噶尔理工学院")
    c = client_for(staff_user)
    assert codes(c.get(URL + "?q=建国")) == ["E00001"]
    assert codes(c.get(URL + "?q=聚烯烃")) == ["E00001"]
    assert codes(c.get(URL + "?q=申报企业")) == ["E00002"]
    assert codes(c.get(URL + "?q=理工")) == ["E00003"]
    assert codes(c.get(URL + "?q=e00002")) == ["E00002"]
    assert "没有符合条件的专家" in c.get(URL + "?q=无此人").content.decode()


def test_filter_by_field_title_availability_and_finance_tag(client_for, staff_user, make_expert):
    make_expert(1, fields=["新材料", "电子信息"], title="senior")
    make_expert(2, fields=["航空航天"], title="associate", is_finance=True)
    make_expert(3, fields=["电子信息"], title="intermediate", available=False)
    c = client_for(staff_user)
    assert codes(c.get(URL + "?field=电子信息")) == ["E00001", "E00003"]
    assert codes(c.get(URL + "?title=associate")) == ["E00002"]
    assert codes(c.get(URL + "?available=0")) == ["E00003"]
    assert codes(c.get(URL + "?available=1")) == ["E00001", "E00002"]
    assert codes(c.get(URL + "?finance=1")) == ["E00002"]
    assert codes(c.get(URL + "?field=不存在")) == ["E00001", "E00002", "E00003"]  # ignored


def test_sorting(client_for, staff_user, make_expert):
    make_expert(1, name="乙", organization_name="b")
    make_expert(2, name="甲", organization_name="a")
    c = client_for(staff_user)
    assert codes(c.get(URL + "?sort=-code")) == ["E00002", "E00001"]
    assert codes(c.get(URL + "?sort=organization")) == ["E00002", "E00001"]
    assert codes(c.get(URL + "?sort=bogus")) == ["E00001", "E00002"]


def test_pagination_and_a_bounded_number_of_queries(
    client_for, staff_user, make_expert, org, django_assert_max_num_queries
):
    for n in range(1, 56):
        make_expert(n, organization=org if n % 2 else None)
    c = client_for(staff_user)
    with django_assert_max_num_queries(10):
        first = c.get(URL)
    assert len(codes(first)) == 50
    assert codes(c.get(URL + "?page=2")) == [f"E{n:05d}" for n in range(51, 56)]


def test_the_htmx_filter_returns_the_results(client_for, staff_user, make_expert):
    make_expert(1)
    response = client_for(staff_user).get(URL + "?q=测试", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="results"' in response.content.decode()


def test_excel_export_in_the_import_layout_with_masked_numbers(client_for, staff_user, make_expert):
    a = make_expert(1, fields=["新材料", "电子信息"], is_finance=True)
    make_expert(2, fields=["航空航天"])
    response = client_for(staff_user).get(URL + "?field=电子信息&format=xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in COLUMNS]
    assert len(rows) == 2
    assert rows[1][:3] == ("E00001", a.name, a.id_number_masked)
    assert rows[1][8] == "电子信息、新材料" and rows[1][12] == "是"


def test_the_api_lists_the_library_for_the_bureau(client_for, staff_user, make_expert, org):
    make_expert(1, organization=org, fields=["新材料"])
    make_expert(2, fields=["航空航天"])
    body = client_for(staff_user).get("/api/experts?field=新材料").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == "E00001" and item["organization"] == "ent-apply"
    assert "*" in item["id_number_masked"] and "id_number_token" not in item
