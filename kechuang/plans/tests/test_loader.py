"""Loading a plan file: the plan as data, validated, idempotent, and all-or-nothing."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from auditlog.models import LogEntry

from conftest import EXAMPLE_PLAN_FILE, PLAN_FILE
from kechuang.core.problems import Rejected
from kechuang.indicators.models import DataValue
from kechuang.plans.loader import load_plan
from kechuang.plans.models import Indicator, Plan, TaskNode

pytestmark = pytest.mark.django_db


def write_variant(tmp_path: Path, change) -> Path:
    doc = yaml.safe_load(PLAN_FILE.read_text(encoding="utf-8"))
    change(doc)
    out = tmp_path / "variant.yaml"
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def problems_of(path: Path) -> list[str]:
    with pytest.raises(Rejected) as exc:
        load_plan(path)
    return [str(p) for p in exc.value.problems]


def test_the_plan_loads_with_its_document_metadata(plan):
    assert plan.document_number == "克独政发〔2022〕19号"
    assert plan.issuer == "克拉玛依市独山子区人民政府"
    assert str(plan.issued_on) == "2022-06-01"
    assert (plan.period_start, plan.period_end, plan.baseline_year) == (2021, 2025, 2020)
    assert plan.region.code == "650202"


def test_the_nine_key_indicators_keep_table_1_order_targets_and_sources(plan):
    key = list(plan.indicators.filter(is_key=True).order_by("sort_order"))
    assert [i.number for i in key] == list(range(1, 10))
    by_number = {i.number: i for i in key}
    assert by_number[1].target_value == Decimal(2)
    assert by_number[1].target_source == "独山子区“十四五”规划"
    assert by_number[2].target_kind == Indicator.TargetKind.NON_DECREASING
    assert by_number[2].target_value is None
    assert "只增不减" in by_number[2].target_text
    assert by_number[5].target_value == Decimal(150)
    assert by_number[8].target_value == Decimal("0.5")
    assert by_number[9].target_value == Decimal(4)


def test_every_baseline_the_plan_states_is_kept(plan):
    baselines = {i.code: i.baseline_value for i in plan.indicators.exclude(baseline_value=None)}
    assert baselines["RD_INTENSITY"] == Decimal("1.28")
    assert baselines["INVENTION_PATENTS_PER_10K"] == Decimal(36)
    assert baselines["FISCAL_ST"] == Decimal(1934)
    assert baselines["FISCAL_ST_SHARE"] == Decimal("1.38")
    stated = {
        dv.element.code: dv.value
        for dv in DataValue.objects.filter(year=2020, is_current=True).select_related("element")
    }
    assert stated["GDP"] == Decimal("19130000000")  # 191.3亿元, stored in yuan
    assert stated["FISCAL_ST_EXP"] == Decimal("19340000")
    assert stated["HNTE_COUNT"] == 9
    assert stated["TECH_SME_COUNT"] == 14


def test_the_task_tree_has_four_programmes_with_actions_and_measures(plan):
    roots = list(TaskNode.objects.filter(plan=plan, parent=None).order_by("sort_order"))
    assert [t.title for t in roots] == [
        "产业技术创新能力提升工程",
        "科技惠民益民的示范工程",
        "科技创新体系的建设工程",
        "科技创新生态的营造工程",
    ]
    action = TaskNode.objects.get(plan=plan, code="1.4")
    assert action.title == "高新技术企业培育行动"
    assert action.children.filter(level="measure").count() >= 3
    assert not TaskNode.objects.filter(plan=plan, lead_department=None).exists()


def test_loading_twice_changes_nothing_and_logs_nothing(plan):
    before = LogEntry.objects.count()
    report = load_plan(PLAN_FILE)
    assert not report.changed
    assert LogEntry.objects.count() == before


def test_a_second_plan_loads_beside_the_first(plan):
    load_plan(EXAMPLE_PLAN_FILE)
    assert Plan.objects.count() == 2
    assert plan.indicators.count() == Indicator.objects.filter(plan=plan).count()


def test_malformed_yaml_names_the_file_and_line(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("schema: kechuang-plan/1\nplan:\n  code: [unclosed\n", encoding="utf-8")
    (msg,) = problems_of(bad)
    assert "broken.yaml:" in msg and "YAML" in msg


def test_unknown_element_in_a_formula_names_the_indicator_path(tmp_path):
    def change(doc):
        doc["indicators"][0]["formula"] = "RD_EXP / NO_SUCH_ELEMENT * 100"

    msgs = problems_of(write_variant(tmp_path, change))
    assert any("indicators[0].formula" in m and "NO_SUCH_ELEMENT" in m for m in msgs)


def test_a_cycle_between_indicators_is_refused(tmp_path):
    def change(doc):
        doc["indicators"][0]["formula"] = "FISCAL_ST * 1"
        doc["indicators"][1]["formula"] = "RD_INTENSITY * 1"

    msgs = problems_of(write_variant(tmp_path, change))
    assert any("RD_INTENSITY" in m and "FISCAL_ST" in m for m in msgs)


def test_a_missing_required_field_names_its_path(tmp_path):
    def change(doc):
        del doc["indicators"][2]["target"]

    msgs = problems_of(write_variant(tmp_path, change))
    assert any("indicators[2].target" in m and "缺少必填项" in m for m in msgs)


def test_a_rejected_file_writes_nothing(plan, tmp_path):
    def change(doc):
        doc["plan"]["code"] = "another-plan"
        doc["tasks"][0]["lead"] = "nobody"

    path = write_variant(tmp_path, change)
    counts = (Plan.objects.count(), TaskNode.objects.count(), LogEntry.objects.count())
    with pytest.raises(Rejected) as exc:
        load_plan(path)
    assert "nobody" in str(exc.value)
    assert (Plan.objects.count(), TaskNode.objects.count(), LogEntry.objects.count()) == counts


def test_an_indicator_dropped_from_the_file_is_reported_not_deleted(plan, tmp_path):
    def change(doc):
        doc["indicators"] = [i for i in doc["indicators"] if i["code"] != "HNTE_TOTAL"]

    report = load_plan(write_variant(tmp_path, change))
    assert "indicators:HNTE_TOTAL" in report.not_in_file
    assert plan.indicators.filter(code="HNTE_TOTAL").exists()
