from pathlib import Path

from auditlog.context import set_actor
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.problems import Rejected
from kechuang.indicators.services import import_values
from kechuang.indicators.spreadsheets import read_rows


class Command(BaseCommand):
    help = "数据导入 / Data values: `data import FILE` (csv or xlsx)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入 csv/xlsx 数据文件 / import a csv or xlsx file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--user", required=True, help="以该用户名义导入 / import as this user")
        imp.add_argument("--source", default="", help="行内未填来源时使用 / default source")
        imp.add_argument(
            "--approve",
            action="store_true",
            help="直接审核通过（需审核权限）/ approve at once (needs approval permission)",
        )

    def handle(
        self, *args, action: str, file: Path, user: str, source: str, approve: bool, **options
    ):
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"没有用户 {user} / no active user {user}")
        try:
            rows = read_rows(file)
            with set_actor(account):
                result = import_values(
                    account, rows, file_name=file.name, default_source=source, approve=approve
                )
        except Rejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError(
                f"未导入任何数据，共 {len(exc.problems)} 处问题 / nothing imported: "
                f"{len(exc.problems)} problem(s)"
            ) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"新增 created {result.created}，更新 updated {result.updated}，"
            f"未变 unchanged {result.unchanged}，已审核 approved {result.approved}"
        )
