"""`kechuang policies match [--on DATE]` and `kechuang policies expire`: from cron or by hand."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from kechuang.policies import services


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD / bad date: {text}") from None


class Command(BaseCommand):
    help = (
        "政策服务 / policies: `policies match [--on DATE]` matches every policy in force against "
        "every registry enterprise; `policies expire` marks policies past their last day expired."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        match = sub.add_parser("match", help="政策匹配 / match policies and enterprises")
        match.add_argument("--on", type=_day, help="匹配日 / matching day (default: today)")
        sub.add_parser("expire", help="标记到期政策 / mark expired policies")

    def handle(self, *args, action: str, **options):
        if action == "expire":
            self.stdout.write(f"到期失效 expired: {services.expire_due()}")
            return
        started = time.monotonic()
        report = services.match_all(options.get("on"))
        self.stdout.write(
            f"{report.matched_on}: {report.policies} 项政策 policies × {report.enterprises} 家企业 "
            f"enterprises → 符合 eligible {report.eligible}，可能符合 possibly {report.possibly}"
            f"（{time.monotonic() - started:.1f} s）"
        )
