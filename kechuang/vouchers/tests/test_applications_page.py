"""The bureau's queue of applications: approve (issuing the voucher) or refuse with a reason."""

import pytest

from kechuang.vouchers import services
from kechuang.vouchers.models import Voucher, VoucherApplication
from kechuang.vouchers.tests.conftest import W

URL = "/vouchers/applications/"


def apply(user, firm, scheme, amount=10 * W):
    return services.apply_for_voucher(
        user, firm, scheme, amount=amount, category="testing", purpose="新产品检测"
    )


@pytest.mark.parametrize(
    "who,status",
    [
        ("admin_user", 200),
        ("staff_user", 200),
        ("reporter", 403),
        ("enterprise_user", 403),
        ("expert", 403),
        ("provider_user", 403),
    ],
)
def test_only_the_bureau_sees_the_queue(as_role, who, status, scheme):
    assert as_role(who).get(URL).status_code == status


def test_anonymous_users_are_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_the_queue_shows_what_each_enterprise_already_holds(
    client_for, staff_user, flow, enterprise_user, enterprise, scheme
):
    flow.issue(8 * W)
    apply(enterprise_user, enterprise, scheme, amount=5 * W)
    response = client_for(staff_user).get(URL)
    ((_app, held, available),) = response.context["rows"]
    assert (held, available) == (8 * W, 92 * W)
    assert "8.00 / 20.00" in response.content.decode()


def test_staff_approve_for_less_and_the_voucher_is_issued(
    client_for, staff_user, enterprise_user, enterprise, scheme
):
    app = apply(enterprise_user, enterprise, scheme)
    response = client_for(staff_user).post(
        URL, {"action": "approve", "application": app.pk, "amount": "6", "note": "核减"}
    )
    assert response.status_code == 302
    assert Voucher.objects.get(application=app).face_amount == 6 * W


def test_staff_refuse_with_a_reason(client_for, staff_user, enterprise_user, enterprise, scheme):
    app = apply(enterprise_user, enterprise, scheme)
    c = client_for(staff_user)
    response = c.post(URL, {"action": "reject", "application": app.pk, "reason": ""})
    assert response.status_code == 200 and response.context["problems"]
    c.post(URL, {"action": "reject", "application": app.pk, "reason": "不属于支持范围"})
    assert VoucherApplication.objects.get(pk=app.pk).state == "rejected"


def test_a_refused_approval_shows_why_and_issues_nothing(
    client_for, staff_user, enterprise_user, enterprise, make_scheme
):
    small = make_scheme(name="小券种", budget=5 * W)
    app = apply(enterprise_user, enterprise, small, amount=5 * W)
    services.set_budget(staff_user, small, 4 * W)
    response = client_for(staff_user).post(URL, {"action": "approve", "application": app.pk})
    assert "本券种剩余额度 ¥4.00万" in response.content.decode()
    assert not Voucher.objects.exists()


def test_an_unknown_action_is_refused(client_for, staff_user, enterprise_user, enterprise, scheme):
    app = apply(enterprise_user, enterprise, scheme)
    assert (
        client_for(staff_user).post(URL, {"action": "x", "application": app.pk}).status_code == 403
    )


def test_the_queue_costs_a_fixed_number_of_queries(
    client_for, staff_user, scheme, plan, django_assert_max_num_queries
):
    from kechuang.accounts.models import User
    from kechuang.vouchers.tests.conftest import _enterprise

    for i in range(8):
        firm = _enterprise(10 + i, f"企业{i}")
        user = User.objects.create_user(
            username=f"e{i}", password="x", role="enterprise", organization=firm.organization
        )
        apply(user, firm, scheme, amount=W)
    c = client_for(staff_user)
    c.get(URL)
    with django_assert_max_num_queries(12):
        response = c.get(URL)
    assert len(response.context["rows"]) == 8


def test_an_empty_queue_says_where_applications_come_from(client_for, staff_user, scheme):
    assert "我的创新券" in client_for(staff_user).get(URL).content.decode()
