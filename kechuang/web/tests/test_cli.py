"""The console commands: indicators as JSON or a table, data import, the demo."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kechuang.indicators.models import DataValue

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_indicators_json_lists_value_target_and_status(demo):
    data = json.loads(run("indicators", "--plan", demo.code, "--format", "json"))
    rows = {i["code"]: i for i in data["indicators"]}
    assert rows["RD_INTENSITY"]["value"] == "1.86"
    assert rows["RD_INTENSITY"]["target"]["value"] == "2.00"
    assert rows["RD_INTENSITY"]["status"]["code"] == "at_risk"
    assert rows["FISCAL_ST"]["target"]["display"] == "只增不减"


def test_indicators_for_an_earlier_year(demo):
    data = json.loads(run("indicators", "--plan", demo.code, "--year", "2022", "--format", "json"))
    assert {i["year"] for i in data["indicators"]} == {2022}


def test_indicators_table_has_a_row_per_indicator(demo):
    text = run("indicators", "--plan", demo.code)
    assert "RD_INTENSITY" in text and "存在风险" in text


def test_an_unknown_plan_names_the_known_ones(plan):
    with pytest.raises(CommandError, match="dushanzi-2021-2025"):
        run("indicators", "--plan", "nope")


def test_data_import_of_a_csv(staff_user, tmp_path):
    f = tmp_path / "stats.csv"
    f.write_text(
        "element,year,org unit,value,source\nGDP,2023,650202,1.5e10,统计公报\n", encoding="utf-8"
    )
    out = run("data", "import", str(f), "--user", staff_user.username, "--approve")
    assert "approved 1" in out
    assert DataValue.objects.get(year=2023, is_current=True).value == 15000000000


def test_data_import_refuses_a_bad_file_and_says_where(staff_user, tmp_path):
    f = tmp_path / "stats.csv"
    f.write_text("element,year,org unit,value,source\nGDP,20x3,650202,1,公报\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("data", "import", str(f), "--user", staff_user.username, stderr=err)
    assert "第2行" in err.getvalue() and "year" in err.getvalue()


def test_the_demo_loads_twice_without_duplicates(plan):
    run("demo")
    count = DataValue.objects.count()
    run("demo")
    assert DataValue.objects.count() == count
    assert DataValue.objects.filter(is_demo=True).exists()
    from django.apps import apps

    flagged = [m for m in apps.get_models() if any(f.name == "is_demo" for f in m._meta.fields)]
    assert sum(m.objects.filter(is_demo=True).exists() for m in flagged) >= 10, "every app has demo"
    run("demo", "--remove")
    left = {m._meta.label: m.objects.filter(is_demo=True).count() for m in flagged}
    assert not {k: v for k, v in left.items() if v}, "demo removal leaves nothing flagged"
    assert DataValue.objects.filter(source__contains="地区生产总值").exists(), "real kept"
