from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "kechuang.policies"
    label = "policies"
    verbose_name = _("政策服务")

    def ready(self) -> None:
        # The catalog and every decision about enterprises keep their trail. Matches are derived
        # data, replaced by each run; the MatchRun records who ran it and when.
        from auditlog.registry import auditlog

        from kechuang.policies.models import (
            ApplicationChange,
            MatchRun,
            Policy,
            PolicyApplication,
            PolicyBenefit,
            PolicyPush,
            PolicyStateChange,
            Roster,
            RosterEntry,
        )

        for model in (
            Policy,
            PolicyBenefit,
            PolicyStateChange,
            MatchRun,
            PolicyApplication,
            ApplicationChange,
            PolicyPush,
            Roster,
            RosterEntry,
        ):
            auditlog.register(model)
