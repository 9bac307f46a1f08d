"""The public catalog page: open to everyone, filters, expired policies marked, pages."""

from __future__ import annotations

import datetime as dt

import pytest

URL = "/policies/"


def codes(response) -> list[str]:
    return [p.code for p in response.context["page"].object_list]


def test_anyone_may_read_the_catalog_without_logging_in(client, catalog):
    response = client.get(URL)
    assert response.status_code == 200
    assert len(codes(response)) == 13


@pytest.mark.parametrize(
    "who",
    ["admin_user", "staff_user", "reporter", "enterprise_user", "expert_user", "provider_user"],
)
def test_every_role_may_read_the_catalog(client_for, request, catalog, who):
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 200


def test_drafts_are_not_public(client, make_policy):
    make_policy("draft-one", state="draft")
    make_policy("public-one")
    assert codes(client.get(URL)) == ["public-one"]


def test_filter_by_level_category_department_and_status(client, catalog):
    assert set(codes(client.get(URL + "?level=district"))) == {
        "dsz-innovation-voucher-2020",
        "dsz-innovation-measures-2019",
        "dsz-sci-tech-finance",
        "dsz-hnte-reward",
    }
    assert codes(client.get(URL + "?category=voucher")) == ["dsz-innovation-voucher-2020"]
    assert codes(client.get(URL + "?department=中共克拉玛依市委")) == ["klmy-talent-reform-15"]
    assert codes(client.get(URL + "?status=expired")) == ["sme-gradient-2022"]
    assert "sme-gradient-2022" not in codes(client.get(URL + "?status=in_force"))


def test_expired_policies_are_marked_even_before_the_state_is_updated(client, make_policy):
    make_policy("lapsed", expires_on=dt.date(2020, 1, 1))  # still "published" in the database
    response = client.get(URL)
    assert [p.status for p in response.context["page"].object_list] == ["expired"]
    assert "已失效" in response.content.decode()
    assert codes(client.get(URL + "?status=expired")) == ["lapsed"]


def test_not_yet_in_force_is_shown_as_upcoming(client, make_policy):
    make_policy("later", effective_from=dt.date(2099, 1, 1))
    assert codes(client.get(URL + "?status=upcoming")) == ["later"]
    assert "尚未施行" in client.get(URL).content.decode()


def test_pages_of_twenty(client, make_policy):
    for i in range(25):
        make_policy(f"p-{i:02d}", title=f"政策{i}")
    assert len(codes(client.get(URL))) == 20
    assert len(codes(client.get(URL + "?page=2"))) == 5


def test_sorting_by_title(client, make_policy):
    make_policy("b", title="乙")
    make_policy("a", title="甲")
    assert codes(client.get(URL + "?sort=title")) == ["b", "a"]  # 乙 < 甲 in code points


def test_an_empty_search_says_what_to_try(client, catalog):
    text = client.get(URL + "?q=不存在的词语组合").content.decode()
    assert "拼音首字母" in text and "查看全部政策" in text


def test_an_htmx_request_renders_the_same_results(client, catalog):
    response = client.get(URL + "?q=gxjsqy", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and codes(response)[0] == "hnte-recognition-2016"


def test_queries_do_not_grow_with_the_number_of_policies(
    client, make_policy, django_assert_max_num_queries
):
    for i in range(30):
        make_policy(f"p-{i:02d}", title=f"科技政策{i}")
    with django_assert_max_num_queries(6):
        client.get(URL + "?q=科技")
