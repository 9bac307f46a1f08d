"""The Django admin, for the bureau admin's repairs. A nomination's state, number, ID number and
history only change through the services, so they are read-only here."""

from django.contrib import admin

from kechuang.talent.models import (
    Talent,
    TalentApplication,
    TalentCall,
    TalentCriterion,
    TalentProgram,
    TalentStateChange,
)


@admin.register(TalentProgram)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "support_amount", "term_years", "is_demo"]
    list_filter = ["level", "kind", "is_demo"]
    search_fields = ["code", "name"]


class CriterionInline(admin.TabularInline):
    model = TalentCriterion
    extra = 0


@admin.register(TalentCall)
class CallAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "program", "year", "state", "opens_at", "closes_at", "is_demo"]
    list_filter = ["state", "year", "program", "is_demo"]
    search_fields = ["code", "title"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [CriterionInline]


class StateChangeInline(admin.TabularInline):
    model = TalentStateChange
    fields = ["at", "from_state", "to_state", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TalentApplication)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "call", "employer", "state", "submitted_at", "is_demo"]
    list_filter = ["state", "call", "is_demo"]
    search_fields = ["code", "name", "employer__name"]
    exclude = ["id_number_token", "id_number_hash"]
    readonly_fields = [
        "code",
        "state",
        "id_number_masked",
        "birth_year",
        "submitted_at",
        "decided_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["employer"]
    inlines = [StateChangeInline]


@admin.register(Talent)
class TalentAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "year", "employer", "term_end", "is_demo"]
    list_filter = ["program", "year", "is_demo"]
    search_fields = ["name", "employer__name"]
    readonly_fields = ["application", "created_at"]
    raw_id_fields = ["employer"]
