"""The Django admin, for the bureau admin's repairs. An application's state, number and history
only change through the services (``record_state`` keeps the log), so they are read-only here."""

from django.contrib import admin

from kechuang.calls.models import (
    Application,
    Attachment,
    Call,
    CallSection,
    Criterion,
    Program,
    StateChange,
)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_major", "is_demo"]
    list_filter = ["kind", "is_major", "is_demo"]
    search_fields = ["code", "name"]


class SectionInline(admin.TabularInline):
    model = CallSection
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "program", "year", "state", "opens_at", "closes_at", "is_demo"]
    list_filter = ["state", "year", "program__kind", "is_demo"]
    search_fields = ["code", "title"]
    readonly_fields = ["created_by", "created_at", "updated_at", "published_at"]
    inlines = [SectionInline, CriterionInline]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["original_name", "kind", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class StateChangeInline(admin.TabularInline):
    model = StateChange
    fields = ["at", "from_state", "to_state", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "call", "applicant", "state", "submitted_at", "is_demo"]
    list_filter = ["state", "call", "is_demo"]
    search_fields = ["code", "title", "applicant__name"]
    readonly_fields = [
        "code",
        "state",
        "submitted_at",
        "eligibility_results",
        "created_by",
        "created_at",
        "updated_at",
    ]
    raw_id_fields = ["applicant", "enterprise", "co_applicants"]
    inlines = [AttachmentInline, StateChangeInline]
