"""The registry → facts mapping: the same enterprise gives the same assessment whether it
comes from the registry or from equivalent JSON facts, one by one or in bulk."""

import datetime as dt

from kechuang.core.criteria import CODES, assess, facts_from_dict, result_to_dict
from kechuang.cultivation.tests.conftest import ON, example_facts
from kechuang.enterprises.facts import facts_for, facts_for_many
from kechuang.enterprises.models import Enterprise


def _shape(result):
    d = result_to_dict(result)
    return d["outcome"], [(c["code"], c["status"], c["actual"]) for c in d["criteria"]]


def test_registry_and_json_facts_assess_alike(example_enterprise):
    from_registry = facts_for(example_enterprise, on=ON)
    from_json = facts_from_dict(example_facts())
    for code in CODES:
        assert _shape(assess(code, from_registry, on=ON)) == _shape(
            assess(code, from_json, on=ON)
        ), code


def test_a_registry_enterprise_declaring_what_the_example_does_passes_hnte(example_enterprise):
    """Residency, products, the 研发组织管理 declarations, the yearly conversions and the
    pre-assessment views are all kept by the registry: nothing is left for review."""
    facts = facts_for(example_enterprise, on=ON)
    assert facts.resident is True and facts.restricted_products is False
    assert facts.management is not None and all(facts.management.states)
    assert facts.expert_views is not None
    assert [y.conversions for y in facts.years] == [5, 6, 7]
    assert assess("hnte", facts, on=ON).outcome.value == "eligible"
    assert assess("tech_sme", facts, on=ON).outcome.value == "eligible"
    assert assess("hnte", facts_from_dict(example_facts()), on=ON).outcome.value == "eligible"


def test_undeclared_stays_distinct_from_no(example_enterprise):
    example_enterprise.rd_ledger = None
    example_enterprise.talent_recruitment = False
    example_enterprise.save()
    management = facts_for(example_enterprise, on=ON).management
    assert management.rd_ledger is None and management.talent_recruitment is False


def test_only_approved_figures_before_the_day_count(example_enterprise):
    facts = facts_for(example_enterprise, on=ON)
    assert [y.year for y in facts.years] == [2022, 2023, 2024]


def test_empty_registry_lists_are_declared_none(make_enterprise):
    e = make_enterprise(3, registered_on=dt.date(2020, 1, 1))
    facts = facts_for(e, on=ON)
    assert facts.incidents == () and facts.listings == () and facts.ip == ()
    assert facts.management is None  # nothing declared: the rules ask for it


def test_bulk_equals_one_by_one(example_enterprise, make_enterprise):
    make_enterprise(4, registered_on=dt.date(2019, 1, 1))
    bulk = dict(facts_for_many(Enterprise.objects.all(), on=ON))
    for e, facts in bulk.items():
        assert facts == facts_for(e, on=ON)


def test_bulk_query_count_is_constant(
    example_enterprise, make_enterprise, django_assert_num_queries
):
    for n in range(20, 30):
        make_enterprise(n, registered_on=dt.date(2019, 1, 1))
    with django_assert_num_queries(6):  # enterprises, 4 related tables, the empty next chunk
        list(facts_for_many(Enterprise.objects.all(), on=ON))
