"""The data-dictionary page: every dataset with its description, fields, update time, licence."""

from dataclasses import replace

from django.urls import reverse

from kechuang.opendata import datasets

URL = reverse("opendata:index")


def test_anyone_sees_every_dataset_with_its_fields_and_the_licence(seeded, client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for d in datasets.DATASETS.values():
        assert d.title_zh in html
        assert d.description_zh in html
        for f in d.fields:
            assert f"<code>{f.name}</code>" in html
    assert "可免费下载、复制和再利用" in html
    assert "更新时间" in html


def test_each_available_dataset_links_its_three_files_and_its_api(seeded, client):
    html = client.get(URL).content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert reverse("opendata:download", args=["indicators", fmt]) in html
    assert "/api/open-data/indicators" in html


def test_a_dataset_whose_source_is_missing_is_listed_without_files(plan, client, monkeypatch):
    gone = replace(datasets.DATASETS["carriers"], source=lambda: None)
    monkeypatch.setitem(datasets.DATASETS, "carriers", gone)
    html = client.get(URL).content.decode()
    assert "暂未提供下载" in html
    assert reverse("opendata:download", args=["carriers", "csv"]) not in html


def test_the_menu_shows_open_data_to_visitors(plan, client):
    html = client.get(URL).content.decode()
    assert f'href="{URL}" aria-current="page"' in html


def test_the_page_reads_a_fixed_number_of_queries(seeded, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        client.get(URL)
