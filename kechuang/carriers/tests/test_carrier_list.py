"""The bureau's carrier list: who may open it, filters, search, sorting, pages, Excel."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kechuang.carriers.tests.conftest import ROLES

URL = "/carriers/"


def names(response) -> list[str]:
    return [c.name for c in response.context["page"].object_list]


def test_anonymous_visitors_are_sent_to_log_in(client, plan):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_bureau_opens_the_registry(as_role, role, incubator):
    status = as_role(role).get(URL).status_code
    assert status == (200 if role in {"admin_user", "staff_user"} else 403)


def test_the_host_user_is_refused_the_registry_too(client_for, host_user, incubator):
    assert client_for(host_user).get(URL).status_code == 403


def test_filters_by_kind_level_and_status_and_search(client_for, staff_user, make_carrier):
    from kechuang.carriers import services

    make_carrier("甲众创空间", "makerspace", "national")
    make_carrier("乙实验室", "key_lab", "regional")
    c = make_carrier("丙孵化器", "incubator", "city")
    services.change_status(staff_user, c, "rectifying", "整改")
    client = client_for(staff_user)
    assert names(client.get(URL + "?kind=key_lab")) == ["乙实验室"]
    assert names(client.get(URL + "?level=national")) == ["甲众创空间"]
    assert names(client.get(URL + "?status=rectifying")) == ["丙孵化器"]
    assert names(client.get(URL + "?q=丙孵")) == ["丙孵化器"]
    assert sorted(names(client.get(URL + "?q=测试孵化运营"))) == [
        "丙孵化器",
        "乙实验室",
        "甲众创空间",
    ]


def test_carriers_with_figures_awaiting_review(client_for, staff_user, make_carrier):
    from kechuang.carriers import services

    waiting = make_carrier("待审")
    done = make_carrier("已审")
    services.save_metrics(staff_user, waiting, 2024, {"jobs": 3})
    services.approve_metrics(staff_user, services.save_metrics(staff_user, done, 2024, {"jobs": 1}))
    assert names(client_for(staff_user).get(URL + "?pending=1")) == ["待审"]


def test_sorting_by_recognition_date(client_for, staff_user, make_carrier):
    import datetime as dt

    make_carrier("新", recognised_on=dt.date(2024, 1, 1))
    make_carrier("旧", recognised_on=dt.date(2015, 1, 1))
    client = client_for(staff_user)
    assert names(client.get(URL + "?sort=recognised")) == ["旧", "新"]
    assert names(client.get(URL + "?sort=-recognised")) == ["新", "旧"]


def test_an_empty_registry_says_what_to_do(client_for, staff_user):
    assert "没有符合条件的创新载体" in client_for(staff_user).get(URL).content.decode()


def test_the_excel_export_has_the_filtered_carriers(client_for, staff_user, make_carrier):
    make_carrier("甲众创空间", "makerspace")
    make_carrier("乙实验室", "key_lab", contact_phone="0992-3600000")
    response = client_for(staff_user).get(URL + "?kind=key_lab&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "载体名称 / name"
    assert [r[0] for r in rows[1:]] == ["乙实验室"]


def test_the_list_costs_the_same_queries_for_5_or_60_carriers(
    client_for, staff_user, make_carrier, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(5):
        make_carrier(f"载体{i:02d}")
    client = client_for(staff_user)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    for i in range(5, 60):
        make_carrier(f"载体{i:02d}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL)
    assert response.context["page"].paginator.count == 60
    assert len(response.context["page"].object_list) == 50, "paginated"
