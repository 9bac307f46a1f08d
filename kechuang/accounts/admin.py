from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from kechuang.accounts.models import Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "phone", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "organization", "is_active"]
    list_filter = ["role", "is_active", "organization"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Kechuang", {"fields": ("role", "organization", "display_name", "is_demo")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Kechuang", {"fields": ("role", "organization", "display_name")}),
    )
