from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "kechuang.reviews"
    label = "reviews"
    verbose_name = _("专家评审")

    def ready(self) -> None:
        # Who reviewed what, every version of every score, every decision: keep the trail. A
        # panel's stored result is left out: it follows from the scores the trail does keep.
        from auditlog.registry import auditlog

        from kechuang.reviews.models import Assignment, Decision, Notice, Panel, Score

        auditlog.register(Panel, exclude_fields=["result"])
        for model in (Assignment, Score, Decision, Notice):
            auditlog.register(model)
