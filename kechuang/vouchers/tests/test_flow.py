"""The whole way through the pages: apply → approve → issue → use → redeem → verify → settle."""

from kechuang.vouchers import selectors
from kechuang.vouchers.models import Redemption, Voucher, VoucherApplication
from kechuang.vouchers.tests.conftest import W, upload


def test_a_voucher_from_application_to_payment(
    client, staff_user, enterprise_user, enterprise, provider_user, provider, scheme
):
    client.force_login(enterprise_user)
    client.post(
        "/vouchers/mine/",
        {
            "action": "apply",
            "scheme": scheme.pk,
            "amount": "10",
            "category": "testing",
            "purpose": "新产品检测",
        },
    )
    app = VoucherApplication.objects.get()

    client.force_login(staff_user)
    client.post("/vouchers/applications/", {"action": "approve", "application": app.pk})
    voucher = Voucher.objects.get()
    assert voucher.face_amount == 10 * W

    client.force_login(enterprise_user)
    client.post(
        "/vouchers/mine/",
        {"action": "use", "voucher": voucher.pk, "service": provider.services.first().pk},
    )

    client.force_login(provider_user)
    assert voucher.number in client.get("/vouchers/provider/").content.decode()
    client.post(
        f"/vouchers/provider/{voucher.number}/redeem/",
        {
            "contract_no": "HT-1",
            "contract_amount": "150000",
            "invoice_no": "FP-1",
            "invoice_amount": "150000",
            "contract_files": upload("pdf", "合同.pdf"),
            "invoice_files": upload("pdf", "发票.pdf"),
        },
    )
    claim = Redemption.objects.get()
    assert claim.subsidy == 75000

    client.force_login(staff_user)
    client.post("/vouchers/redemptions/", {"action": "verify", "redemption": claim.pk})
    client.post("/vouchers/redemptions/", {"action": "settle", "redemption": claim.pk})

    voucher.refresh_from_db()
    assert voucher.state == "settled"
    rec = selectors.reconciliation(scheme)
    assert rec.ok
    t = rec.totals
    assert (t.issued, t.redeemed, t.settled, t.released, t.outstanding) == (
        10 * W,
        75000,
        75000,
        25000,
        0,
    )
    assert t.available == 100 * W - 75000
    kinds = [e.get_kind_display() for e in selectors.entries_of(voucher)]
    assert kinds == ["发放", "兑付申请", "结算", "未用部分退回"]
    events = [e.kind for e in selectors.timeline(voucher)]
    assert events == [
        "issued",
        "assigned",
        "redemption_submitted",
        "redemption_verified",
        "settled",
    ]
