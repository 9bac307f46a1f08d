"""Open data over the API, from the same definitions as the files."""

from kechuang.opendata.datasets import DATASETS


def test_the_catalogue_lists_every_dataset_with_its_dictionary(plan, client):
    body = client.get("/api/open-data").json()
    assert [d["dataset"] for d in body] == list(DATASETS)
    indicators = body[0]
    assert [f["name"] for f in indicators["fields"]] == DATASETS["indicators"].field_names
    assert indicators["fields"][0]["meaning"] == "规划代码"


def test_a_dataset_gives_its_rows_without_a_login(seeded, client):
    body = client.get("/api/open-data/carriers").json()
    assert body["rows"][0]["name"] == "独山子石化新材料工程技术研究中心"


def test_unknown_or_unavailable_datasets_are_404(plan, client, monkeypatch):
    from dataclasses import replace

    assert client.get("/api/open-data/nothing").status_code == 404
    monkeypatch.setitem(DATASETS, "events", replace(DATASETS["events"], source=lambda: None))
    assert client.get("/api/open-data/events").status_code == 404
