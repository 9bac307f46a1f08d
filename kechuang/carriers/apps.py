from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CarriersConfig(AppConfig):
    name = "kechuang.carriers"
    label = "carriers"
    verbose_name = _("创新载体")
