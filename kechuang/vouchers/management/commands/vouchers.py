"""`kechuang vouchers expire [--date YYYY-MM-DD]`: daily expiry of unused vouchers, from cron."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.ledger import wan
from kechuang.vouchers import services


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD / bad date: {text}") from None


class Command(BaseCommand):
    help = "科技创新券 / innovation vouchers: `vouchers expire [--date YYYY-MM-DD]`"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ex = sub.add_parser(
            "expire", help="过期未使用的创新券，额度收回 / expire unused vouchers past validity"
        )
        ex.add_argument("--date", type=_day, help="按该日处理 / as of this day (default: today)")

    def handle(self, *args, action: str, date: dt.date | None, **options):
        report = services.expire_vouchers(date)
        self.stdout.write(
            f"过期 expired {report.count} 张，收回 returned {wan(report.amount)}"
            f"（{report.amount} 元 yuan）"
        )
