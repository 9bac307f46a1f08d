"""The Django admin, for the bureau admin's look-ups. The draws, assignments and the history of a
plan or a check are what was published and must stay as written, so everything is read-only;
changes go through the pages, which check them."""

from django.contrib import admin

from kechuang.inspections.models import (
    Assignment,
    Check,
    CheckEvent,
    InspectionPlan,
    PlanStateChange,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StateInline(ReadOnlyInline):
    model = PlanStateChange
    fields = ["from_state", "to_state", "changed_by", "changed_at"]
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["position", "expert"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = CheckEvent
    fields = ["kind", "result", "rectify_by", "note", "by", "at"]
    readonly_fields = fields


@admin.register(InspectionPlan)
class PlanAdmin(ReadOnly):
    list_display = ["title", "year", "pool", "sampling", "state", "objects_draw", "is_demo"]
    list_filter = ["state", "year", "pool", "is_demo"]
    search_fields = ["title"]
    inlines = [StateInline]


@admin.register(Check)
class CheckAdmin(ReadOnly):
    list_display = ["plan", "position", "object_code", "organization", "result", "rectification"]
    list_filter = ["result", "rectification", "plan__year"]
    search_fields = ["object_code", "organization__name", "project__title", "enterprise__name"]
    inlines = [AssignmentInline, EventInline]
