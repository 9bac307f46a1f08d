"""The menu shows each role its way into vouchers (the server checks again)."""

from kechuang.vouchers.tests.conftest import ROLES

ENTRIES = {
    "创新券": "/vouchers/",
    "我的创新券": "/vouchers/mine/",
    "创新券兑付": "/vouchers/provider/",
}
EXPECTED = {
    "admin_user": {"创新券"},
    "staff_user": {"创新券"},
    "reporter": set(),
    "enterprise_user": {"我的创新券"},
    "expert": set(),
    "provider_user": {"创新券兑付"},
}


def test_each_role_sees_its_voucher_entry(as_role, request):
    for role in ROLES:
        items = as_role(role).get("/vouchers/providers/").context["nav_items"]
        shown = {str(label) for url, label, _key in items if url in ENTRIES.values()}
        assert shown == EXPECTED[role], role
