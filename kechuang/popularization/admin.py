"""The Django admin, for the bureau admin's repairs; edits here bypass the services' checks."""

from django.contrib import admin

from kechuang.popularization.models import Event, EventAttachment


class AttachmentInline(admin.TabularInline):
    model = EventAttachment
    fields = ["kind", "original_name", "size", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_on", "venue", "audience", "participants", "is_public"]
    list_filter = ["kind", "audience", "is_public", "is_demo"]
    search_fields = ["title", "venue", "organizer_name", "organizer__name"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["organizer", "base", "created_by"]
    inlines = [AttachmentInline]
