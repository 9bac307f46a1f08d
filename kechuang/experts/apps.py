from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "kechuang.experts"
    label = "experts"
    verbose_name = _("专家库")

    def ready(self) -> None:
        # Audit trail for every change. The ID number's token and hash are left out (the masked
        # form is kept); a draw's record and result are fixed by the hash the entry does keep.
        from auditlog.registry import auditlog

        from kechuang.experts.models import Collaboration, Draw, Expert, Relationship

        auditlog.register(Expert, exclude_fields=["id_number_token", "id_number_hash"])
        auditlog.register(Relationship)
        auditlog.register(Collaboration)
        auditlog.register(Draw, exclude_fields=["record", "result", "seed_token"])
