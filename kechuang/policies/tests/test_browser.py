"""In a real browser: a visitor finds a policy with whom to call, and an enterprise sees which
policies it qualifies for and why."""

import datetime as dt

import pytest

from kechuang.policies import services
from kechuang.policies.models import Policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_searches_and_finds_the_policy_with_its_department_and_phone(
    browser, live_server, catalog
):
    # The bureau fills in the contact the sources did not give.
    Policy.objects.filter(code="hnte-recognition-2016").update(phone="0992-3688888")
    page = browser.new_page(viewport={"width": 390, "height": 844})  # on a phone
    page.goto(f"{live_server.url}/policies/")
    page.fill("input[name=q]", "高新技术企业")
    page.keyboard.press("Enter")
    page.wait_for_url("**/policies/?*q=*")
    first = page.locator("#results li.card").first
    assert "高新技术企业认定管理办法" in first.inner_text()
    first.locator("a").first.click()
    page.wait_for_selector("a.tel")
    body = page.locator("main").inner_text()
    assert "区科学技术局" in body
    assert page.locator("a.tel").get_attribute("href") == "tel:09923688888"
    page.screenshot(path="var/screenshot-policy.png", full_page=True)


def test_an_enterprise_user_sees_its_matched_policies_with_reasons(
    browser, live_server, make_enterprise, make_policy, user_of
):
    firm = make_enterprise(1, name="甲公司")
    make_policy(
        "district", title="区内企业政策", conditions={"fact": "registered_in_district", "is": True}
    )
    make_policy("rd", title="研发投入政策", conditions={"fact": "rd_ratio.latest", ">=": "0.03"})
    services.match_all(dt.date(2026, 6, 30))
    user = user_of(firm)
    user.set_password("pw-t_firm")
    user.save()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/policies/mine/")
    page.fill("input[name=username]", "t_firm")
    page.fill("input[name=password]", "pw-t_firm")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/policies/mine/")
    for summary in page.locator("summary", has_text="逐项条件").all():
        summary.click()  # the reasons, condition by condition
    body = page.locator("main").inner_text()
    assert "区内企业政策" in body and "在本区注册：是（需要：是）" in body
    assert "研发投入政策" in body and "缺少数据" in body
    page.screenshot(path="var/screenshot-policies-mine.png", full_page=True)
