from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "kechuang.enterprises"
    label = "enterprises"
    verbose_name = _("企业库")

    def ready(self) -> None:
        # Audit trail: django-auditlog records every create/update/delete of these models;
        # imports write in bulk and record their entries themselves (audit.services.log_bulk).
        from auditlog.registry import auditlog

        from kechuang.enterprises.models import (
            Certification,
            Enterprise,
            EnterpriseEvent,
            IntellectualProperty,
            Park,
            YearlyFigures,
        )

        for model in (
            Park,
            Enterprise,
            YearlyFigures,
            IntellectualProperty,
            Certification,
            EnterpriseEvent,
        ):
            auditlog.register(model)
