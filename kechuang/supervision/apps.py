from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "kechuang.supervision"
    label = "supervision"
    verbose_name = _("任务督办")

    def ready(self) -> None:
        # Audit trail: django-auditlog records every create/update/delete of these models.
        from auditlog.registry import auditlog

        from kechuang.supervision.models import Evidence, Milestone, ProgressReport, Supervision

        for model in (Milestone, ProgressReport, Evidence, Supervision):
            auditlog.register(model)
