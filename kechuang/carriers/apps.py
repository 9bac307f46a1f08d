from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "kechuang.carriers"
    label = "carriers"
    verbose_name = _("创新载体")

    def ready(self) -> None:
        # Recognitions, status changes and yearly figures are the bureau's record: keep a trail.
        from auditlog.registry import auditlog

        from kechuang.carriers.models import (
            Carrier,
            CarrierMetrics,
            CarrierMetricsLog,
            CarrierStatusChange,
        )

        for model in (Carrier, CarrierStatusChange, CarrierMetrics, CarrierMetricsLog):
            auditlog.register(model)
