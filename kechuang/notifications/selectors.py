from django.db.models import QuerySet

from kechuang.notifications.models import Notification


def inbox(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
