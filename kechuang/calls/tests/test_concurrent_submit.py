"""Two simultaneous submissions of one draft: exactly one wins, with one StateChange and one
number; the other is told the application is already submitted. Runs on SQLite and PostgreSQL
alike (the suite runs on both), with real transactions and one connection per thread."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import OperationalError, connection

from kechuang.calls import services
from kechuang.calls.models import Application, CodeCounter, StateChange
from kechuang.core.problems import Rejected

pytestmark = pytest.mark.django_db(transaction=True)


def _submit_waiting_for_the_lock(user, app):
    """Submit; on SQLite's in-memory test database a second writer is told "locked" at once
    instead of waiting as it does on the file database (busy timeout) and on PostgreSQL (row
    lock), so wait here the way those do."""
    for _ in range(200):
        try:
            return services.submit(user, app)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.05)
    raise AssertionError("the database stayed locked")


def test_two_simultaneous_submissions_make_one_record(own_user, draft):
    start = threading.Barrier(2)
    outcomes: list = []

    def submit() -> None:
        try:
            app = Application.objects.get(pk=draft.pk)
            start.wait(timeout=10)
            outcomes.append(_submit_waiting_for_the_lock(own_user, app).code)
        except Rejected as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    codes = [o for o in outcomes if isinstance(o, str)]
    refusals = [o for o in outcomes if isinstance(o, Rejected)]
    assert len(codes) == 1 and len(refusals) == 1, outcomes
    assert "已提交，请勿重复提交" in refusals[0].problems[0].message_zh
    assert StateChange.objects.filter(application=draft, to_state="submitted").count() == 1
    app = Application.objects.get(pk=draft.pk)
    assert app.state == "submitted" and app.code == codes[0]
    assert CodeCounter.objects.get(year=app.call.year).last == 1
