from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultivationConfig(AppConfig):
    name = "kechuang.cultivation"
    label = "cultivation"
    verbose_name = _("高企培育")

    def ready(self) -> None:
        # Stage changes and service records are decisions about enterprises: keep their trail.
        from auditlog.registry import auditlog

        from kechuang.cultivation.models import (
            PipelineEntry,
            ServiceRecord,
            StageChange,
            StageStandard,
        )

        for model in (PipelineEntry, StageChange, StageStandard, ServiceRecord):
            auditlog.register(model)
