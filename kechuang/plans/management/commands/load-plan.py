from pathlib import Path

from auditlog.context import set_actor
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.problems import Rejected
from kechuang.plans.loader import load_plan


class Command(BaseCommand):
    help = (
        "载入（或更新）一个规划 YAML 文件 / Load or update a plan from its YAML file (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--prune",
            action="store_true",
            help="删除文件中已不存在的指标与任务 / delete items no longer in the file",
        )

    def handle(self, *args, file: Path, prune: bool, **options):
        try:
            with set_actor(None):
                report = load_plan(file, prune=prune)
        except Rejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError(
                f"规划文件未载入，共 {len(exc.problems)} 处问题 / plan not loaded: "
                f"{len(exc.problems)} problem(s)"
            ) from exc
        if not report.changed:
            self.stdout.write(f"{report.plan_code}: 无变化 / unchanged")
        for kind, n in report.created.items():
            self.stdout.write(f"{report.plan_code}: 新增 / created {kind} {n}")
        for kind, n in report.updated.items():
            self.stdout.write(f"{report.plan_code}: 更新 / updated {kind} {n}")
        for item in report.not_in_file:
            self.stdout.write(
                f"文件中已无、数据库中保留（用 --prune 删除）/ kept, not in file: {item}"
            )
        for w in report.warnings:
            self.stdout.write(f"注意 / note: {w}")
