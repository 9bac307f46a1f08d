import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.draw import verify


class Command(BaseCommand):
    help = (
        "重算一次公开的随机抽取并核对 / Recompute an exported random draw and check it "
        "(docs/draw-protocol.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "record", type=Path, help="导出的抽取记录 JSON / the exported draw JSON"
        )
        parser.add_argument(
            "--record-sha256",
            help="抽取前与承诺值一同公布的记录哈希 / record hash announced with the commitment",
        )

    def handle(self, *args, record: Path, record_sha256: str | None, **options):
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{record}: 无法读取 JSON / cannot read JSON: {exc}") from exc
        report = verify(data, published_record_sha256=record_sha256)
        if not report.ok:
            raise CommandError(str(report))
        self.stdout.write("OK")
