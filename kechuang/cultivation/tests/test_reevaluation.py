"""The yearly re-evaluation proposes moves with reasons; staff confirm or reject them, and
every decision stays in the stage history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.cultivation import services
from kechuang.cultivation.models import PipelineEntry, StageChange, YearlyEvaluation
from kechuang.enterprises.models import Certification, EnterpriseEvent

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def certified(make_enterprise):
    e = make_enterprise(40, registered_on=dt.date(2012, 1, 1))
    Certification.objects.create(
        enterprise=e, kind="hnte", issued_on=dt.date(2024, 11, 1), expires_on=dt.date(2027, 10, 31)
    )
    return e


def test_certified_enterprise_is_proposed_for_the_hnte_stage(db, certified, staff_user):
    report = services.propose_moves(2025, user=staff_user, today=TODAY)
    change = StageChange.objects.get(enterprise=certified)
    assert change.status == "proposed" and change.from_stage == "" and change.to_stage == "hnte"
    assert "高新技术企业证书" in change.reason
    assert report.assessed >= 1 and report.proposed >= 1
    ev = YearlyEvaluation.objects.get(enterprise=certified, year=2025)
    assert set(ev.outcomes) >= {"hnte", "tech_sme", "sme_size"}


def test_confirming_moves_the_enterprise_and_keeps_history(db, certified, staff_user):
    services.propose_moves(2025, user=staff_user, today=TODAY)
    change = StageChange.objects.get(enterprise=certified)
    services.confirm(staff_user, change, comment="同意", on=TODAY)
    entry = PipelineEntry.objects.get(enterprise=certified)
    assert entry.stage == "hnte" and entry.since == TODAY and entry.entered_on == TODAY
    change.refresh_from_db()
    assert change.status == "confirmed" and change.confirmed_by == staff_user
    with pytest.raises(Rejected):
        services.confirm(staff_user, change)


def test_running_twice_adds_no_duplicate_proposal(db, certified, staff_user):
    services.propose_moves(2025, user=staff_user, today=TODAY)
    again = services.propose_moves(2025, user=staff_user, today=TODAY)
    assert StageChange.objects.filter(enterprise=certified).count() == 1
    assert again.skipped_open >= 1
    assert YearlyEvaluation.objects.filter(enterprise=certified, year=2025).count() == 1


def test_seriously_dishonest_enterprise_leaves_the_pool(db, make_enterprise, staff_user):
    e = make_enterprise(41, registered_on=dt.date(2018, 1, 1))
    services.move(staff_user, e, "pool", reason="入库", on=dt.date(2024, 3, 1))
    EnterpriseEvent.objects.create(
        enterprise=e, category="listing", kind="serious_dishonesty", date=dt.date(2025, 5, 1)
    )
    services.propose_moves(2025, user=staff_user, today=TODAY)
    change = StageChange.objects.get(enterprise=e, status="proposed")
    assert (change.from_stage, change.to_stage) == ("pool", "exited")
    assert "严重违法失信" in change.reason


def test_pool_member_with_certificate_moves_to_hnte(db, certified, staff_user):
    services.move(staff_user, certified, "pool", reason="入库", on=dt.date(2024, 3, 1))
    services.propose_moves(2025, user=staff_user, today=TODAY)
    change = StageChange.objects.get(enterprise=certified, status="proposed")
    assert (change.from_stage, change.to_stage) == ("pool", "hnte")


def test_bulk_confirm_and_reject(db, certified, make_enterprise, staff_user):
    other = make_enterprise(42, registered_on=dt.date(2012, 1, 1))
    Certification.objects.create(
        enterprise=other,
        kind="hnte",
        issued_on=dt.date(2024, 11, 1),
        expires_on=dt.date(2027, 10, 31),
    )
    services.propose_moves(2025, user=staff_user, today=TODAY)
    ids = list(StageChange.objects.values_list("pk", flat=True))
    done, problems = services.decide_many(staff_user, ids, accept=True)
    assert done == len(ids) and not problems
    assert PipelineEntry.objects.filter(stage="hnte").count() == 2


def test_reject_keeps_the_stage(db, certified, staff_user):
    services.propose_moves(2025, user=staff_user, today=TODAY)
    change = StageChange.objects.get(enterprise=certified)
    services.reject(staff_user, change, comment="证书待核实")
    change.refresh_from_db()
    assert change.status == "rejected"
    assert not PipelineEntry.objects.filter(enterprise=certified).exists()


def test_stale_proposal_is_refused(db, certified, staff_user):
    services.propose_moves(2025, user=staff_user, today=TODAY)
    change = StageChange.objects.get(enterprise=certified)
    StageChange.objects.filter(pk=change.pk).update(from_stage="pool")
    with pytest.raises(Rejected):
        services.confirm(staff_user, change)


def test_manual_move_supersedes_open_proposal(db, certified, staff_user):
    services.propose_moves(2025, user=staff_user, today=TODAY)
    services.move(staff_user, certified, "team", reason="人工调整")
    assert StageChange.objects.filter(enterprise=certified, status="proposed").count() == 0
    assert StageChange.objects.filter(enterprise=certified).count() == 2


def test_only_the_bureau_runs_the_pipeline(db, certified, own_user, reporter):
    for user in (reporter,):
        with pytest.raises(PermissionDenied):
            services.propose_moves(2025, user=user, today=TODAY)


def test_default_standards_are_loaded_as_data(db):
    from kechuang.cultivation.models import StageStandard

    codes = set(StageStandard.objects.values_list("code", flat=True))
    assert {"pool-entry", "hnte-entry", "pool-exit-certified", "pool-exit-dishonest"} <= codes
    assert services.load_default_standards() == 0  # idempotent
