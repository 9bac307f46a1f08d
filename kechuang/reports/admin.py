"""Reports in the Django admin, read-only: files and hashes are written by generation alone."""

from django.contrib import admin

from kechuang.reports.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version", "state", "progress", "created_by", "created_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
