import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.problems import Rejected
from kechuang.enterprises.imports import FileRejected, import_file
from kechuang.enterprises.models import ImportJob


class Command(BaseCommand):
    help = "企业库 / Enterprise registry: `enterprises import FILE --kind K --user NAME`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="导入 xlsx/csv 文件 / import an xlsx or csv file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--kind", required=True, choices=ImportJob.Kind.values)
        imp.add_argument("--user", required=True, help="以该用户名义导入 / import as this user")
        imp.add_argument(
            "--approve",
            action="store_true",
            help="年度数据直接审核通过（需审核权限）/ approve figures at once",
        )

    def handle(self, *args, action: str, file: Path, kind: str, user: str, approve: bool, **o):
        from auditlog.context import set_actor

        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"没有用户 {user} / no active user {user}")
        if not file.exists():
            raise CommandError(f"文件不存在 / no such file: {file}")
        started = time.monotonic()
        last = [0.0]

        def progress(phase: str, checked: int, done: int, total: int) -> None:
            now = time.monotonic()
            if now - last[0] < 0.5 and not (phase == "writing" and done == total):
                return
            last[0] = now
            label = "校验 checking" if phase == "checking" else "写入 writing"
            count = checked if phase == "checking" else done
            shown = f"{count}/{total}" if total else str(count)
            self.stdout.write(f"\r{label} {shown}", ending="")
            self.stdout.flush()

        try:
            with set_actor(account):
                result = import_file(account, file, kind, approve=approve, progress=progress)
        except FileRejected as exc:
            self.stdout.write("")
            for p in exc.problems:
                self.stderr.write(str(p))
            more = exc.count - len(exc.problems)
            if more > 0:
                self.stderr.write(f"……另有 {more} 处问题 / {more} more problem(s)")
            raise CommandError(
                f"未导入任何数据：{exc.rows} 行中共 {exc.count} 处问题 / nothing imported: "
                f"{exc.count} problem(s) in {exc.rows} row(s)"
            ) from exc
        except Rejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError("未导入任何数据 / nothing imported") from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("")
        self.stdout.write(
            f"{result.rows} 行 rows：新增 created {result.created}，更新 updated "
            f"{result.updated}，未变 unchanged {result.unchanged}"
            f"（{time.monotonic() - started:.1f} s）"
        )
        sys.stdout.flush()
