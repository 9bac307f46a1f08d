"""`kechuang cultivation reevaluate --year 2025`: the yearly re-evaluation from cron."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from kechuang.cultivation import services


class Command(BaseCommand):
    help = "高企培育库 / cultivation pipeline: `cultivation reevaluate [--year Y]`"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        re = sub.add_parser("reevaluate", help="年度复评，生成阶段调整提议 / propose stage moves")
        re.add_argument("--year", type=int, default=timezone.localdate().year - 1)

    def handle(self, *args, action: str, year: int, **options):
        report = services.propose_moves(year)
        self.stdout.write(
            f"{year} 年度复评 / re-evaluation: 评估 assessed {report.assessed}，"
            f"新增提议 proposed {report.proposed}，已有待确认 kept open {report.skipped_open}"
        )
        for stage, n in sorted(report.by_target.items()):
            self.stdout.write(f"  → {stage}: {n}")
