from pathlib import Path

from auditlog.context import set_actor
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.problems import Rejected
from kechuang.cultivation.demo import load_cultivation_demo, remove_cultivation_demo
from kechuang.enterprises.demo import load_enterprise_demo, remove_enterprise_demo
from kechuang.web.demo import DEMO_PASSWORD, load_demo, remove_demo

DATA = settings.BASE_DIR / "data"


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
            # Cultivation first: its service records protect the officers' demo accounts.
            removed = [
                *remove_cultivation_demo().items(),
                *remove_enterprise_demo().items(),
                *remove_demo().items(),
            ]
            for kind, n in removed:
                self.stdout.write(f"已删除 / removed {kind}: {n}")
            return
        call_command("load-plan", str(plan_file), stdout=self.stdout, stderr=self.stderr)
        try:
            with set_actor(None):
                report = load_demo(demo_file)
                enterprises = load_enterprise_demo()
                cultivation = load_cultivation_demo()
        except Rejected as exc:
            for p in exc.problems:
                self.stderr.write(str(p))
            raise CommandError("演示数据未载入 / demo data not loaded") from exc
        self.stdout.write(
            f"演示数据 / demo: users +{report.users}, values +{report.values}, "
            f"progress +{report.progress}, milestones done +{report.milestones_done}"
        )
        added = ", ".join(f"{k} +{v}" for k, v in vars(enterprises).items())
        self.stdout.write(f"演示企业 / demo enterprises: {added}")
        self.stdout.write(
            f"演示培育 / demo cultivation: entries {cultivation.entries}, "
            f"pending proposals {cultivation.proposals_pending}, services {cultivation.services}, "
            f"overdue follow-ups {cultivation.overdue}"
        )
        self.stdout.write(f"演示账号密码 / demo password: {DEMO_PASSWORD}")
