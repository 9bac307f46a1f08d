"""The claim form with contract and invoice uploads; another provider's voucher is refused."""

from auditlog.models import LogEntry

from kechuang.vouchers.models import Redemption
from kechuang.vouchers.tests.conftest import W, upload


def url(v) -> str:
    return f"/vouchers/provider/{v.number}/redeem/"


def form(**extra):
    data = {
        "contract_no": "HT-9",
        "contract_amount": "160000",
        "invoice_no": "FP-9",
        "invoice_amount": "160000",
        "contract_files": upload("docx", "合同.docx"),
        "invoice_files": upload("png", "发票.png"),
    }
    return data | extra


def test_the_assigned_provider_submits_a_claim(client_for, provider_user, flow):
    voucher = flow.assigned(10 * W)
    c = client_for(provider_user)
    assert c.get(url(voucher)).status_code == 200
    response = c.post(url(voucher), form())
    assert response.status_code == 302
    claim = Redemption.objects.get(voucher=voucher)
    assert claim.subsidy == 8 * W and claim.files.count() == 2


def test_another_provider_is_refused_and_the_attempt_audited(client_for, other_provider_user, flow):
    voucher = flow.assigned()
    c = client_for(other_provider_user)
    assert c.get(url(voucher)).status_code == 403
    assert c.post(url(voucher), form()).status_code == 403
    assert (
        LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=other_provider_user).count()
        == 2
    )
    assert not Redemption.objects.exists()


def test_other_roles_are_refused(client_for, enterprise_user, staff_user, flow):
    voucher = flow.assigned()
    assert client_for(enterprise_user).get(url(voucher)).status_code == 403
    assert client_for(staff_user).get(url(voucher)).status_code == 403


def test_a_bad_file_is_named_and_nothing_is_written(client_for, provider_user, flow):
    voucher = flow.assigned()
    response = client_for(provider_user).post(
        url(voucher), form(invoice_files=upload("exe", "发票.pdf"))
    )
    assert response.status_code == 200 and "发票.pdf" in response.content.decode()
    assert not Redemption.objects.exists()


def test_a_second_claim_is_refused_with_the_reason(client_for, provider_user, flow):
    voucher, _claim = flow.redeeming()
    response = client_for(provider_user).post(url(voucher), form())
    assert "已有待审核的兑付申请" in response.content.decode()


def test_an_unknown_voucher_is_not_found(client_for, provider_user, db):
    assert client_for(provider_user).get("/vouchers/provider/KJQ-1/redeem/").status_code == 404
