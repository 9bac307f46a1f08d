from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = _("账户与单位")

    def ready(self) -> None:
        # Audit trail: django-auditlog records every create/update/delete of these models.
        from auditlog.registry import auditlog

        from kechuang.accounts.models import Organization, User

        auditlog.register(Organization)
        auditlog.register(User, exclude_fields=["password", "last_login"])
