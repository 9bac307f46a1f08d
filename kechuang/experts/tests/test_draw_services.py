"""Draws: committed with a published hash, drawn once, exported, verified by verify-draw."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from kechuang.core import draw as D
from kechuang.core.problems import Rejected
from kechuang.experts import identity, services
from kechuang.experts.models import Draw, DrawChoice

FIELDS = ["新材料"]


@pytest.fixture
def library(make_expert, org):
    """Ten experts: two units of two, six single; one from the applicant, one outside the field."""
    units = ["甲所", "甲所", "乙所", "乙所", "丙", "丁", "戊", "己", "庚", "辛"]
    experts = [make_expert(n, organization_name=u) for n, u in enumerate(units, start=1)]
    make_expert(11, organization=org)  # same unit as the applicant
    make_expert(12, organization_name="壬", fields=["航空航天"])  # no field overlap
    return experts


def make(user, org, k=3, **kw):
    candidates, exclusions = services.expert_pool(
        fields=FIELDS, applicant_orgs=[org], on=timezone.localdate()
    )
    kw.setdefault("max_per", services.DEFAULT_MAX_PER)
    kw.setdefault("require_field_overlap", True)
    kw.setdefault("application_fields", FIELDS)
    return services.create_draw(
        user,
        purpose="项目评审专家抽取",
        kind="review",
        candidates=candidates,
        exclusions=exclusions,
        k=k,
        subject=org,
        subject_label="2026 年科技计划项目 A",
        **kw,
    )


def test_a_new_draw_publishes_commitment_and_hash_and_keeps_the_seed_secret(
    staff_user, library, org
):
    draw = make(staff_user, org)
    year = timezone.localdate().year
    assert draw.draw_id == f"DR-{year}-0001" and draw.state == Draw.State.COMMITTED
    record = D.record_from_json(draw.record)
    assert draw.record == D.record_to_json(record)
    assert draw.record_sha256 == D.record_sha256(record)
    assert record.commitment == draw.commitment and record.draw_id == draw.draw_id
    assert draw.pool_size == 12 and draw.excluded == 1 and draw.k == 3
    assert draw.seed_hex == "" and draw.result is None
    seed = bytes.fromhex(identity.decrypt(draw.seed_token))
    assert D.commitment(seed) == draw.commitment
    assert draw.subject == org and draw.subject_label == "2026 年科技计划项目 A"
    assert make(staff_user, org).draw_id == f"DR-{year}-0002"


def test_creating_a_draw_is_audited_without_the_record_or_seed(staff_user, library, org):
    # The actor comes from the request (the middleware) or the command, as for every write.
    with set_actor(staff_user):
        draw = make(staff_user, org)
    entry = LogEntry.objects.get_for_object(draw).get()
    assert entry.actor == staff_user
    assert "record_sha256" in entry.changes and "seed_token" not in entry.changes
    assert '"pool"' not in json.dumps(entry.changes)


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_creates_and_performs_draws(request, who, staff_user, library, org):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        make(user, org)
    draw = make(staff_user, org)
    with pytest.raises(PermissionDenied):
        services.perform_draw(user, draw)
    draw.refresh_from_db()
    assert draw.state == Draw.State.COMMITTED


def test_a_bad_draw_is_refused_with_every_reason_and_nothing_stored(staff_user, library):
    with pytest.raises(Rejected) as info:
        services.create_draw(
            staff_user,
            purpose=" ",
            kind="lottery",
            candidates=[D.Candidate("a", {}), D.Candidate("a", {})],
            exclusions={"zz": "x"},
            k=0,
            max_per={"organisation": 1},
        )
    wheres = [p.where for p in info.value.problems]
    assert wheres[:2] == ["purpose", "kind"]
    assert {"pool.a", "exclusions.zz", "k", "pool.a.organisation"} <= set(wheres)
    assert not Draw.objects.exists()


def test_performing_publishes_the_result_and_the_seed(staff_user, library, org):
    draw = services.perform_draw(staff_user, make(staff_user, org))
    assert draw.state == Draw.State.PUBLISHED and draw.drawn_by == staff_user
    seed = bytes.fromhex(draw.seed_hex)
    result = D.run_draw(D.record_from_json(draw.record), seed)
    assert draw.result == D.result_to_json(result)
    assert services.chosen(draw) == list(result.chosen) and len(result.chosen) == 3
    assert services.alternates(draw) == list(result.alternates)
    assert list(DrawChoice.objects.filter(draw=draw).values_list("candidate", flat=True)) == list(
        result.chosen
    )
    entry = LogEntry.objects.get_for_object(draw).filter(action=LogEntry.Action.UPDATE).get()
    assert set(entry.changes) >= {"state", "seed_hex", "drawn_at"}


def test_the_draw_honours_units_fields_and_exclusions(staff_user, library, org):
    draw = services.perform_draw(staff_user, make(staff_user, org, k=8))
    record = D.record_from_json(draw.record)
    units = {c.id: c.attributes["organisation"] for c in record.pool}
    chosen = services.chosen(draw)
    assert len({units[c] for c in chosen}) == len(chosen)  # one per unit
    assert "E00011" not in chosen + services.alternates(draw)  # the applicant's own unit
    assert "E00012" not in chosen  # 航空航天 only
    skipped = {s["candidate"]: s["rule"] for s in draw.result["skipped"]}
    assert skipped["E00012"] == "field_overlap"
    # Eight units qualify (甲所, 乙所, 丙 … 辛), so k = 8 is met exactly.
    assert len(chosen) == 8 and draw.result["shortfall"] == 0


def test_two_clicks_draw_once(staff_user, library, org):
    draw = make(staff_user, org)
    stale = Draw.objects.get(pk=draw.pk)
    first = services.perform_draw(staff_user, draw)
    with pytest.raises(Rejected) as info:
        services.perform_draw(staff_user, stale)  # still says "committed" in memory
    assert "already been made" in info.value.problems[0].message_en
    stale.refresh_from_db()
    assert stale.result == first.result and stale.seed_hex == first.seed_hex
    assert DrawChoice.objects.filter(draw=draw).count() == 3


def test_a_record_changed_after_commitment_is_not_drawn(staff_user, library, org):
    draw = make(staff_user, org)
    record = dict(draw.record, exclusions={})
    Draw.objects.filter(pk=draw.pk).update(record=record)
    with pytest.raises(Rejected) as info:
        services.perform_draw(staff_user, draw)
    assert "no longer matches its published hash" in info.value.problems[0].message_en


def test_experts_by_code_keeps_the_given_order(library):
    got = services.experts_by_code(["E00003", "E00001", "E09999", "E00002"])
    assert [e.code for e in got] == ["E00003", "E00001", "E00002"]


def test_the_export_is_refused_before_the_draw(staff_user, library, org):
    with pytest.raises(Rejected) as info:
        services.export_draw(make(staff_user, org))
    assert "seed is still secret" in info.value.problems[0].message_en


# --- the round trip through kechuang verify-draw ---------------------------------------------


@pytest.fixture
def published(staff_user, library, org):
    return services.perform_draw(staff_user, make(staff_user, org))


def write(tmp_path, data) -> str:
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_pool_draw_export_and_verify_draw_says_ok(published, tmp_path, capsys):
    data = services.export_draw(published)
    assert data["record_sha256"] == published.record_sha256 and data["seed"] == published.seed_hex
    call_command("verify-draw", write(tmp_path, data), "--record-sha256", published.record_sha256)
    assert capsys.readouterr().out.strip() == "OK"


def test_changing_one_candidate_in_the_export_fails_with_a_clear_message(published, tmp_path):
    data = services.export_draw(published)
    data["record"]["pool"][0]["attributes"]["organisation"] = "别的单位"
    with pytest.raises(CommandError, match="record_sha256") as info:
        call_command("verify-draw", write(tmp_path, data))
    assert "抽取记录在承诺后被改动" in str(info.value)


def test_verify_draw_exits_non_zero_on_a_changed_file(published, tmp_path):
    import subprocess
    import sys

    data = services.export_draw(published)
    data["result"]["chosen"].reverse()
    run = subprocess.run(
        [sys.executable, "-m", "kechuang", "verify-draw", write(tmp_path, data)],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "kechuang.test_settings", "PATH": ""},
    )
    assert run.returncode != 0
    assert "chosen[0]" in run.stderr


def test_a_record_edited_in_the_database_after_the_draw_fails_verification(published, tmp_path):
    edited = dict(published.record)
    edited["exclusions"] = {}
    Draw.objects.filter(pk=published.pk).update(record=edited)
    published.refresh_from_db()
    data = services.export_draw(published)
    with pytest.raises(CommandError, match="record_sha256"):
        call_command("verify-draw", write(tmp_path, data))
    # Even a forger who also rewrites the export's hash is caught by the published value.
    data["record_sha256"] = D.record_sha256(D.record_from_json(edited))
    with pytest.raises(CommandError, match="published before the draw"):
        call_command(
            "verify-draw", write(tmp_path, data), "--record-sha256", published.record_sha256
        )


def test_a_short_draw_is_published_with_its_shortfall(staff_user, library, org):
    draw = services.perform_draw(staff_user, make(staff_user, org, k=20))
    assert draw.result["shortfall"] == 12 and len(services.chosen(draw)) == 8


def test_drawn_at_is_set(published):
    assert published.drawn_at is not None
    assert abs(published.drawn_at - timezone.now()) < dt.timedelta(minutes=1)
