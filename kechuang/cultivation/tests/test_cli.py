"""The `assess` and `rules` commands, on the documented example and on bad input."""

import json

import pytest
from django.core.management import CommandError, call_command

from kechuang.cultivation.tests.conftest import EXAMPLE


def run(*args) -> str:
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_documented_example_gives_json_with_the_outcome():
    data = json.loads(run("assess", "hnte", str(EXAMPLE), "--format", "json"))
    assert data["rule_set"]["code"] == "hnte"
    assert data["outcome"] == "eligible"
    assert all("explanation_zh" in c and "source" in c for c in data["criteria"])


def test_text_form_is_a_readable_trace():
    text = run("assess", "hnte", str(EXAMPLE))
    assert "结论" in text and "依据" in text


def test_every_rule_set_runs_on_the_example():
    for code in ("tech_sme", "sme_size", "innovative_sme", "specialized_sme", "little_giant"):
        assert json.loads(run("assess", code, str(EXAMPLE), "--format", "json"))["outcome"]


def test_bad_facts_name_the_json_path(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "", "years": [{"year": "x"}]}), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("assess", "hnte", str(bad))
    assert "$.years[0].year" in str(exc.value)


def test_malformed_json_says_where(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON"):
        run("assess", "hnte", str(bad))


def test_needs_facts_or_uscc():
    with pytest.raises(CommandError):
        run("assess", "hnte")


def test_rules_lists_versions_with_periods_and_the_confirmation_flag():
    text = run("rules")
    assert "hnte" in text and "2016-01-01" in text
    assert "⚠" in text


@pytest.mark.django_db
def test_assess_a_registry_enterprise_by_uscc(example_enterprise):
    data = json.loads(
        run(
            "assess",
            "tech_sme",
            "--uscc",
            example_enterprise.uscc,
            "--on",
            "2025-06-30",
            "--format",
            "json",
        )
    )
    assert data["enterprise"] == example_enterprise.name


@pytest.mark.django_db
def test_unknown_uscc_is_refused():
    with pytest.raises(CommandError):
        run("assess", "hnte", "--uscc", "91650202MA78K3QX5B")


@pytest.mark.django_db
def test_reevaluate_command_proposes(example_enterprise):
    text = run("cultivation", "reevaluate", "--year", "2025")
    assert "assessed 1" in text
