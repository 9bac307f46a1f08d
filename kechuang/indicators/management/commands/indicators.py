import json

from django.core.management.base import BaseCommand, CommandError

from kechuang.indicators.models import OrgUnit
from kechuang.indicators.presenters import plan_result_json
from kechuang.indicators.selectors import compute_plan
from kechuang.plans.models import Plan


class Command(BaseCommand):
    help = "计算规划指标的数值与状态 / Compute a plan's indicators with value, target and status."

    def add_arguments(self, parser):
        parser.add_argument("--plan", required=True, help="规划代码 / plan code")
        parser.add_argument("--year", type=int, help="只显示该年 / show only this year")
        parser.add_argument(
            "--org-unit", help="区域代码，默认规划区域 / org unit (default: region)"
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args, plan: str, year, org_unit, format: str, **options):
        p = Plan.objects.select_related("region").filter(code=plan).first()
        if p is None:
            known = ", ".join(Plan.objects.values_list("code", flat=True)) or "—"
            raise CommandError(f"没有规划 {plan}（已有：{known}）/ no plan {plan} (known: {known})")
        unit = p.region
        if org_unit:
            unit = OrgUnit.objects.filter(code=org_unit).first()
            if unit is None:
                raise CommandError(f"没有区域 {org_unit} / no org unit {org_unit}")
        if year is not None and year not in p.years:
            raise CommandError(
                f"{year} 不在规划年份 {p.years.start}–{p.years.stop - 1} 内 / "
                f"{year} is outside the plan's years"
            )
        result = compute_plan(p, unit, as_of_year=year)
        data = plan_result_json(result, as_of=year)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{p.title}  [{p.code}]  {unit.name}")
        header = f"{'#':>2}  {'代码 code':<22} {'值 value':>14} {'目标 target':>14}  状态 status"
        self.stdout.write(header)
        self.stdout.write("-" * len(header.encode("gbk", "replace")))
        for ind in data["indicators"]:
            self.stdout.write(
                f"{ind['number'] or '':>2}  {ind['code']:<22} {ind['value'] or '—':>14} "
                f"{ind['target']['display']:>14}  "
                f"{ind['status']['label_zh']} {ind['status']['code']}"
            )
