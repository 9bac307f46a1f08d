from django.contrib import admin

from kechuang.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "title_zh", "read_at", "emailed")
    list_filter = ("emailed",)
    search_fields = ("title_zh", "user__username")
    raw_id_fields = ("user",)
