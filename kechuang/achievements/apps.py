from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AchievementsConfig(AppConfig):
    name = "kechuang.achievements"
    label = "achievements"
    verbose_name = _("成果与技术合同")
