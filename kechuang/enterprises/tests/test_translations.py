"""Registry pages in English."""

from __future__ import annotations

from django.conf import settings


def test_pages_switch_to_english(client_for, staff_user, make_enterprise):
    make_enterprise(1)
    c = client_for(staff_user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = c.get("/enterprises/").content.decode()
    assert "Enterprise registry" in html and "Register an enterprise" in html
