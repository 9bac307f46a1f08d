"""The Django admin, for the bureau admin's repairs. Edits here bypass the services' checks, so
the records that must stay as they were written (state history, the payment ledger, approved
changes, panel scores) are read-only."""

from django.contrib import admin

from kechuang.projects.models import (
    Acceptance,
    BudgetLine,
    ChangeRequest,
    Deliverable,
    Disbursement,
    MidtermEvaluation,
    Milestone,
    MisconductRecord,
    Outcome,
    PanelMember,
    ProgressReport,
    Project,
    ProjectStateChange,
    SelfInspection,
    ToleranceRecord,
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


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0


class BudgetInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class DisbursementInline(ReadOnlyInline):
    model = Disbursement
    fields = ["amount", "paid_on", "batch_note", "recorded_by", "recorded_at"]
    readonly_fields = fields


class StateInline(ReadOnlyInline):
    model = ProjectStateChange
    fields = ["from_state", "to_state", "note", "changed_by", "changed_at"]
    readonly_fields = fields


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "organization", "program", "year", "state", "is_demo"]
    list_filter = ["state", "year", "program", "is_major", "is_demo"]
    search_fields = ["code", "title", "organization__name", "lead_person"]
    readonly_fields = [
        "code",
        "application",
        "program",
        "organization",
        "enterprise",
        "state",
        "approved_amount",
        "requested_amount",
        "created_by",
        "created_at",
        "signed_by",
    ]
    inlines = [MilestoneInline, DeliverableInline, BudgetInline, DisbursementInline, StateInline]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnly):
    list_display = ["project", "amount", "paid_on", "batch_note", "recorded_by"]
    search_fields = ["project__code"]


@admin.register(ProjectStateChange)
class StateChangeAdmin(ReadOnly):
    list_display = ["project", "from_state", "to_state", "changed_by", "changed_at"]
    list_filter = ["to_state"]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["project", "period", "percent", "spend_to_date", "reported_by"]
    search_fields = ["project__code", "period"]
    raw_id_fields = ["project", "reported_by"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnly):
    list_display = ["project", "kind", "state", "requested_by", "decided_by", "decided_at"]
    list_filter = ["kind", "state"]


class PanelInline(ReadOnlyInline):
    model = PanelMember
    fields = ["expert"]
    readonly_fields = fields


@admin.register(MidtermEvaluation)
class MidtermAdmin(ReadOnly):
    list_display = ["project", "started_at", "conclusion", "mean_score"]
    inlines = [PanelInline]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Acceptance)
class AcceptanceAdmin(admin.ModelAdmin):
    list_display = ["project", "applied_at", "result", "decided_on"]
    list_filter = ["result"]
    readonly_fields = ["project", "applied_by", "result", "decided_by", "decided_on"]
    inlines = [OutcomeInline]


@admin.register(SelfInspection)
class SelfInspectionAdmin(admin.ModelAdmin):
    list_display = ["project", "year", "review", "submitted_by", "reviewed_by"]
    list_filter = ["year", "review"]
    readonly_fields = ["project", "year", "submitted_by", "reviewed_by"]


@admin.register(ToleranceRecord)
class ToleranceAdmin(admin.ModelAdmin):
    list_display = ["project", "outcome", "decided_by", "decided_on"]
    readonly_fields = ["project", "decided_by"]


@admin.register(MisconductRecord)
class MisconductAdmin(admin.ModelAdmin):
    list_display = ["project", "organization", "decided_by", "decided_on"]
    readonly_fields = ["project", "organization", "decided_by"]
