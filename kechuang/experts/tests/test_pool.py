"""The candidate pool: every expert, with each exclusion and its reason; boundaries included."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.accounts.models import Organization
from kechuang.core.problems import Rejected
from kechuang.experts import services
from kechuang.experts.models import Collaboration

ON = dt.date(2026, 3, 10)


def pool(applicants, on=ON, **kw):
    return services.expert_pool(fields=["新材料"], applicant_orgs=applicants, on=on, **kw)


def excluded(applicants, on=ON, **kw) -> dict[str, str]:
    return pool(applicants, on, **kw)[1]


def test_every_expert_is_a_candidate_with_unit_and_fields(make_expert, org):
    make_expert(1, organization_name="某 研究院（北疆）", fields=["新材料", "电子信息"])
    make_expert(2, organization=org, organization_name="别名")
    candidates, exclusions = pool([])
    assert [(c.id, dict(c.attributes)) for c in candidates] == [
        ("E00001", {"organisation": "某研究院(北疆)", "fields": ["电子信息", "新材料"]}),
        # Linked to our organisation: its name is what counts.
        ("E00002", {"organisation": "独山子申报企业", "fields": ["新材料"]}),
    ]
    assert exclusions == {}


def test_same_organisation_by_our_organisation_table(make_expert, org):
    make_expert(1, organization=org)
    assert excluded([org]) == {
        "E00001": "同单位 / same organisation as the applicant: 独山子申报企业"
    }


def test_same_organisation_by_name_when_either_side_has_no_link(make_expert, org):
    make_expert(1, organization_name="独山子 申报企业")  # typed, not linked
    make_expert(2, organization=org)
    assert set(excluded([org])) == {"E00001", "E00002"}
    assert set(excluded(["独山子申报企业"])) == {"E00001", "E00002"}


def test_two_linked_organisations_are_told_apart_even_with_one_name(make_expert, org):
    twin = Organization.objects.create(code="twin", name=org.name, kind="enterprise")
    make_expert(1, organization=twin)
    assert excluded([org]) == {}
    assert "E00001" in excluded([twin])


def test_full_width_and_spacing_differences_do_not_hide_a_unit(make_expert):
    make_expert(1, organization_name="ＡＢＣ科技（独山子）有限公司")
    assert "E00001" in excluded(["abc科技(独山子) 有限公司"])


def test_a_declared_relationship_excludes(make_expert, org, staff_user):
    e = make_expert(1)
    services.declare_relationship(staff_user, e, kind="relative", organization_name=org.name)
    assert excluded([org]) == {
        "E00001": "声明关系（亲属）/ declared relationship (relative) with the applicant: "
        "独山子申报企业"
    }
    assert excluded(["另一家企业"]) == {}


def test_a_relationship_with_a_linked_unit_matches_by_link(make_expert, org, staff_user):
    e = make_expert(1)
    services.declare_relationship(
        staff_user, e, kind="employment", organization=org, organization_name="旧称"
    )
    assert "任职" in excluded([org])["E00001"]


def collaborate(expert, org, on):
    Collaboration.objects.create(expert=expert, organization_name=org.name, on=on)


def test_collaboration_exactly_three_years_before_still_excludes(make_expert, org):
    collaborate(make_expert(1), org, dt.date(2023, 3, 10))
    assert excluded([org]) == {
        "E00001": "三年内合作 / co-applicant within 3 years with the applicant: "
        "独山子申报企业 (2023-03-10)"
    }


def test_collaboration_one_day_more_than_three_years_before_does_not(make_expert, org):
    collaborate(make_expert(1), org, dt.date(2023, 3, 9))
    assert excluded([org]) == {}


def test_three_years_before_29_february_is_28_february(make_expert, org):
    collaborate(make_expert(1), org, dt.date(2021, 2, 28))
    collaborate(make_expert(2), org, dt.date(2021, 2, 27))
    assert set(excluded([org], on=dt.date(2024, 2, 29))) == {"E00001"}


@pytest.mark.parametrize(
    ("day", "out"),
    [
        (dt.date(2026, 3, 9), False),  # the day before the period
        (dt.date(2026, 3, 10), True),  # its first day
        (dt.date(2026, 3, 20), True),  # its last day
        (dt.date(2026, 3, 21), False),  # the day after
    ],
)
def test_unavailable_on_the_first_and_last_day_of_the_period(make_expert, day, out):
    make_expert(
        1,
        available=False,
        unavailable_from=dt.date(2026, 3, 10),
        unavailable_until=dt.date(2026, 3, 20),
        unavailable_reason="私事：不应公开",
    )
    found = excluded([], on=day)
    assert ("E00001" in found) is out
    if out:
        assert found["E00001"] == f"不可参加 / unavailable on {day.isoformat()}"


def test_open_ended_unavailability(make_expert):
    make_expert(1, available=False)
    make_expert(2, available=False, unavailable_until=dt.date(2026, 1, 1))
    make_expert(3, available=False, unavailable_from=dt.date(2026, 6, 1))
    assert set(excluded([])) == {"E00001"}


def test_the_callers_own_exclusions_are_added_and_unknown_codes_dropped(make_expert, org):
    make_expert(1, organization=org)
    make_expert(2)
    found = excluded([org], exclude={"E00001": "声明回避", "E00002": "本人申请回避", "E09999": "x"})
    assert found == {
        "E00001": "同单位 / same organisation as the applicant: 独山子申报企业；声明回避",
        "E00002": "本人申请回避",
    }


def test_the_application_fields_are_checked(make_expert):
    with pytest.raises(Rejected) as info:
        services.expert_pool(fields=["石油化工"], applicant_orgs=[], on=ON)
    assert info.value.problems[0].where == "fields"


def test_three_queries_however_many_experts(
    make_expert, org, staff_user, django_assert_num_queries
):
    for n in range(1, 13):
        e = make_expert(n)
        services.declare_relationship(staff_user, e, kind="other", organization_name=f"u{n}")
        collaborate(e, org, dt.date(2025, 1, 1))
    with django_assert_num_queries(3):
        candidates, exclusions = pool([org])
    assert len(candidates) == 12 and len(exclusions) == 12
