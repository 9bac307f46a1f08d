"""The inbox page and its unread badge."""

from django.urls import reverse

from kechuang.notifications.models import Notification
from kechuang.notifications.services import notify


def _send(user, n=1):
    for i in range(n):
        notify([user], title_zh=f"通知{i}", title_en=f"Notice {i}")


def test_the_inbox_needs_a_login(client):
    r = client.get(reverse("notifications:inbox"))
    assert r.status_code == 302 and "/accounts/login/" in r.url


def test_one_sees_only_ones_own_messages(client_for, staff_user, reporter):
    notify([reporter], title_zh="只给填报员", title_en="For the reporter only")
    _send(staff_user)
    body = client_for(staff_user).get(reverse("notifications:inbox")).content.decode()
    assert "通知0" in body and "只给填报员" not in body


def test_messages_show_in_english_for_english_readers(client_for, staff_user):
    _send(staff_user)
    c = client_for(staff_user)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get(reverse("notifications:inbox")).content.decode()
    assert "Notice 0" in body


def test_the_badge_counts_unread_and_disappears_when_read(client_for, staff_user):
    _send(staff_user, 3)
    c = client_for(staff_user)
    assert ">3<" in c.get(reverse("notifications:badge")).content.decode()
    c.post(reverse("notifications:read"))
    assert c.get(reverse("notifications:badge")).content == b""
    assert not Notification.objects.filter(user=staff_user, read_at__isnull=True).exists()


def test_the_inbox_query_count_does_not_grow_with_messages(
    client_for, staff_user, django_assert_max_num_queries
):
    _send(staff_user, 40)
    c = client_for(staff_user)
    with django_assert_max_num_queries(12):
        r = c.get(reverse("notifications:inbox"))
    assert r.status_code == 200


def test_an_empty_inbox_says_what_will_arrive(client_for, staff_user):
    body = client_for(staff_user).get(reverse("notifications:inbox")).content.decode()
    assert "还没有消息" in body
