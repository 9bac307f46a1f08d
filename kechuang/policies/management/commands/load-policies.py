"""`kechuang load-policies [FILE ...] [--update]`: load the policy catalog from YAML."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.problems import Rejected
from kechuang.policies.loader import DEFAULT_DIR, load_policies


class Command(BaseCommand):
    help = (
        "载入政策库 / load the policy catalog (default: every data/policies/*.yaml). Existing "
        "policies are kept as edited in the platform unless --update is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path)
        parser.add_argument(
            "--update",
            action="store_true",
            help="用文件内容覆盖已有政策 / overwrite existing policies from the files",
        )

    def handle(self, *args, files: list[Path], update: bool, **options):
        for f in files:
            if not f.exists():
                raise CommandError(f"文件不存在 / no such file: {f}")
        try:
            report = load_policies(files or None, update=update)
        except Rejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError("未载入任何政策 / nothing loaded") from exc
        source = ", ".join(map(str, files)) if files else str(DEFAULT_DIR)
        self.stdout.write(
            f"{source}: 新增 created {report.created}，更新 updated {report.updated}，"
            f"保留 kept {report.kept}，到期失效 expired {report.expired}"
        )
