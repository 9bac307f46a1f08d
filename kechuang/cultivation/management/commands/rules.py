"""`kechuang rules`: every rule set version with its effective period."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from kechuang.core.criteria import list_rule_sets


class Command(BaseCommand):
    help = "列出认定规则集及其有效期 / list rule sets, versions and effective periods"

    def handle(self, *args, **options):
        for info in list_rule_sets():
            start = info.effective_from.isoformat() if info.effective_from else "…"
            end = info.effective_to.isoformat() if info.effective_to else "至今 / in force"
            flags = []
            if info.needs_confirmation:
                flags.append("⚠ 待核对 / needs confirmation")
            if not info.modelled:
                flags.append("未建模 / not modelled")
            self.stdout.write(
                f"{info.code:<16} {info.version:<24} {start} – {end}  "
                f"{info.name_zh} / {info.name_en}  {info.source}"
                + (("  " + "；".join(flags)) if flags else "")
            )
