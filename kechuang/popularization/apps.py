from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopularizationConfig(AppConfig):
    name = "kechuang.popularization"
    label = "popularization"
    verbose_name = _("科学普及")

    def ready(self) -> None:
        # Events and their attachments are the bureau's record of the plan's 科普 work.
        from auditlog.registry import auditlog

        from kechuang.popularization.models import Event, EventAttachment

        for model in (Event, EventAttachment):
            auditlog.register(model)
