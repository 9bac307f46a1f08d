from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kechuang.indicators"
    label = "indicators"
    verbose_name = _("指标监测")

    def ready(self) -> None:
        # Audit trail: django-auditlog records every create/update/delete of these models.
        from auditlog.registry import auditlog

        from kechuang.indicators.models import DataElement, DataValue, OrgUnit

        for model in (OrgUnit, DataElement, DataValue):
            auditlog.register(model)
