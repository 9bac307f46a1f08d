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


def test_only_approved_figures_before_the_day_count(example_enterprise):
    facts = facts_for(example_enterprise, on=ON)
    assert [y.year for y in facts.years] == [2022, 2023, 2024]


def test_empty_registry_lists_are_declared_none(make_enterprise):
    e = make_enterprise(3, registered_on=dt.date(2020, 1, 1))
    facts = facts_for(e, on=ON)
    assert facts.incidents == () and facts.listings == () and facts.ip == ()
    assert facts.management is None  # not kept by the registry: the rules ask for it


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
