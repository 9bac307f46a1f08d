"""One voucher's page: its timeline, claims and ledger entries, for those who may see it."""

from auditlog.models import LogEntry

from kechuang.vouchers.tests.conftest import W


def url(v) -> str:
    return f"/vouchers/v/{v.number}/"


def test_the_bureau_the_enterprise_and_the_assigned_provider_see_it(
    client_for, staff_user, admin_user, enterprise_user, provider_user, flow
):
    voucher, _claim = flow.redeeming()
    for user in (staff_user, admin_user, enterprise_user, provider_user):
        response = client_for(user).get(url(voucher))
        assert response.status_code == 200, user
    body = response.content.decode()
    assert "发放" in body and "提交兑付" in body and "兑付申请" in body


def test_another_providers_look_is_refused_and_audited(client_for, other_provider_user, flow):
    voucher = flow.assigned()
    assert client_for(other_provider_user).get(url(voucher)).status_code == 403
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == other_provider_user and entry.additional_data["denied"]


def test_another_enterprise_finds_nothing(client_for, other_enterprise_user, flow):
    assert client_for(other_enterprise_user).get(url(flow.issue())).status_code == 404


def test_reporters_and_experts_are_refused(client_for, reporter, expert, flow):
    voucher = flow.issue()
    assert client_for(reporter).get(url(voucher)).status_code == 403
    assert client_for(expert).get(url(voucher)).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, flow):
    assert client.get(url(flow.issue())).status_code == 302


def test_an_unknown_number_is_not_found_for_the_bureau(client_for, staff_user, scheme):
    assert client_for(staff_user).get("/vouchers/v/KJQ-2026-999999-XXXX/").status_code == 404


def test_the_assigned_provider_is_offered_the_claim_form(client_for, provider_user, flow):
    voucher = flow.assigned(5 * W)
    body = client_for(provider_user).get(url(voucher)).content.decode()
    assert f"/vouchers/provider/{voucher.number}/redeem/" in body
