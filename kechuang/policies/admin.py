from django.contrib import admin
from django.core.exceptions import ValidationError

from kechuang.core import conditions as C
from kechuang.policies import search
from kechuang.policies.models import (
    MatchRun,
    Policy,
    PolicyApplication,
    PolicyBenefit,
    PolicyMatch,
    PolicyPush,
    Roster,
    RosterEntry,
)


class PolicyForm(admin.ModelAdmin.form):
    def clean_conditions(self):
        value = self.cleaned_data["conditions"]
        if value in (None, "", {}):
            return None
        problems = C.check(value)
        if problems:
            raise ValidationError([f"{p.where}: {p.message_zh} / {p.message_en}" for p in problems])
        return C.compile_condition(value).data


class BenefitInline(admin.TabularInline):
    model = PolicyBenefit
    extra = 0


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """The pages at /policies/manage/ are the bureau's way in; the admin checks conditions the
    same way and rebuilds the search tokens on save."""

    form = PolicyForm
    inlines = [BenefitInline]
    list_display = ("title", "code", "level", "category", "state", "auto_grant", "expires_on")
    list_filter = ("level", "category", "state", "auto_grant")
    search_fields = ("title", "code", "document_number", "issuer", "department")

    def save_model(self, request, obj, form, change):
        for key, value in search.documents(obj).items():
            setattr(obj, key, value)
        super().save_model(request, obj, form, change)


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = ("matched_on", "status", "total", "done", "eligible", "possibly", "created_at")
    readonly_fields = [f.name for f in MatchRun._meta.fields]


@admin.register(PolicyMatch)
class PolicyMatchAdmin(admin.ModelAdmin):
    list_display = ("policy", "enterprise", "verdict", "matched_on")
    list_filter = ("verdict", "policy")
    search_fields = ("enterprise__name", "enterprise__uscc")
    raw_id_fields = ("enterprise", "policy", "run")


@admin.register(PolicyApplication)
class PolicyApplicationAdmin(admin.ModelAdmin):
    list_display = ("policy", "enterprise", "status", "via", "amount", "granted_on")
    list_filter = ("status", "via", "policy")
    search_fields = ("enterprise__name", "enterprise__uscc")
    raw_id_fields = ("enterprise", "policy")


@admin.register(PolicyPush)
class PolicyPushAdmin(admin.ModelAdmin):
    list_display = ("policy", "enterprise", "recipients", "pushed_by", "pushed_at")
    raw_id_fields = ("enterprise", "policy")


class RosterEntryInline(admin.TabularInline):
    model = RosterEntry
    extra = 0
    raw_id_fields = ("enterprise", "application")


@admin.register(Roster)
class RosterAdmin(admin.ModelAdmin):
    list_display = ("policy", "period_start", "period_end", "status", "prepared_by", "decided_by")
    list_filter = ("status",)
    inlines = [RosterEntryInline]
