"""Fixtures shared by every app's tests, and the rule that CI never skips a test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parent
PLAN_FILE = ROOT / "data" / "plans" / "dushanzi-2021-2025.yaml"
EXAMPLE_PLAN_FILE = ROOT / "data" / "plans" / "example-2026-2030.yaml"
DEMO_FILE = ROOT / "data" / "demo" / "dushanzi-demo.yaml"
CHROMIUM = "/usr/bin/chromium"
REQUIRE_ALL = os.environ.get("KECHUANG_REQUIRE_ALL") == "1" or os.environ.get("CI") == "true"


def require(available: bool, why: str) -> None:
    """Skip when a system tool is missing on a developer machine; fail in CI."""
    if available:
        return
    if REQUIRE_ALL:
        pytest.fail(f"{why} (CI must not skip this test)")
    pytest.skip(why)


def _ensure_plan():
    from kechuang.plans.loader import load_plan
    from kechuang.plans.models import Plan

    if not Plan.objects.filter(code="dushanzi-2021-2025").exists():
        load_plan(PLAN_FILE)
    return Plan.objects.select_related("region").get(code="dushanzi-2021-2025")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real plan once; each test's transaction rolls back to this state."""
    with django_db_blocker.unblock():
        _ensure_plan()


def pytest_collection_modifyitems(items):
    """Tests that commit (browser tests) run last: their flush would empty the shared plan."""

    def commits(item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction")) or "live_server" in getattr(
            item, "fixturenames", ()
        )

    items.sort(key=commits)


@pytest.fixture
def plan(db):
    return _ensure_plan()


@pytest.fixture
def demo(plan):
    from kechuang.web.demo import load_demo

    load_demo(DEMO_FILE)
    return plan


def _user(username: str, role: str, org_code: str | None):
    from kechuang.accounts.models import Organization, User

    org = Organization.objects.get(code=org_code) if org_code else None
    user = User.objects.create_user(
        username=username, password="pw-" + username, role=role, organization=org
    )
    return user


@pytest.fixture
def admin_user(plan):
    return _user("t_admin", "admin", "kjj")


@pytest.fixture
def staff_user(plan):
    return _user("t_staff", "staff", "kjj")


@pytest.fixture
def reporter(plan):
    """A reporter at the statistics bureau, which owns GDP, R&D and population."""
    return _user("t_tjj", "reporter", "tjj")


@pytest.fixture
def other_reporter(plan):
    """A reporter at the finance bureau: owns fiscal figures, not statistics."""
    return _user("t_czj", "reporter", "czj")


@pytest.fixture
def enterprise_user(plan):
    from kechuang.accounts.models import Organization

    org = Organization.objects.create(code="ent-demo", name="测试企业", kind="enterprise")
    return _user("t_ent", "enterprise", org.code)


@pytest.fixture
def client_for(client):
    """Log a test client in as a user: ``client_for(user)``."""

    def login(user):
        client.force_login(user)
        return client

    return login


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def soffice() -> str:
    """LibreOffice's command, for converting generated documents to PDF."""
    require(
        SOFFICE is not None,
        "soffice is not installed (apt-get install libreoffice-writer-nogui)",
    )
    return SOFFICE


@pytest.fixture
def browser():
    require(
        Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is not None,
        f"{CHROMIUM} is not installed (apt-get install chromium)",
    )
    # Playwright's sync API runs an event loop in this thread; Django's ORM use from the
    # test body is still synchronous, so the async-safety guard does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield b
        finally:
            b.close()
