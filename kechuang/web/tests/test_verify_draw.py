"""`kechuang verify-draw` recomputes an exported draw: OK, or the first difference."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kechuang.core import draw

SEED = bytes(range(32))


def export(tmp_path, change=None):
    record = draw.DrawRecord(
        draw_id="DRAW-T",
        purpose="test",
        pool=tuple(draw.Candidate(f"e{i}", {"organisation": f"O{i % 3}"}) for i in range(6)),
        exclusions={"e1": "same organisation as the applicant"},
        k=2,
        commitment=draw.commitment(SEED),
        max_per={"organisation": 1},
    )
    data = draw.export_json(record, SEED, draw.run_draw(record, SEED))
    if change:
        change(data)
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_untouched_export_verifies(tmp_path):
    out = StringIO()
    call_command("verify-draw", str(export(tmp_path)), stdout=out)
    assert out.getvalue().strip() == "OK"


def test_changing_one_candidate_fails_with_a_clear_message(tmp_path):
    def change(data):
        data["record"]["pool"][0]["id"] = "intruder"

    with pytest.raises(CommandError, match=r"after the commitment|承诺"):
        call_command("verify-draw", str(export(tmp_path, change)))
