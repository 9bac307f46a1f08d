"""ID numbers: masked for everyone on every page, whole only to admins on request, and every
whole view (or refused attempt) is in the audit log."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kechuang.talent import services

from .conftest import person

WHOLE = person(1)["id_number"]


def accesses(app):
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(app.pk))


@pytest.mark.parametrize("who", ["admin_user", "staff_user", "employer"])
def test_every_role_that_sees_the_nomination_sees_it_masked(request, client_for, submitted, who):
    page = client_for(request.getfixturevalue(who)).get(
        reverse("talent:application", args=[submitted.pk])
    )
    text = page.content.decode()
    assert submitted.id_number_masked in text and WHOLE not in text


def test_only_the_admin_is_offered_the_whole_number(client_for, admin_user, staff_user, submitted):
    link = reverse("talent:id_number", args=[submitted.pk])
    url = reverse("talent:application", args=[submitted.pk])
    assert link in client_for(admin_user).get(url).content.decode()
    assert link not in client_for(staff_user).get(url).content.decode()


def test_the_admin_sees_the_whole_number_and_the_look_is_audited(client_for, admin_user, submitted):
    response = client_for(admin_user).post(reverse("talent:id_number", args=[submitted.pk]))
    assert WHOLE in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    entry = accesses(submitted).get()
    assert entry.actor == admin_user and entry.additional_data["denied"] is False


@pytest.mark.parametrize(("who", "status"), [("staff_user", 403), ("employer", 403)])
def test_staff_and_the_employer_cannot_see_the_whole_number(
    request, client_for, submitted, who, status
):
    response = client_for(request.getfixturevalue(who)).post(
        reverse("talent:id_number", args=[submitted.pk])
    )
    assert response.status_code == status and WHOLE not in response.content.decode()
    assert not accesses(submitted).exists()


def test_the_service_refuses_anyone_but_an_admin(staff_user, submitted):
    with pytest.raises(PermissionDenied):
        services.reveal_id_number(staff_user, submitted)


def test_the_expert_review_page_shows_no_id_number_at_all(client_for, expert_user, in_review):
    page = client_for(expert_user).get(reverse("talent:review", args=[in_review.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and in_review.id_number_masked not in text
    assert WHOLE[-4:] not in text


def test_the_audit_log_keeps_the_masked_number_never_the_token(employer, draft):
    entry = LogEntry.objects.get_for_object(draft).get(action=LogEntry.Action.CREATE)
    assert "id_number_token" not in entry.changes and "id_number_hash" not in entry.changes
    assert WHOLE not in str(entry.changes)
