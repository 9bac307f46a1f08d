from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "kechuang.achievements"
    label = "achievements"
    verbose_name = _("成果与技术合同")

    def ready(self) -> None:
        # Achievements and registered contracts are the bureau's record; contract imports write
        # in bulk and record their entries themselves (audit.services.log_bulk).
        from auditlog.registry import auditlog

        from kechuang.achievements.models import Achievement, TechContract

        auditlog.register(
            Achievement,
            exclude_fields=["search_title", "search_summary", "search_body"],
            m2m_fields={"owners", "ip", "projects"},
        )
        auditlog.register(TechContract)
