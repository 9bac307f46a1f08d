from pathlib import Path

from auditlog.context import set_actor
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.problems import Rejected
from kechuang.enterprises.codes import INDUSTRY_FILE, load_industry_codes


class Command(BaseCommand):
    help = "载入代码表（GB/T 4754-2017 国民经济行业分类）/ Load the code lists (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--industries", type=Path, default=INDUSTRY_FILE)

    def handle(self, *args, industries: Path, **options):
        try:
            with set_actor(None):
                report = load_industry_codes(industries)
        except Rejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError("代码表未载入 / code list not loaded") from exc
        levels = "，".join(f"{k} {v}" for k, v in report.by_level.items())
        self.stdout.write(
            f"{industries.name}: {levels}；新增 created {report.created}，更新 updated "
            f"{report.updated}，未变 unchanged {report.unchanged}"
        )
