from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "kechuang.talent"
    label = "talent"
    verbose_name = _("人才计划")

    def ready(self) -> None:
        # Nominations, scores and selections decide who gets public support: keep every trail.
        # The ID number's token and hash stay out of the log (the masked form is kept).
        from auditlog.registry import auditlog

        from kechuang.talent.models import (
            Talent,
            TalentApplication,
            TalentAssignment,
            TalentCall,
            TalentCriterion,
            TalentProgram,
            TalentScore,
            TalentStateChange,
        )

        for model in (
            TalentProgram,
            TalentCall,
            TalentCriterion,
            TalentStateChange,
            TalentAssignment,
            TalentScore,
            Talent,
        ):
            auditlog.register(model)
        auditlog.register(TalentApplication, exclude_fields=["id_number_token", "id_number_hash"])
