"""A call's nominations for the bureau: filters, search, sorting, pagination, and an Excel
export without ID numbers; drafts stay the employer's own."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.talent import services

from .conftest import person


@pytest.fixture
def nominations(call, employer, other_employer, make_application):
    apps = []
    for n, (user, field) in enumerate(
        [(employer, "新材料"), (employer, "电子信息"), (other_employer, "新材料")], start=1
    ):
        apps.append(services.submit_application(user, make_application(user, n, field=field)))
    make_application(employer, 9)  # a draft, never listed
    return apps


def url(call, **params) -> str:
    from urllib.parse import urlencode

    return reverse("talent:applications", args=[call.code]) + "?" + urlencode(params)


def names(response) -> list[str]:
    return [a.name for a in response.context["page"].object_list]


def test_submitted_nominations_are_listed_and_drafts_are_not(client_for, staff_user, nominations):
    response = client_for(staff_user).get(url(nominations[0].call))
    assert sorted(names(response)) == ["测试人才1", "测试人才2", "测试人才3"]
    assert nominations[0].id_number_masked in response.content.decode()


def test_filters_by_field_state_and_search(client_for, staff_user, nominations):
    c, call = client_for(staff_user), nominations[0].call
    assert sorted(names(c.get(url(call, field="新材料")))) == ["测试人才1", "测试人才3"]
    assert names(c.get(url(call, q="另一家"))) == ["测试人才3"]
    assert names(c.get(url(call, state="returned"))) == []


def test_sorting_by_name_and_by_employer(client_for, staff_user, nominations):
    c, call = client_for(staff_user), nominations[0].call
    assert names(c.get(url(call, sort="name"))) == ["测试人才1", "测试人才2", "测试人才3"]
    assert names(c.get(url(call, sort="employer")))[0] == "测试人才3"


def test_the_excel_export_has_the_rows_and_no_id_number(client_for, staff_user, nominations):
    response = client_for(staff_user).get(url(nominations[0].call, format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 4 and "身份证号" not in " ".join(rows[0])
    flat = " ".join(str(v) for r in rows for v in r)
    for n in (1, 2, 3):
        number = person(n)["id_number"]
        assert number not in flat and number[-4:] not in flat


def test_the_empty_list_explains_where_nominations_come_from(client_for, staff_user, call):
    page = client_for(staff_user).get(url(call)).content.decode()
    assert "该通知还没有提交的推荐" in page


def test_pages_of_fifty(client_for, staff_user, call, employer, make_application):
    for n in range(1, 53):
        services.submit_application(employer, make_application(n=n))
    response = client_for(staff_user).get(url(call, page=2))
    assert len(names(response)) == 2


def test_the_list_reads_a_fixed_number_of_queries(
    client_for, staff_user, nominations, django_assert_max_num_queries
):
    c = client_for(staff_user)
    with django_assert_max_num_queries(10):
        c.get(url(nominations[0].call))


@pytest.mark.parametrize("who", ["employer", "reporter", "provider_user", "unassigned_expert"])
def test_only_the_bureau_sees_the_list(request, client_for, call, who):
    assert client_for(request.getfixturevalue(who)).get(url(call)).status_code == 403
