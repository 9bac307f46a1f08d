"""In a real browser, a voucher's whole life: an enterprise applies, staff approve and issue it,
the enterprise uses it on a provider's service, the provider claims with a contract and an
invoice, staff verify and settle, and the scheme's reconciliation shows the settled amount."""

import pytest

from kechuang.supervision.tests.files import CONTENTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, live_server, username, next_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"pw-{username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")
    return page


def test_a_voucher_is_issued_used_redeemed_and_settled_through_the_pages(
    browser, live_server, staff_user, enterprise_user, enterprise, scheme, provider, provider_user
):
    from kechuang.vouchers import selectors
    from kechuang.vouchers.models import Redemption, Voucher, VoucherApplication

    provider_user.set_password(f"pw-{provider_user.username}")
    provider_user.save()
    service = provider.services.get()

    # The enterprise applies for 10 万元 on its page.
    page = sign_in(browser, live_server, enterprise_user.username, "/vouchers/mine/")
    page.select_option("select[name=scheme]", str(scheme.pk))
    page.fill("input[name=amount]", "10")
    page.select_option("select[name=category]", "testing")
    page.fill("textarea[name=purpose]", "新产品第三方检测")
    with page.expect_navigation():
        page.click("button:has-text('提交申请')")
    page.wait_for_selector("text=申请已提交")
    application = VoucherApplication.objects.get(enterprise=enterprise)
    assert application.state == VoucherApplication.State.SUBMITTED
    assert application.amount == 100_000

    # Staff approve it in full: the voucher is issued with its number.
    page = sign_in(browser, live_server, staff_user.username, "/vouchers/applications/")
    row = page.locator("tr", has_text=enterprise.name)
    with page.expect_navigation():
        row.locator("button[value=approve]").click()
    voucher = Voucher.objects.get(enterprise=enterprise)
    assert voucher.number and voucher.state == Voucher.State.ISSUED
    assert voucher.face_amount == 100_000
    page.wait_for_selector(f"text=已批准并发放创新券 {voucher.number}")

    # The enterprise sees the voucher and uses it on the provider's service.
    page = sign_in(browser, live_server, enterprise_user.username, "/vouchers/mine/")
    row = page.locator("tr", has_text=voucher.number)
    row.locator("select[name=service]").select_option(str(service.pk))
    with page.expect_navigation():
        row.locator("button:has-text('确定')").click()
    page.wait_for_selector("text=已选定服务")
    voucher.refresh_from_db()
    assert voucher.service_id == service.pk

    # The provider submits the claim with a contract and an invoice: 16 万 at 50%, capped at 10.
    page = sign_in(browser, live_server, provider_user.username, "/vouchers/provider/")
    with page.expect_navigation():
        page.locator("tr", has_text=voucher.number).locator("a:has-text('提交兑付')").click()
    page.fill("input[name=contract_no]", "HT-2024-001")
    page.fill("input[name=contract_amount]", "160000")
    page.fill("input[name=invoice_no]", "FP-2024-001")
    page.fill("input[name=invoice_amount]", "160000")
    pdf = {"mimeType": "application/pdf", "buffer": CONTENTS["pdf"]}
    page.set_input_files("input[name=contract_files]", {"name": "合同.pdf", **pdf})
    page.set_input_files("input[name=invoice_files]", {"name": "发票.pdf", **pdf})
    with page.expect_navigation():
        page.click("button:has-text('提交')")
    page.wait_for_url(f"{live_server.url}/vouchers/provider/")
    page.wait_for_selector("text=兑付申请已提交")
    claim = Redemption.objects.get(voucher=voucher)
    assert claim.state == Redemption.State.SUBMITTED
    assert claim.subsidy == 80_000
    assert claim.files.count() == 2

    # Staff verify, then settle.
    page = sign_in(browser, live_server, staff_user.username, "/vouchers/redemptions/")
    with page.expect_navigation():
        page.locator("tr", has_text=voucher.number).locator("button[value=verify]").click()
    page.wait_for_selector("text=兑付申请已审核通过")
    claim.refresh_from_db()
    assert claim.state == Redemption.State.VERIFIED
    page.goto(f"{live_server.url}/vouchers/redemptions/?state=verified")
    with page.expect_navigation():
        page.locator("tr", has_text=voucher.number).locator("button[value=settle]").click()
    page.wait_for_selector("text=已结算")
    claim.refresh_from_db()
    voucher.refresh_from_db()
    assert claim.state == Redemption.State.SETTLED
    assert voucher.state == Voucher.State.SETTLED

    # The scheme's reconciliation shows 8 万元 settled, the rest released, and it balances.
    rec = selectors.reconciliation(scheme)
    assert rec.ok and rec.totals.settled == 80_000
    page.goto(f"{live_server.url}/vouchers/schemes/{scheme.pk}/")
    figures = page.locator("dl.figures")
    settled = figures.locator("div", has=page.locator("dt", has_text="已结算"))
    assert settled.locator("dd").inner_text() == "8.00"
    released = figures.locator("div", has=page.locator("dt", has_text="未用退回"))
    assert released.locator("dd").inner_text() == "2.00"
    assert page.locator(".badge.ok", has_text="账实相符").is_visible()
    assert page.locator("[role=alert]").count() == 0
    page.screenshot(path="var/screenshot-vouchers.png", full_page=True)
