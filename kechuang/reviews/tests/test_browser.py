"""In a real browser, the whole review: an applicant submits, staff run the draw, an expert
scores, and staff see the ranking."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, live_server, username, next_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("dialog", lambda d: d.accept())  # the "submit cannot be undone" confirmation
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"pw-{username}")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")
    return page


def test_applicant_submits_staff_draw_an_expert_scores_and_staff_see_the_ranking(
    browser, live_server, make_call, applicant, staff_user, library
):
    from kechuang.calls.models import Application, Call
    from kechuang.calls.services import formal_check
    from kechuang.reviews import services
    from kechuang.reviews.models import Assignment

    now = timezone.now()
    call = make_call(
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=5),
        state=Call.State.PUBLISHED,
    )

    # The applicant drafts and submits inside the window.
    page = sign_in(browser, live_server, applicant.username, f"/calls/{call.code}/")
    page.fill("input[name=title]", "石化尾气催化净化关键技术")
    page.click("button:has-text('开始申报')")
    page.wait_for_selector("textarea")
    page.check("input[name=fields][value='新材料']")
    page.fill("input[name=requested_amount]", "80")  # 万元
    page.fill("textarea[name$=overview]", "面向区内石化企业的尾气净化共性难题。")
    page.click("button[value=submit]")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("text=已提交")
    application = Application.objects.get(call=call)
    assert application.state == Application.State.SUBMITTED and application.code

    # The window closes; the formal check passes (its own pages are tested in the calls app).
    Call.objects.filter(pk=call.pk).update(closes_at=now - dt.timedelta(minutes=1))
    formal_check(staff_user, application, passed=True, note="材料齐全")

    # Staff start the review and run the draw from the board.
    page = sign_in(browser, live_server, staff_user.username, f"/reviews/calls/{call.code}/")
    page.click("button:has-text('开始评审')")
    page.click("button:has-text('执行全部抽取')")
    page.wait_for_load_state("networkidle")
    assignments = list(
        Assignment.objects.filter(panel__application=application).select_related("expert__user")
    )
    assert len(assignments) == call.panel_size

    # One drawn expert scores in the browser; the other four through the service.
    first, *others = assignments
    criteria = list(call.criteria.order_by("order"))
    page = sign_in(
        browser, live_server, first.expert.user.username, f"/reviews/assignments/{first.pk}/"
    )
    if page.locator("button[value=accept]").count():
        page.click("button[value=accept]")
        page.wait_for_selector("input[name^=score-]")
    for c in criteria:
        page.fill(f"input[name=score-{c.pk}]", str(int(c.max_score * Decimal("0.8"))))
        page.fill(f"textarea[name=comment-{c.pk}]", "思路清晰")
    page.fill("textarea[name=overall_comment]", "技术路线可行，建议立项")
    with page.expect_navigation():
        page.click("button[value=submit]")
    page.screenshot(path="var/screenshot-review-sheet.png", full_page=True)
    first.refresh_from_db()
    assert first.state == Assignment.State.SUBMITTED
    for a in others:
        scores = {c.pk: (c.max_score * Decimal("0.7"), "") for c in criteria}
        services.submit_scores(a.expert.user, a, scores, "同意", final=True)

    # Staff see the application ranked first with the trimmed mean of five sheets.
    page = sign_in(browser, live_server, staff_user.username, f"/reviews/calls/{call.code}/")
    row = page.locator("#results tr", has_text=application.code)
    assert row.count() == 1
    text = row.inner_text()
    assert "70.00" in text, text  # one 80 and four 70s: dropping the highest and a lowest
    page.screenshot(path="var/screenshot-review-board.png", full_page=True)
