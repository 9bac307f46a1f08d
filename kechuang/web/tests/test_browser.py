"""In a real browser: sign in, see the dashboard with its charts, on a desktop and on a phone."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in(browser, live_server, demo, staff_user):
    def open_page(viewport=None):
        page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/dashboard/")
        page.fill("input[name=username]", "t_staff")
        page.fill("input[name=password]", "pw-t_staff")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/dashboard/")
        return page

    return open_page


def test_staff_sign_in_and_see_every_indicator_charted(signed_in):
    page = signed_in()
    assert page.locator("h1").inner_text().startswith("指标监测")
    cards = page.locator("article.card")
    assert cards.count() >= 9
    page.wait_for_selector("[data-chart] .main-svg")
    assert page.locator("[data-chart] .main-svg").count() >= 9, "plotly drew each chart"
    assert page.get_by_text("研究与试验发展经费支出占地区生产总值比重").first.is_visible()
    assert page.locator(".badge.warn").first.is_visible()
    page.screenshot(path="var/screenshot-dashboard.png", full_page=True)


def test_the_dashboard_fits_a_phone(signed_in):
    page = signed_in({"width": 390, "height": 844})
    page.wait_for_selector("[data-chart] .main-svg")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"


def test_keyboard_users_can_skip_to_the_content(signed_in):
    page = signed_in()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"


def test_filtering_figures_updates_the_list_in_place(browser, live_server, demo, reporter):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/data/")
    page.fill("input[name=username]", "t_tjj")
    page.fill("input[name=password]", "pw-t_tjj")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/data/")
    page.select_option("select[name=element]", "GDP")
    page.wait_for_url("**/data/?*element=GDP*")
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 1
    assert all(code == "GDP" for code in rows.locator("td:first-child a").all_inner_texts())
