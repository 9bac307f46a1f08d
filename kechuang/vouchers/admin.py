"""The Django admin, for the bureau admin's repairs. Money lives in the append-only ledger, so
ledger entries, vouchers and claims are read-only here; changes go through the services."""

from django.contrib import admin

from kechuang.vouchers.models import (
    LedgerEntry,
    Provider,
    Redemption,
    Scheme,
    Service,
    Voucher,
    VoucherApplication,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(ReadOnly):
    list_display = ["year", "name", "budget", "cap", "subsidy_ratio", "state", "is_demo"]
    list_filter = ["year", "state"]


class ServiceInline(admin.TabularInline):
    model = Service
    fields = ["category", "name", "price_note", "active"]
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "contact_name", "contact_phone", "approved", "is_demo"]
    list_filter = ["approved"]
    search_fields = ["name", "uscc"]
    readonly_fields = ["organization", "uscc", "approved", "approved_by", "approved_at"]
    inlines = [ServiceInline]


@admin.register(VoucherApplication)
class VoucherApplicationAdmin(ReadOnly):
    list_display = ["enterprise", "scheme", "amount", "state", "submitted_at"]
    list_filter = ["state", "scheme"]
    search_fields = ["enterprise__name"]


@admin.register(Voucher)
class VoucherAdmin(ReadOnly):
    list_display = ["number", "enterprise", "scheme", "face_amount", "expires_on", "state"]
    list_filter = ["state", "scheme"]
    search_fields = ["number", "enterprise__name"]


@admin.register(Redemption)
class RedemptionAdmin(ReadOnly):
    list_display = ["voucher", "provider", "contract_no", "subsidy", "state", "submitted_on"]
    list_filter = ["state"]
    search_fields = ["voucher__number", "contract_no", "invoice_no"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ["posted_on", "scheme", "kind", "debit", "credit", "amount", "voucher", "actor"]
    list_filter = ["scheme", "kind"]
    search_fields = ["voucher__number"]
