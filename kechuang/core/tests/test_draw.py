import hashlib
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.core import draw as D
from kechuang.core.problems import Rejected

CASES = yaml.safe_load((Path(__file__).parents[1] / "cases" / "draw.yaml").read_text("utf-8"))

# The worked example of docs/draw-protocol.md; the literals below are what the doc shows.
SEED_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
SEED = bytes.fromhex(SEED_HEX)
RECORD_SHA256 = "e44e55f17404a000823af117379c0ff7962d3f5cdc46ba3f219dbebdfe28cf65"
ORGS = {"e01": "OrgA", "e02": "OrgA", "e03": "OrgB", "e04": "OrgB", "e05": "OrgC", "e06": "OrgC"}


def example_record(**changes) -> D.DrawRecord:
    fields = dict(
        draw_id="DRAW-2026-004",
        purpose="worked example",
        pool=tuple(D.Candidate(c, {"organisation": o}) for c, o in ORGS.items()),
        exclusions={"e05": "co-author of the applicant"},
        k=2,
        commitment=D.commitment(SEED),
        max_per={"organisation": 1},
    )
    fields.update(changes)
    return D.DrawRecord(**fields)


def example_export() -> dict:
    record = example_record()
    return D.export_json(record, SEED, D.run_draw(record, SEED))


def test_worked_example_vector():
    record = example_record()
    assert record.commitment == "630dcd2966c4336691125448bbb25b4ff412a49c732db2c8abc1b8581bd710dd"
    result = D.run_draw(record, SEED)
    assert [(e.candidate, e.key) for e in result.order] == [
        ("e02", "217489f0b765dbbc1dbdae7762a02a2d16eaaaecf2ff6bfe4a4a8e696716ce61"),
        ("e01", "3cdcdf7421adb45edf6c10f7e21449b394ced0c60e5442822af85d88c37c20a3"),
        ("e04", "7b5d3ad2351b083a3818db074718d96dae363356b5a1d999a4ef7c27b4cd0cec"),
        ("e03", "bd59a43c8da4274027b1f32947c59a74c3e41e52e5c8fdc0682052cad1b10556"),
        ("e06", "ea325bc8fb52db55ed2aa8df1063d88157be3652ef2f1fd85c64cb07dc9f9ddc"),
    ]
    assert result.chosen == ("e02", "e04")
    assert result.alternates == ("e06",)
    assert [(s.candidate, s.phase, s.reason_en) for s in result.skipped] == [
        ("e01", "chosen", "organisation OrgA already has 1"),
        ("e03", "alternate", "organisation OrgB already has 1"),
    ]
    assert result.shortfall == 0
    assert D.record_sha256(record) == RECORD_SHA256


def test_excluded_key_is_still_well_defined_but_not_in_order():
    # e05's key (shown in the doc for completeness) must never enter the walk.
    assert D.candidate_key(SEED, "DRAW-2026-004", "e05").startswith("ba06625399")
    assert "e05" not in [e.candidate for e in D.run_draw(example_record(), SEED).order]


def test_determinism():
    record = example_record()
    assert D.run_draw(record, SEED) == D.run_draw(record, SEED)
    # Pool order carries no meaning: reversing it changes neither result nor record hash.
    reversed_record = example_record(pool=tuple(reversed(record.pool)))
    assert D.run_draw(reversed_record, SEED) == D.run_draw(record, SEED)
    assert D.record_sha256(reversed_record) == D.record_sha256(record)


def test_new_seed_and_commitment():
    seed = D.new_seed()
    assert len(seed) == 32 and seed != D.new_seed()
    assert D.commitment(seed) == hashlib.sha256(seed).hexdigest()


def test_fewer_eligible_than_k_is_reported_not_raised():
    record = example_record(k=5)
    result = D.run_draw(record, SEED)
    assert result.chosen == ("e02", "e04", "e06")
    assert result.shortfall == 2 and not result.complete
    assert "fewer than k = 5" in D.shortfall_message(result, record).message_en
    assert D.verify(D.export_json(record, SEED, result)).ok


def test_wrong_seed_refused_by_run_draw():
    with pytest.raises(Rejected):
        D.run_draw(example_record(), bytes(32))


def test_bad_record_rejected():
    with pytest.raises(Rejected) as info:
        D.check_record(example_record(exclusions={"zz": "x"}, k=0))
    wheres = [p.where for p in info.value.problems]
    assert "exclusions.zz" in wheres and "k" in wheres
    with pytest.raises(Rejected) as info:
        D.check_record(example_record(pool=example_record().pool * 2))
    assert "candidate id appears twice" in str(info.value)
    # max_per on organisation needs every candidate to state one, or it would escape the limit.
    with pytest.raises(Rejected) as info:
        D.check_record(example_record(pool=(D.Candidate("e01", {}),), exclusions={}))
    assert info.value.problems[0].where == "pool.e01.organisation"


def test_verify_ok_on_untouched_export():
    data = example_export()
    assert D.verify(data).ok
    assert D.verify(data, published_record_sha256=RECORD_SHA256).ok
    record, seed, result, digest = D.load_json(data)
    assert record == example_record() and seed == SEED and digest == RECORD_SHA256
    assert result == D.run_draw(record, SEED)


def test_verify_survives_json_round_trip():
    assert D.verify(json.loads(json.dumps(example_export()))).ok


def failure(data: dict, **kw) -> str:
    report = D.verify(data, **kw)
    assert not report.ok
    assert report.problem.message_zh
    return report.problem.message_en


def test_verify_fails_when_candidate_changed():
    data = example_export()
    data["record"]["pool"][0]["id"] = "e99"
    assert "changed after the commitment" in failure(data)


