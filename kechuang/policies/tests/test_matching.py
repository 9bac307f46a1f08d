"""Matching every policy in force against the registry: eligible and possibly-eligible pairs are
stored with the missing facts and the explanation condition by condition; runs replace the
previous results and show their progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.policies import services
from kechuang.policies.models import MatchRun, PolicyMatch
from kechuang.policies.tasks import run_matching
from kechuang.policies.tests.conftest import HNTE_REWARD

ON = dt.date(2026, 6, 30)
RD = {"fact": "rd_ratio.latest", ">=": "0.03"}


@pytest.fixture
def firms(make_enterprise, certify, figures, dishonest):
    """certified: in the district with an HNTE certificate and 5% R&D; plain: in the district,
    no certificate, no figures; listed: certified but on the dishonesty list; outside: certified
    but registered outside the district."""
    certified = make_enterprise(1, name="甲高企", registered_on=dt.date(2015, 1, 1))
    certify(certified, issued=dt.date(2025, 11, 1), number="GR202565000001")
    figures(certified, 2025, main_revenue=10_000_000, rd_personnel=500_000)
    plain = make_enterprise(2, name="乙企业")
    listed = make_enterprise(3, name="丙失信")
    certify(listed, issued=dt.date(2025, 11, 1))
    dishonest(listed, on=dt.date(2026, 1, 5))
    outside = make_enterprise(4, name="丁区外", in_district=False)
    certify(outside, issued=dt.date(2025, 11, 1))
    return {"certified": certified, "plain": plain, "listed": listed, "outside": outside}


def verdicts(policy) -> dict[str, str]:
    return dict(
        PolicyMatch.objects.filter(policy=policy).values_list("enterprise__name", "verdict")
    )


def test_eligible_and_possibly_are_stored_with_reasons(firms, make_policy):
    reward = make_policy("reward", **HNTE_REWARD)
    rd = make_policy("rd", conditions=RD)
    report = services.match_all(ON)
    assert (report.policies, report.enterprises) == (2, 4)
    assert verdicts(reward) == {"甲高企": "eligible"}
    assert verdicts(rd) == {
        "甲高企": "eligible",
        "乙企业": "possibly",
        "丙失信": "possibly",
        "丁区外": "possibly",
    }
    match = PolicyMatch.objects.get(policy=rd, enterprise=firms["certified"])
    assert match.explanation["zh"] == "上一年度研发费用占营业收入比例：5.00%（需要：≥ 3%）"
    assert match.missing == []
    lacking = PolicyMatch.objects.get(policy=rd, enterprise=firms["plain"])
    assert [m["key"] for m in lacking.missing] == ["rd_ratio.latest"]
    assert lacking.missing[0]["fill"] == "figures"
    assert "缺少数据" in lacking.explanation["zh"]


def test_the_explanation_names_each_condition_of_a_group(firms, make_policy):
    reward = make_policy("reward", **HNTE_REWARD)
    services.match_all(ON)
    trace = PolicyMatch.objects.get(policy=reward).explanation
    assert [c["zh"] for c in trace["children"]] == [
        "在本区注册：是（需要：是）",
        "持有有效的高新技术企业证书：是（需要：是）",
        "列入严重违法失信名单：否（需要：否）",
    ]


def test_a_rule_set_condition_explains_the_criteria(firms, make_policy):
    size = make_policy("size", conditions={"ruleset": "sme_size"})
    services.match_all(ON)
    match = PolicyMatch.objects.get(policy=size, enterprise=firms["plain"])
    assert match.explanation["kind"] == "ruleset"
    assert match.explanation["children"] and all(
        c["kind"] == "criterion" for c in match.explanation["children"]
    )
    assert match.missing[0]["key"] == "ruleset.sme_size"
    assert match.missing[0]["fill"] == "figures"


def test_a_new_run_replaces_the_results(firms, make_policy, figures):
    rd = make_policy("rd", conditions=RD)
    services.match_all(ON)
    figures(firms["plain"], 2025, main_revenue=1_000_000, rd_personnel=10_000)  # 1%
    services.match_all(ON)
    assert verdicts(rd) == {"甲高企": "eligible", "丙失信": "possibly", "丁区外": "possibly"}
    assert PolicyMatch.objects.filter(policy=rd).count() == 3
    assert PolicyMatch.objects.values("run").distinct().count() == 1


def test_only_published_policies_in_force_with_conditions_are_matched(firms, make_policy):
    make_policy("draft", state="draft", conditions=RD)
    make_policy("later", effective_from=dt.date(2027, 1, 1), conditions=RD)
    gone = make_policy("gone", expires_on=dt.date(2026, 1, 1), conditions=RD)
    make_policy("none")  # no machine conditions
    PolicyMatch.objects.create(
        policy=gone,
        enterprise=firms["plain"],
        verdict="possibly",
        explanation={},
        matched_on=ON,
        computed_at="2026-01-01T00:00:00Z",
    )
    assert services.match_all(ON).policies == 0
    assert not PolicyMatch.objects.exists()  # the expired policy's old matches are gone
    gone.refresh_from_db()
    assert gone.state == "expired"


def test_a_run_records_its_progress_and_totals(firms, make_policy, staff_user):
    make_policy("rd", conditions=RD)
    run = services.start_run(staff_user, ON)
    run_matching.enqueue(run.pk)  # the test settings run tasks at once
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert (run.total, run.done, run.policies, run.eligible, run.possibly) == (4, 4, 1, 1, 3)
    assert run.percent == 100 and run.created_by == staff_user


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_may_start_a_run(request, who):
    with pytest.raises(PermissionDenied):
        services.start_run(request.getfixturevalue(who))


def test_the_command_matches_and_reports(firms, make_policy, capsys):
    make_policy("rd", conditions=RD)
    call_command("policies", "match", "--on", "2026-06-30")
    out = capsys.readouterr().out
    assert "2026-06-30" in out and "符合 eligible 1" in out and "可能符合 possibly 3" in out


def test_the_expire_command_marks_lapsed_policies(make_policy, capsys):
    make_policy("old", expires_on=dt.date(2020, 1, 1))
    call_command("policies", "expire")
    assert "expired: 1" in capsys.readouterr().out


def test_queries_do_not_grow_with_the_number_of_enterprises(make_enterprise, make_policy):
    make_policy("rd", conditions=RD)
    make_policy("reward", **HNTE_REWARD)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.match_all(ON)
        return len(ctx.captured_queries)

    make_enterprise(1)
    make_enterprise(2)
    few = count()
    for n in range(3, 13):
        make_enterprise(n)
    assert count() == few
