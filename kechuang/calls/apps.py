from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "kechuang.calls"
    label = "calls"
    verbose_name = _("项目申报")

    def ready(self) -> None:
        # Calls and applications decide who may get public money: keep every change's trail.
        from auditlog.registry import auditlog

        from kechuang.calls.models import (
            Application,
            Attachment,
            Call,
            CallSection,
            Criterion,
            Program,
            StateChange,
        )

        for model in (Program, Call, CallSection, Criterion, Attachment, StateChange):
            auditlog.register(model)
        auditlog.register(Application, m2m_fields={"co_applicants"})
