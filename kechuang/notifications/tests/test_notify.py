"""notify(): one message per person, an e-mail copy where there is an address, none on rollback."""

import pytest
from django.core import mail
from django.db import transaction

from kechuang.notifications.models import Notification
from kechuang.notifications.services import mark_read, notify


def _notify(*users, **kw):
    return notify(
        users, title_zh="申报已退回", title_en="Application returned", url="/calls/", **kw
    )


def test_each_person_gets_one_message_even_if_named_twice(staff_user, reporter):
    assert _notify(staff_user, reporter, staff_user) == 2
    assert Notification.objects.filter(user=staff_user).count() == 1
    assert Notification.objects.filter(user=reporter).count() == 1


@pytest.mark.django_db(transaction=True)
def test_people_with_an_address_get_an_email_in_both_languages(staff_user, reporter):
    staff_user.email = "staff@example.cn"
    staff_user.save()
    reporter.email = ""
    reporter.save()
    _notify(staff_user, reporter, body_zh="请补充材料", body_en="Please add the documents")
    assert len(mail.outbox) == 1
    m = mail.outbox[0]
    assert m.to == ["staff@example.cn"]
    assert m.subject == "申报已退回 / Application returned"
    assert "请补充材料" in m.body and "Please add the documents" in m.body
    assert m.body.rstrip().endswith("/calls/")


@pytest.mark.django_db(transaction=True)
def test_no_email_when_the_action_that_notified_is_rolled_back(staff_user):
    staff_user.email = "staff@example.cn"
    staff_user.save()
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(staff_user)
        raise RuntimeError("the action failed")
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_inactive_users_are_not_notified(staff_user):
    staff_user.is_active = False
    staff_user.save()
    assert _notify(staff_user) == 0


def test_marking_read_touches_only_ones_own_messages(staff_user, reporter):
    _notify(staff_user, reporter)
    theirs = Notification.objects.get(user=reporter)
    assert mark_read(staff_user, [theirs.pk]) == 0
    assert mark_read(staff_user) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
