from importlib import import_module
from pathlib import Path

from auditlog.context import set_actor
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kechuang.core.problems import Rejected
from kechuang.web.demo import DEMO_PASSWORD, load_demo, remove_demo

DATA = settings.BASE_DIR / "data"

# Each app's demo, in the order they build on one another: experts before the calls they review,
# calls before the projects their approved applications become. Removal runs in reverse, since
# later records protect the organisations and users of earlier ones.
APP_DEMOS = [
    ("enterprises", "enterprise", "演示企业 / enterprises"),
    ("cultivation", "cultivation", "高企培育 / cultivation"),
    ("experts", "experts", "专家库 / experts"),
    ("calls", "calls", "项目申报 / calls"),
    ("reviews", "reviews", "专家评审 / reviews"),
    ("projects", "projects", "项目管理 / projects"),
    ("inspections", "inspections", "双随机抽查 / spot checks"),
    ("vouchers", "vouchers", "创新券 / vouchers"),
    ("policies", "policies", "政策 / policies"),
    ("talent", "talent", "人才 / talent"),
    ("carriers", "carriers", "创新载体 / carriers"),
    ("achievements", "achievements", "成果与技术合同 / achievements"),
    ("popularization", "popularization", "科普 / popularization"),
]


def _demo_function(app: str, name: str, verb: str):
    return getattr(import_module(f"kechuang.{app}.demo"), f"{verb}_{name}_demo")


def _summary(result) -> str:
    if isinstance(result, dict):
        return ", ".join(f"{k} {v}" for k, v in result.items())
    if hasattr(result, "__dict__"):
        return ", ".join(f"{k} {v}" for k, v in vars(result).items())
    return str(result)


class Command(BaseCommand):
    help = "载入演示数据（合成，带演示标记）/ Load the synthetic, flagged demo dataset."

    def add_arguments(self, parser):
        parser.add_argument(
            "--plan-file", type=Path, default=DATA / "plans" / "dushanzi-2021-2025.yaml"
        )
        parser.add_argument("--demo-file", type=Path, default=DATA / "demo" / "dushanzi-demo.yaml")
        parser.add_argument(
            "--remove", action="store_true", help="删除全部演示数据 / delete every demo record"
        )

    def handle(self, *args, plan_file: Path, demo_file: Path, remove: bool, **options):
        if remove:
            with transaction.atomic():
                for app, name, label in reversed(APP_DEMOS):
                    removed = _demo_function(app, name, "remove")()
                    self.stdout.write(f"已删除 / removed {label}: {_summary(removed)}")
                self.stdout.write(f"已删除 / removed plan demo: {_summary(remove_demo())}")
            return
        call_command("load-plan", str(plan_file), stdout=self.stdout, stderr=self.stderr)
        try:
            with set_actor(None):
                report = load_demo(demo_file)
                self.stdout.write(
                    f"演示数据 / demo: users +{report.users}, values +{report.values}, "
                    f"progress +{report.progress}, milestones done +{report.milestones_done}"
                )
                for app, name, label in APP_DEMOS:
                    result = _demo_function(app, name, "load")()
                    self.stdout.write(f"{label}: {_summary(result)}")
        except Rejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError("演示数据未载入 / demo data not loaded") from exc
        self.stdout.write(f"演示账号密码 / demo password: {DEMO_PASSWORD}")
