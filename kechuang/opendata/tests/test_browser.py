"""In a real browser: a visitor opens the open-data page and downloads a CSV."""

import csv
import io

import pytest

from kechuang.opendata.datasets import DATASETS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_downloads_the_indicators_csv_with_its_header_and_data(
    browser, live_server, demo, tmp_path
):
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{live_server.url}/open-data/")
    assert page.locator("h1").inner_text() == "开放数据"
    with page.expect_download() as info:
        page.locator("#indicators a", has_text="下载 CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("indicators-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == DATASETS["indicators"].field_names
    assert len(rows) > 9
    assert any(r[2] == "RD_INTENSITY" for r in rows[1:])
