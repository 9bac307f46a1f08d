"""The Django admin, for the bureau admin's repairs. The ID number is encrypted and draws are a
published record, so neither can be edited here: experts change through the pages (which check
and re-encrypt), and a draw, once committed, never changes."""

from django.contrib import admin

from kechuang.experts.models import Collaboration, Draw, DrawChoice, Expert, Relationship


class RelationshipInline(admin.TabularInline):
    model = Relationship
    fields = ["organization_name", "kind", "note", "declared_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class CollaborationInline(admin.TabularInline):
    model = Collaboration
    fields = ["organization_name", "on", "source"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "title", "organization_name", "available", "is_finance"]
    list_filter = ["title", "available", "is_finance", "is_demo"]
    search_fields = ["code", "name", "organization_name"]
    exclude = ["id_number_token", "id_number_hash"]
    readonly_fields = ["code", "id_number_masked", "fields", "created_at", "updated_at"]
    raw_id_fields = ["organization", "user"]
    inlines = [RelationshipInline, CollaborationInline]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Draw)
class DrawAdmin(ReadOnly):
    list_display = ["draw_id", "purpose", "kind", "state", "pool_size", "k", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["draw_id", "purpose", "subject_label"]
    exclude = ["seed_token", "record", "result"]


@admin.register(DrawChoice)
class DrawChoiceAdmin(ReadOnly):
    list_display = ["draw", "position", "candidate"]
    search_fields = ["candidate", "draw__draw_id"]
