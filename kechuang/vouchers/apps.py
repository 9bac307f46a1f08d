from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "kechuang.vouchers"
    label = "vouchers"
    verbose_name = _("科技创新券")

    def ready(self) -> None:
        # Every change to schemes, vouchers and claims leaves an audit entry; the ledger keeps
        # its own append-only trail and is audited as well.
        from auditlog.registry import auditlog

        from kechuang.vouchers.models import (
            LedgerEntry,
            Provider,
            Redemption,
            RedemptionFile,
            Scheme,
            Service,
            Voucher,
            VoucherApplication,
            VoucherEvent,
        )

        for model in (
            Scheme,
            Provider,
            Service,
            VoucherApplication,
            Voucher,
            VoucherEvent,
            Redemption,
            RedemptionFile,
            LedgerEntry,
        ):
            auditlog.register(model)
