from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PopularizationConfig(AppConfig):
    name = "kechuang.popularization"
    label = "popularization"
    verbose_name = _("科学普及")
