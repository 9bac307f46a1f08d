from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kechuang.reports"
    label = "reports"
    verbose_name = _("评估报告")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from kechuang.reports.models import Report

        auditlog.register(Report)
