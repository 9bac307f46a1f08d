"""`kechuang assess RULESET FACTS.json` or `kechuang assess RULESET --uscc CODE`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.criteria import CODES, assess, facts_from_dict, result_to_dict, result_to_text
from kechuang.core.problems import Rejected


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD / bad date: {text}") from None


def _rejected(exc: Rejected) -> CommandError:
    lines = [f"{p.where}: {p.message_zh} / {p.message_en}" for p in exc.problems]
    return CommandError("事实数据有误 / invalid facts:\n" + "\n".join(lines))


class Command(BaseCommand):
    help = (
        "按认定标准评估企业 / assess an enterprise under a rule set: "
        "`assess hnte schemas/facts.example.json --format json` or `assess hnte --uscc CODE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("ruleset", choices=CODES)
        parser.add_argument("facts", nargs="?", type=Path, help="facts JSON file")
        parser.add_argument("--uscc", help="评估企业库中的企业 / assess a registry enterprise")
        parser.add_argument("--on", type=_day, help="评估日 / assessment day (default: today)")
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument("--lang", choices=("zh", "en"), default="zh")

    def handle(self, *args, ruleset, facts, uscc, on, format, lang, **options):
        if (facts is None) == (uscc is None):
            raise CommandError("请给出事实文件或 --uscc（二选一）/ give FACTS.json or --uscc")
        if facts is not None:
            try:
                data = json.loads(facts.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise CommandError(f"文件不存在 / no such file: {facts}") from None
            except json.JSONDecodeError as exc:
                raise CommandError(
                    f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）/ "
                    f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
                ) from None
            if not isinstance(data, dict):
                raise CommandError("$: 事实数据应为 JSON 对象 / facts must be a JSON object")
            try:
                enterprise_facts = facts_from_dict(data)
            except Rejected as exc:
                raise _rejected(exc) from None
            day = on or enterprise_facts.application_date or date.today()
        else:
            from kechuang.enterprises.facts import facts_for
            from kechuang.enterprises.models import Enterprise

            enterprise = Enterprise.objects.select_related("industry").filter(uscc=uscc).first()
            if enterprise is None:
                raise CommandError(f"企业库中没有 {uscc} / no enterprise {uscc}")
            day = on or date.today()
            enterprise_facts = facts_for(enterprise, on=day)
        try:
            result = assess(ruleset, enterprise_facts, on=day)
        except Rejected as exc:
            raise _rejected(exc) from None
        if format == "json":
            self.stdout.write(json.dumps(result_to_dict(result), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(result_to_text(result, lang), ending="")
