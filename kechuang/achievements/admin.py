"""The Django admin, for the bureau admin's repairs; edits here bypass the services' checks
(and do not rebuild an achievement's search tokens)."""

from django.contrib import admin

from kechuang.achievements.models import Achievement, TechContract


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ["title", "field", "trl", "year", "transfer_status", "is_public", "is_demo"]
    list_filter = ["is_public", "transfer_status", "field", "is_demo"]
    search_fields = ["title"]
    filter_horizontal = ["owners"]
    raw_id_fields = ["ip", "projects", "created_by"]


@admin.register(TechContract)
class TechContractAdmin(admin.ModelAdmin):
    list_display = [
        "registration_number",
        "registered_on",
        "kind",
        "seller_name",
        "buyer_name",
        "amount",
        "trade_value",
        "seller_in_district",
    ]
    list_filter = ["year", "kind", "seller_in_district", "is_demo"]
    search_fields = ["registration_number", "title", "seller_name", "buyer_name"]
    raw_id_fields = ["seller", "buyer", "achievement", "created_by"]
