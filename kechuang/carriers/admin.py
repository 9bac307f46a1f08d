"""The Django admin, for the bureau admin's repairs; edits here bypass the services' checks."""

from django.contrib import admin

from kechuang.carriers.models import Carrier, CarrierMetrics, CarrierMetricsLog


class MetricsInline(admin.TabularInline):
    model = CarrierMetrics
    fields = ["year", "status", "firms_incubating", "firms_graduated", "staff", "patents"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "host", "recognised_on", "status", "is_public"]
    list_filter = ["kind", "level", "status", "is_public", "is_demo"]
    search_fields = ["name", "host__name"]
    raw_id_fields = ["host"]
    inlines = [MetricsInline]


@admin.register(CarrierMetrics)
class CarrierMetricsAdmin(admin.ModelAdmin):
    list_display = ["carrier", "year", "status", "submitted_at", "approved_at"]
    list_filter = ["status", "year", "is_demo"]
    search_fields = ["carrier__name"]
    raw_id_fields = ["carrier", "submitted_by", "approved_by"]


@admin.register(CarrierMetricsLog)
class CarrierMetricsLogAdmin(admin.ModelAdmin):
    list_display = ["metrics", "action", "actor", "at"]
    list_filter = ["action"]
    readonly_fields = ["metrics", "action", "values", "comment", "actor", "at"]
