"""The bureau's list of a policy's matched enterprises: not yet applied by default, filters,
Excel, recording applications, and who may open it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kechuang.policies import services
from kechuang.policies.models import PolicyApplication

ON = dt.date(2026, 6, 30)


@pytest.fixture
def policy(make_enterprise, make_policy, figures):
    a = make_enterprise(1, name="甲公司")
    figures(a, 2025, main_revenue=1_000_000, rd_personnel=100_000)
    make_enterprise(2, name="乙公司")
    make_enterprise(3, name="丙公司")
    p = make_policy(
        "p",
        conditions={
            "all": [
                {"fact": "registered_in_district", "is": True},
                {"fact": "rd_ratio.latest", ">=": "0.03"},
            ]
        },
    )
    services.match_all(ON)
    return p


def url(policy) -> str:
    return f"/policies/{policy.pk}/enterprises/"


def names(response) -> list[str]:
    return [m.enterprise.name for m in response.context["page"].object_list]


def test_staff_see_eligible_then_possibly_enterprises(client_for, staff_user, policy):
    response = client_for(staff_user).get(url(policy))
    assert response.status_code == 200
    assert names(response)[0] == "甲公司"
    assert [m.verdict for m in response.context["page"].object_list] == [
        "eligible",
        "possibly",
        "possibly",
    ]


def test_enterprises_that_applied_are_left_out_unless_asked(client_for, staff_user, policy):
    first = policy.matches.get(verdict="eligible").enterprise
    services.record_application(staff_user, policy, first)
    c = client_for(staff_user)
    assert "甲公司" not in names(c.get(url(policy)))
    assert "甲公司" in names(c.get(url(policy) + "?applied=all"))


def test_filter_by_verdict_and_name(client_for, staff_user, policy):
    c = client_for(staff_user)
    assert names(c.get(url(policy) + "?verdict=eligible")) == ["甲公司"]
    assert names(c.get(url(policy) + "?q=乙")) == ["乙公司"]


def test_excel_export_lists_the_missing_data(client_for, staff_user, policy):
    response = client_for(staff_user).get(url(policy) + "?format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][:3] == ("统一社会信用代码", "企业名称", "匹配结果")
    assert {r[1]: r[3] for r in rows[1:]}["乙公司"] == "上一年度研发费用占营业收入比例"


def test_staff_record_an_application_and_its_grant(client_for, staff_user, policy):
    firm = policy.matches.get(verdict="eligible").enterprise
    c = client_for(staff_user)
    c.post(f"/policies/{policy.pk}/applications/{firm.uscc}/", {"status": "applied"})
    c.post(
        f"/policies/{policy.pk}/applications/{firm.uscc}/", {"status": "granted", "amount": "5000"}
    )
    app = PolicyApplication.objects.get(enterprise=firm)
    assert (app.status, app.amount) == ("granted", 5000)
    assert list(app.changes.values_list("from_status", "to_status")) == [
        ("", "applied"),
        ("applied", "granted"),
    ]


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_may_open_it(client_for, request, policy, who):
    c = client_for(request.getfixturevalue(who))
    assert c.get(url(policy)).status_code == 403
    firm = policy.matches.first().enterprise
    assert (
        c.post(
            f"/policies/{policy.pk}/applications/{firm.uscc}/", {"status": "granted"}
        ).status_code
        == 403
    )


def test_anonymous_users_log_in_first(client, policy):
    assert client.get(url(policy)).status_code == 302


def test_queries_do_not_grow_with_the_number_of_enterprises(
    client_for, staff_user, make_enterprise, make_policy, django_assert_max_num_queries
):
    for n in range(1, 16):
        make_enterprise(n)
    p = make_policy("p", conditions={"fact": "registered_in_district", "is": True})
    services.match_all(ON)
    c = client_for(staff_user)
    with django_assert_max_num_queries(12):
        assert len(names(c.get(url(p)))) == 15
