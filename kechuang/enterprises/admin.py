"""The Django admin, for the bureau admin's repairs. Registration data edited here bypasses the
services' checks, so the USCC, organisation and import jobs are read-only."""

from django.contrib import admin

from kechuang.enterprises.models import (
    Certification,
    Enterprise,
    EnterpriseEvent,
    ImportJob,
    Industry,
    IntellectualProperty,
    Park,
    YearlyFigures,
)


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "size_category"]
    list_filter = ["level", "section", "size_category"]
    search_fields = ["code", "name"]


@admin.register(Park)
class ParkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_demo"]
    search_fields = ["code", "name"]


class FiguresInline(admin.TabularInline):
    model = YearlyFigures
    fields = ["year", "operating_revenue", "employees", "st_staff", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "industry", "park", "in_district", "is_demo"]
    list_filter = ["in_district", "is_demo", "park", "industry__section", "ownership"]
    search_fields = ["name", "uscc"]
    readonly_fields = ["uscc", "organization", "created_at", "updated_at"]
    raw_id_fields = ["industry", "service_officer"]
    inlines = [FiguresInline]


@admin.register(YearlyFigures)
class YearlyFiguresAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "year", "operating_revenue", "status", "is_demo"]
    list_filter = ["status", "year", "is_demo"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["enterprise", "entered_by", "approved_by"]


@admin.register(IntellectualProperty)
class IntellectualPropertyAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "kind", "number", "ip_class", "status", "valid"]
    list_filter = ["kind", "ip_class", "status", "valid"]
    search_fields = ["number", "title", "enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["enterprise"]


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "kind", "number", "issued_on", "expires_on"]
    list_filter = ["kind"]
    search_fields = ["number", "enterprise__name", "enterprise__uscc"]
    raw_id_fields = ["enterprise"]


@admin.register(EnterpriseEvent)
class EnterpriseEventAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "category", "kind", "level", "date", "name"]
    list_filter = ["category", "kind", "level"]
    raw_id_fields = ["enterprise", "recorded_by"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "status", "rows_total", "created_by", "created_at"]
    list_filter = ["kind", "status"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
