"""The public list of approved providers and their services (no login)."""

from kechuang.vouchers import services

URL = "/vouchers/providers/"


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_anyone_sees_the_approved_providers_only(client, provider, other_provider, staff_user):
    services.set_provider_approved(staff_user, other_provider, False)
    response = client.get(URL)
    assert response.status_code == 200 and names(response) == [provider.name]
    assert provider.services.first().name in response.content.decode()


def test_filter_by_category_and_search(client, provider, staff_user):
    services.add_service(staff_user, provider, category="ip", name="发明专利代理")
    assert names(client.get(URL + "?category=ip")) == [provider.name]
    assert names(client.get(URL + "?category=finance")) == []
    assert names(client.get(URL + "?q=专利代理")) == [provider.name]
    listed = client.get(URL + "?category=ip").context["page"].object_list[0].listed
    assert [s.name for s in listed] == ["发明专利代理"]


def test_an_empty_list_says_so(client, db):
    assert "暂无符合条件的入库服务机构" in client.get(URL).content.decode()


def test_the_list_costs_a_fixed_number_of_queries(
    client, staff_user, django_assert_max_num_queries
):
    from kechuang.vouchers.tests.conftest import _provider

    for i in range(6):
        _provider(staff_user, 10 + i, f"机构{i}")
    with django_assert_max_num_queries(6):
        assert len(names(client.get(URL))) == 6
