"""/calls/manage/<code>/applications/: filters, search, sorting, pagination, Excel export;
drafts stay the applicant's own."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kechuang.calls import services


@pytest.fixture
def applications(own_user, other_user, institution_user, make_draft):
    a = services.submit(
        own_user, make_draft(own_user, title="催化剂", requested_amount=Decimal("500000"))
    )
    b = services.submit(
        other_user,
        make_draft(
            other_user,
            title="数字孪生",
            fields=["电子信息"],
            requested_amount=Decimal("1500000"),
        ),
    )
    c = services.submit(
        institution_user,
        make_draft(institution_user, title="中试研究", fields=["新材料", "电子信息"]),
    )
    make_draft(own_user, title="仍是草稿")
    return a, b, c


def get(client, call, query="") -> str:
    return client.get(f"/calls/manage/{call.code}/applications/{query}").content.decode()


def test_staff_see_the_submitted_applications_but_not_drafts(client_for, staff_user, applications):
    html = get(client_for(staff_user), applications[0].call)
    assert "催化剂" in html and "数字孪生" in html and "中试研究" in html
    assert "仍是草稿" not in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("?field=电子信息", ["数字孪生", "中试研究"], ["催化剂"]),
        ("?min=100", ["数字孪生", "中试研究"], ["催化剂"]),
        ("?max=100", ["催化剂"], ["数字孪生", "中试研究"]),
        ("?q=石化研究院", ["中试研究"], ["催化剂", "数字孪生"]),
        ("?q=SB-", ["催化剂", "数字孪生", "中试研究"], []),
        ("?state=accepted", [], ["催化剂", "数字孪生", "中试研究"]),
    ],
)
def test_filters_and_search_narrow_the_table(
    client_for, staff_user, applications, query, shown, hidden
):
    html = get(client_for(staff_user), applications[0].call, query)
    assert all(t in html for t in shown) and not any(t in html for t in hidden)


def test_an_empty_result_says_so(client_for, staff_user, applications):
    html = get(client_for(staff_user), applications[0].call, "?q=不存在")
    assert "没有符合条件的申报" in html


def test_sorting_by_amount(client_for, staff_user, applications):
    html = get(client_for(staff_user), applications[0].call, "?sort=-amount")
    assert html.index("数字孪生") < html.index("中试研究") < html.index("催化剂")


def test_the_export_is_an_excel_sheet_of_the_filtered_rows(client_for, staff_user, applications):
    call = applications[0].call
    response = client_for(staff_user).get(
        f"/calls/manage/{call.code}/applications/?format=xlsx&field=电子信息&sort=code"
    )
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "申报编号 / code"
    assert [r[1] for r in rows[1:]] == ["数字孪生", "中试研究"]
    assert rows[2][8] == "在本区注册登记、未列入严重违法失信名单"  # to verify in the check
    assert rows[1][5] == 1500000


@pytest.mark.parametrize("who", ["own_user", "reporter", "expert_user"])
def test_only_the_bureau_sees_the_table(role, client_for, applications, who):
    call = applications[0].call
    response = client_for(role(who)).get(f"/calls/manage/{call.code}/applications/")
    assert response.status_code == 403


def test_the_table_costs_the_same_queries_however_many_rows(
    client_for, staff_user, own_user, make_draft, django_assert_max_num_queries
):
    app = services.submit(own_user, make_draft(own_user))
    c = client_for(staff_user)
    path = f"/calls/manage/{app.call.code}/applications/"
    with django_assert_max_num_queries(12) as few:
        c.get(path)
    for i in range(8):
        services.submit(own_user, make_draft(own_user, title=f"项目{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(path)
