"""The Django admin, for the bureau admin's look-ups. Panels come from public draws and scores
from the experts themselves, so nothing here can be edited: changes go through the pages."""

from django.contrib import admin

from kechuang.reviews.models import Assignment, Decision, Notice, Panel, Score


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["position", "expert", "state", "reason", "submitted_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Panel)
class PanelAdmin(ReadOnly):
    list_display = ["application", "call", "state", "sheets", "final_score", "needs_attention"]
    list_filter = ["state", "needs_attention", "has_warning"]
    search_fields = ["application__code", "application__title"]
    inlines = [AssignmentInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ["panel", "position", "expert", "state", "invited_at", "submitted_at"]
    list_filter = ["state"]
    search_fields = ["expert__code", "expert__name", "panel__application__code"]


@admin.register(Score)
class ScoreAdmin(ReadOnly):
    list_display = ["assignment", "criterion", "score"]


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ["application", "approved", "amount", "decided_by", "decided_at"]


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ["call", "published_at", "published_by"]
