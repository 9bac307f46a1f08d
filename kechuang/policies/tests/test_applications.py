"""Recording applications and grants: the bureau records any status, an enterprise user only
that its own enterprise applied; every change is kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.policies import services
from kechuang.policies.models import ApplicationChange, PolicyApplication


def test_staff_record_applied_then_granted_with_history(staff_user, make_policy, enterprise):
    p = make_policy("p")
    services.record_application(staff_user, p, enterprise)
    app = services.record_application(
        staff_user, p, enterprise, status="granted", amount="20000", note="已拨付"
    )
    assert (app.status, app.amount, app.applied_on is not None, app.granted_on is not None) == (
        "granted",
        20000,
        True,
        True,
    )
    assert list(app.changes.values_list("to_status", "changed_by")) == [
        ("applied", staff_user.pk),
        ("granted", staff_user.pk),
    ]


def test_recording_the_same_status_twice_changes_nothing(staff_user, make_policy, enterprise):
    p = make_policy("p")
    services.record_application(staff_user, p, enterprise)
    services.record_application(staff_user, p, enterprise)
    assert ApplicationChange.objects.count() == 1


def test_a_grant_cannot_be_undone(staff_user, make_policy, enterprise):
    p = make_policy("p")
    services.record_application(staff_user, p, enterprise, status="granted")
    with pytest.raises(Rejected):
        services.record_application(staff_user, p, enterprise, status="declined")
    assert PolicyApplication.objects.get().status == "granted"


def test_bad_input_names_the_field_and_writes_nothing(staff_user, make_policy, enterprise):
    p = make_policy("p")
    with pytest.raises(Rejected) as info:
        services.record_application(staff_user, p, enterprise, status="paid", amount="-5")
    assert [x.where for x in info.value.problems] == ["状态 / status", "金额（元） / amount"]
    assert not PolicyApplication.objects.exists()


def test_a_draft_policy_takes_no_applications(staff_user, make_policy, enterprise):
    with pytest.raises(Rejected):
        services.record_application(staff_user, make_policy("p", state="draft"), enterprise)


def test_an_enterprise_user_may_declare_its_own_application_only(
    make_policy, enterprise, own_user, make_enterprise, user_of
):
    p = make_policy("p")
    assert services.record_application(own_user, p, enterprise).status == "applied"
    with pytest.raises(PermissionDenied):
        services.record_application(own_user, p, enterprise, status="granted")
    other = make_enterprise(2)
    with pytest.raises(PermissionDenied):
        services.record_application(own_user, p, other)


@pytest.mark.parametrize("who", ["reporter", "expert_user", "provider_user"])
def test_other_roles_may_not_record(request, make_policy, enterprise, who):
    with pytest.raises(PermissionDenied):
        services.record_application(request.getfixturevalue(who), make_policy("p"), enterprise)
