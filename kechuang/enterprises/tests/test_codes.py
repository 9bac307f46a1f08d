"""The GB/T 4754-2017 code list: loaded from data/codes, idempotently, with size categories."""

from __future__ import annotations

import pytest

from kechuang.core.criteria.sme_size import TABLE
from kechuang.enterprises.codes import load_industry_codes
from kechuang.enterprises.models import Industry

pytestmark = pytest.mark.django_db


def test_the_twenty_sections_and_ninety_seven_divisions_are_loaded():
    report = load_industry_codes()
    assert Industry.objects.filter(level="section").count() == 20
    assert Industry.objects.filter(level="division").count() == 97
    assert report.created == Industry.objects.count()
    c26 = Industry.objects.get(code="C26")
    assert (c26.name, c26.parent.code, c26.section, c26.digits) == (
        "化学原料和化学制品制造业",
        "C",
        "C",
        "26",
    )
    assert Industry.objects.get(code="T97").name == "国际组织"


def test_loading_again_changes_nothing():
    load_industry_codes()
    again = load_industry_codes()
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == Industry.objects.count()


def test_divisions_inherit_or_override_the_sections_size_category():
    load_industry_codes()
    size = dict(Industry.objects.values_list("code", "size_category"))
    assert size["C25"] == size["B07"] == size["D44"] == "industry"
    assert (size["F51"], size["F52"], size["G59"], size["I65"]) == (
        "wholesale",
        "retail",
        "warehousing",
        "software_it",
    )
    # 房地产业 is split by 中类: the division alone cannot be sized.
    assert size["K70"] == ""
    assert (size["K701"], size["K702"]) == ("real_estate_development", "property_management")
    assert size["M73"] == "other"


def test_size_categories_agree_with_the_rules_size_table():
    """The registry's category is what the SME-size rules would derive from the same code."""
    load_industry_codes()
    not_sized_by_2011_rule = {"J", "S", "T"}
    for code, category in Industry.objects.values_list("code", "size_category"):
        row = TABLE.row_for_industry_code(code)
        if category:
            assert row is not None and row.code == category, code
        elif code[0] not in not_sized_by_2011_rule:
            assert row is None, code  # too coarse for the table as well


def test_a_malformed_file_is_refused_whole(tmp_path):
    from kechuang.core.problems import Rejected

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema: kechuang-codes/1\nsections:\n"
        "  - {code: A, name: 农业, divisions: [{code: '1', name: 农业}]}\n"
        "  - {code: B, name: 采矿业, size_category: mining}\n",
        encoding="utf-8",
    )
    with pytest.raises(Rejected) as exc:
        load_industry_codes(bad)
    text = str(exc.value)
    assert "应为 2 位数字" in text and "mining" in text
    assert not Industry.objects.exists()
