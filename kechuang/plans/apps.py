from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "kechuang.plans"
    label = "plans"
    verbose_name = _("规划")

    def ready(self) -> None:
        # Audit trail: django-auditlog records every create/update/delete of these models.
        from auditlog.registry import auditlog

        from kechuang.plans.models import Indicator, Plan, TaskNode, ValidationRule

        for model in (Plan, Indicator, ValidationRule):
            auditlog.register(model)
        auditlog.register(TaskNode, m2m_fields={"co_departments"})