def test_verify_fails_when_candidate_attribute_changed():
    data = example_export()
    data["record"]["pool"][1]["attributes"]["organisation"] = "OrgZ"
    assert "record_sha256 does not match" in failure(data)


def test_verify_fails_when_exclusion_removed():
    data = example_export()
    data["record"]["exclusions"] = {}
    assert "changed after the commitment" in failure(data)


def test_verify_fails_when_exclusion_removed_and_export_rewritten():
    # A forger who rewrites record_sha256 and the result too is caught only by the value
    # published before the draw.
    record = example_record(exclusions={})
    data = D.export_json(record, SEED, D.run_draw(record, SEED))
    assert D.verify(data).ok
    assert "published before the draw" in failure(data, published_record_sha256=RECORD_SHA256)


def test_verify_fails_when_seed_altered():
    data = example_export()
    data["seed"] = "ff" + SEED_HEX[2:]
    assert failure(data) == "commitment does not match the published seed"


def test_verify_fails_when_chosen_swapped():
    data = example_export()
    data["result"]["chosen"][1] = "e06"
    assert failure(data) == "chosen[1] is e06 but recomputation gives e04"


def test_verify_fails_when_chosen_reordered():
    data = example_export()
    data["result"]["chosen"].reverse()
    assert failure(data) == "chosen[0] is e04 but recomputation gives e02"


def test_verify_names_missing_candidate_in_order():
    data = example_export()
    del data["result"]["order"][2]
    assert failure(data) == "candidate e04 is in the pool but not in the published order"


def test_verify_names_excluded_candidate_in_order():
    data = example_export()
    data["result"]["order"].append({"candidate": "e05", "key": "00"})
    assert failure(data) == "candidate e05 is in the published order but excluded"


def test_verify_names_order_swap_and_key_change():
    data = example_export()
    order = data["result"]["order"]
    order[0], order[1] = order[1], order[0]
    assert failure(data) == "order[0] is e01 but recomputation gives e02"
    data = example_export()
    data["result"]["order"][3]["key"] = "0" * 64
    assert failure(data).startswith("key of candidate e03 is 000")


def test_verify_names_skip_alternate_and_shortfall_changes():
    data = example_export()
    data["result"]["skipped"].pop()
    assert "skipped has 1 entries but recomputation gives 2" in failure(data)
    data = example_export()
    data["result"]["alternates"] = ["e03"]
    assert failure(data) == "alternates[0] is e03 but recomputation gives e06"
    data = example_export()
    data["result"]["shortfall"] = 1
    assert failure(data) == "shortfall is 1 but recomputation gives 0"


def test_verify_rejects_malformed_export():
    assert "not a kechuang-draw-v1 export" in failure({"protocol": "other"})
    data = example_export()
    data["seed"] = "xyz"
    assert "64 lowercase hex" in failure(data)


def case_record(case: dict) -> tuple[D.DrawRecord, list[D.Candidate]]:
    cands = {}
    for row in case["candidates"]:
        attrs = {"organisation": row[1]}
        if len(row) > 2:
            attrs["fields"] = row[2]
        cands[row[0]] = D.Candidate(row[0], attrs)
    record = D.DrawRecord(
        draw_id=case["id"],
        purpose="case",
        pool=tuple(cands.values()),
        exclusions={},
        k=case["k"],
        commitment="0" * 64,
        max_per=case["max_per"],
        require_field_overlap=case.get("require_field_overlap", False),
        application_fields=tuple(case.get("application_fields", ())),
    )
    D.check_record(record)
    return record, [cands[c] for c in case["order"]]


@pytest.mark.parametrize("case", [pytest.param(case, id=case["id"]) for case in CASES])
def test_constraint_walk_cases(case):
    record, ordered = case_record(case)
    chosen, skipped, alternates = D.walk(record, ordered)
    assert list(chosen) == case["chosen"]
    assert list(alternates) == case["alternates"]
    assert [[s.candidate, s.phase, s.detail] for s in skipped] == case["skipped"]
    assert record.k - len(chosen) == case["shortfall"]


pools = st.lists(
    st.tuples(st.text("abcdef0123", min_size=1, max_size=4), st.sampled_from("ABCD")),
    min_size=0,
    max_size=25,
    unique_by=lambda t: t[0],
)


@settings(max_examples=200, deadline=None)
@given(
    pool=pools,
    excluded_mask=st.lists(st.booleans(), min_size=25, max_size=25),
    k=st.integers(1, 8),
    limit=st.integers(1, 3),
    seed=st.binary(min_size=32, max_size=32),
)
def test_property_never_excluded_never_over_limit(pool, excluded_mask, k, limit, seed):
    exclusions = {
        cid: "conflict" for (cid, _org), ex in zip(pool, excluded_mask, strict=False) if ex
    }
    record = D.DrawRecord(
        draw_id="prop",
        purpose="property",
        pool=tuple(D.Candidate(cid, {"organisation": org}) for cid, org in pool),
        exclusions=exclusions,
        k=k,
        commitment=D.commitment(seed),
        max_per={"organisation": limit},
    )
    result = D.run_draw(record, seed)
    orgs = dict(pool)
    assert not set(result.chosen) & set(exclusions)
    assert not set(result.alternates) & set(exclusions)
    for org in "ABCD":
        assert sum(orgs[c] == org for c in result.chosen) <= limit
    assert len(result.chosen) + result.shortfall == k
    # Every eligible candidate is accounted for exactly once by the walk.
    walked = list(result.chosen) + list(result.alternates) + [s.candidate for s in result.skipped]
    assert sorted(walked) == sorted(e.candidate for e in result.order)
    assert D.verify(D.export_json(record, seed, result)).ok
