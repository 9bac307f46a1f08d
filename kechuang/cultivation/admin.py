from django.contrib import admin
from django.core.exceptions import ValidationError

from kechuang.cultivation.models import (
    PipelineEntry,
    ServiceRecord,
    StageChange,
    StageStandard,
    YearlyEvaluation,
)
from kechuang.cultivation.standards import check_conditions


class StageStandardForm(admin.ModelAdmin.form):
    def clean_conditions(self):
        value = self.cleaned_data["conditions"]
        problems = check_conditions(value)
        if problems:
            raise ValidationError("; ".join(problems))
        return value


@admin.register(StageStandard)
class StageStandardAdmin(admin.ModelAdmin):
    form = StageStandardForm
    list_display = ("code", "stage", "direction", "to_stage", "priority", "active", "name")
    list_filter = ("stage", "direction", "active")


@admin.register(PipelineEntry)
class PipelineEntryAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "stage", "since", "entered_on", "service_officer")
    list_filter = ("stage",)
    search_fields = ("enterprise__name", "enterprise__uscc")
    raw_id_fields = ("enterprise",)


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "from_stage", "to_stage", "status", "year", "proposed_at")
    list_filter = ("status", "to_stage", "year")
    search_fields = ("enterprise__name",)
    raw_id_fields = ("enterprise",)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "kind", "date", "officer", "follow_up_on", "follow_up_done")
    list_filter = ("kind", "follow_up_done")
    raw_id_fields = ("enterprise",)


@admin.register(YearlyEvaluation)
class YearlyEvaluationAdmin(admin.ModelAdmin):
    list_display = ("enterprise", "year", "stage", "hnte_outcome")
    list_filter = ("year", "hnte_outcome")
    raw_id_fields = ("enterprise",)
