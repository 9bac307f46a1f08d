from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "kechuang.inspections"
    label = "inspections"
    verbose_name = _("双随机抽查")

    def ready(self) -> None:
        # Every step of a spot check is on the record: who drew, scheduled, found and confirmed.
        from auditlog.registry import auditlog

        from kechuang.inspections import models as m

        for model in (
            m.InspectionPlan,
            m.PlanStateChange,
            m.Check,
            m.Assignment,
            m.CheckEvent,
            m.CheckFile,
        ):
            auditlog.register(model)
