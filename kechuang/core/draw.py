"""Verifiable random draw for expert reviewers and spot checks.

Protocol (docs/draw-protocol.md has the full text and a worked example):

1. Before the draw the organiser fixes a draw record (pool, exclusions with reasons, constraints,
   k) and publishes ``commitment = SHA-256(seed)`` together with ``record_sha256``, the SHA-256 of
   the record's canonical JSON. The seed stays secret, so nobody can predict the order, and the
   organiser cannot pick a different seed later without breaking the commitment.
2. Every eligible candidate gets ``key = HMAC-SHA256(seed, draw_id + ":" + candidate_id)``; the
   walk goes through candidates by ascending key, choosing while honouring the constraints.
3. After the draw the seed is published; anyone can recompute everything with ``verify`` or with
   sha256sum/openssl alone.

Standard library only, so the same file can be handed to an outside checker.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kechuang.core.problems import Problem, Rejected

PROTOCOL = "kechuang-draw-v1"
SEED_BYTES = 32
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


# --- record -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    id: str
    # Free-form attributes such as {"organisation": "...", "fields": ["..."]}; constraints read
    # them by name so new kinds of constraint need no schema change.
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DrawRecord:
    draw_id: str
    purpose: str
    pool: tuple[Candidate, ...]
    exclusions: Mapping[str, str]  # candidate id -> reason, all kept so outsiders can audit them
    k: int
    commitment: str
    max_per: Mapping[str, int] = field(default_factory=dict)  # e.g. {"organisation": 1}
    # When true a candidate must share at least one of its "fields" with application_fields.
    require_field_overlap: bool = False
    application_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrderEntry:
    candidate: str
    key: str


@dataclass(frozen=True)
class Skip:
    candidate: str
    # Which phase the skip happened in: "chosen" while filling k, "alternate" afterwards.
    phase: str
    rule: str  # "max_per" or "field_overlap"
    detail: str  # attribute=value for max_per, "" for field_overlap
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class DrawResult:
    order: tuple[OrderEntry, ...]
    chosen: tuple[str, ...]
    skipped: tuple[Skip, ...]
    alternates: tuple[str, ...]
    # k - len(chosen); not an exception because a short draw is a fact to publish, not a crash.
    shortfall: int

    @property
    def complete(self) -> bool:
        return self.shortfall == 0


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    problem: Problem | None = None  # the FIRST difference found, so the reader has one thing to fix

    def __str__(self) -> str:
        return "OK" if self.ok else str(self.problem)


# --- primitives ---------------------------------------------------------------------------------


def new_seed() -> bytes:
    return secrets.token_bytes(SEED_BYTES)


def commitment(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def candidate_key(seed: bytes, draw_id: str, candidate_id: str) -> str:
    message = f"{draw_id}:{candidate_id}".encode()
    return hmac.new(seed, message, hashlib.sha256).hexdigest()


def canonical_json(obj: Any) -> bytes:
    # Sorted keys and no whitespace so every implementation produces the same bytes to hash.
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def record_to_json(record: DrawRecord) -> dict[str, Any]:
    return {
        "draw_id": record.draw_id,
        "purpose": record.purpose,
        # Pool sorted by id: its order has no meaning, so it must not change the hash.
        "pool": [
            {"id": c.id, "attributes": dict(c.attributes)}
            for c in sorted(record.pool, key=lambda c: c.id)
        ],
        "exclusions": dict(record.exclusions),
        "constraints": {
            "max_per": dict(record.max_per),
            "require_field_overlap": record.require_field_overlap,
            "application_fields": list(record.application_fields),
        },
        "k": record.k,
        "commitment": record.commitment,
    }


def record_sha256(record: DrawRecord) -> str:
    """Hash to publish next to the commitment; the commitment alone binds only the seed."""
    return hashlib.sha256(canonical_json(record_to_json(record))).hexdigest()


def check_record(record: DrawRecord) -> None:
    problems: list[Problem] = []
    ids = [c.id for c in record.pool]
    seen: set[str] = set()
    for cid in ids:
        if not isinstance(cid, str) or not cid:
            problems.append(
                Problem(
                    "pool", "候选人编号必须是非空字符串", "candidate id must be a non-empty string"
                )
            )
        elif cid in seen:
            problems.append(Problem(f"pool.{cid}", "候选人编号重复", "candidate id appears twice"))
        seen.add(cid)
    for cid in record.exclusions:
        if cid not in seen:
            problems.append(
                Problem(
                    f"exclusions.{cid}",
                    "回避的候选人不在候选池中",
                    "excluded candidate is not in the pool",
                )
            )
        elif not str(record.exclusions[cid]).strip():
            problems.append(
                Problem(f"exclusions.{cid}", "回避必须写明理由", "an exclusion needs a reason")
            )
    if not isinstance(record.k, int) or isinstance(record.k, bool) or record.k < 1:
        problems.append(Problem("k", "k 必须是正整数", "k must be a positive integer"))
    if not _HEX64.match(record.commitment):
        problems.append(
            Problem(
                "commitment",
                "承诺值必须是 64 位小写十六进制",
                "commitment must be 64 lowercase hex digits",
            )
        )
    for attr, limit in record.max_per.items():
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            problems.append(
                Problem(f"max_per.{attr}", "上限必须是正整数", "limit must be a positive integer")
            )
        # A missing attribute would silently escape the limit (e.g. an unknown organisation), so
        # it is refused rather than guessed.
        for c in record.pool:
            if attr not in c.attributes:
                problems.append(
                    Problem(
                        f"pool.{c.id}.{attr}",
                        f"缺少约束所需的属性 {attr}",
                        f"attribute {attr} is required by max_per",
                    )
                )
    if record.require_field_overlap:
        if not record.application_fields:
            problems.append(
                Problem(
                    "application_fields",
                    "要求领域重合时必须给出申请领域",
                    "field overlap requires application fields",
                )
            )
        for c in record.pool:
            if not isinstance(c.attributes.get("fields"), list | tuple):
                problems.append(
                    Problem(
                        f"pool.{c.id}.fields",
                        "缺少领域列表",
                        "fields list is required by require_field_overlap",
                    )
                )
    if problems:
        raise Rejected(problems)


# --- the draw -----------------------------------------------------------------------------------


def _violation(
    record: DrawRecord, cand: Candidate, counts: dict[tuple[str, str], int], phase: str
) -> Skip | None:
    fields = set(cand.attributes.get("fields", ()))
    if record.require_field_overlap and not fields & set(record.application_fields):
        return Skip(
            cand.id,
            phase,
            "field_overlap",
            "",
            f"{cand.id} 的领域与申请领域无重合",
            f"{cand.id} shares no field with the application",
        )
    # Attributes in sorted order so the reported reason is the same in every implementation.
    for attr in sorted(record.max_per):
        limit = record.max_per[attr]
        value = str(cand.attributes[attr])
        if counts.get((attr, value), 0) >= limit:
            return Skip(
                cand.id,
                phase,
                "max_per",
                f"{attr}={value}",
                f"{attr} {value} 已有 {limit} 人入选",
                f"{attr} {value} already has {limit}",
            )
    return None


def walk(
    record: DrawRecord, ordered: list[Candidate]
) -> tuple[tuple[str, ...], tuple[Skip, ...], tuple[str, ...]]:
    """Choose from candidates already in draw order; returns (chosen, skipped, alternates).

    Kept apart from the hashing so the constraint rules can be tested on a hand-written order.
    """
    counts: dict[tuple[str, str], int] = {}
    chosen: list[str] = []
    alternates: list[str] = []
    skipped: list[Skip] = []
    for cand in ordered:
        phase = "chosen" if len(chosen) < record.k else "alternate"
        skip = _violation(record, cand, counts, phase)
        if skip is not None:
            skipped.append(skip)
        elif phase == "chosen":
            chosen.append(cand.id)
            for attr in record.max_per:
                slot = (attr, str(cand.attributes[attr]))
                counts[slot] = counts.get(slot, 0) + 1
        else:
            # Alternates are checked against the chosen set only (counts stop growing), because an
            # alternate stands in for a chosen member who drops out; at substitution time the first
            # alternate that fits the then-current chosen set is taken.
            alternates.append(cand.id)
    return tuple(chosen), tuple(skipped), tuple(alternates)


def run_draw(record: DrawRecord, seed: bytes) -> DrawResult:
    check_record(record)
    if commitment(seed) != record.commitment:
        raise Rejected([Problem("seed", "种子与承诺值不符", "seed does not match the commitment")])
    eligible = [c for c in record.pool if c.id not in record.exclusions]
    keyed = sorted(
        ((candidate_key(seed, record.draw_id, c.id), c) for c in eligible),
        # Ties need a 256-bit collision; the id tie-break only makes the order total on paper.
        key=lambda kc: (kc[0], kc[1].id),
    )
    chosen, skipped, alternates = walk(record, [c for _key, c in keyed])
    return DrawResult(
        order=tuple(OrderEntry(c.id, key) for key, c in keyed),
        chosen=chosen,
        skipped=skipped,
        alternates=alternates,
        shortfall=record.k - len(chosen),
    )


def shortfall_message(result: DrawResult, record: DrawRecord) -> Problem | None:
    if result.complete:
        return None
    return Problem(
        "chosen",
        f"只能抽出 {len(result.chosen)} 人，少于 k = {record.k}",
        f"only {len(result.chosen)} could be chosen, fewer than k = {record.k}",
    )


# --- export / load ------------------------------------------------------------------------------


def result_to_json(result: DrawResult) -> dict[str, Any]:
    return {
        "order": [{"candidate": e.candidate, "key": e.key} for e in result.order],
        "chosen": list(result.chosen),
        "skipped": [
            {
                "candidate": s.candidate,
                "phase": s.phase,
                "rule": s.rule,
                "detail": s.detail,
                "reason_zh": s.reason_zh,
                "reason_en": s.reason_en,
            }
            for s in result.skipped
        ],
        "alternates": list(result.alternates),
        "shortfall": result.shortfall,
    }


def export_json(record: DrawRecord, seed: bytes, result: DrawResult) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "record": record_to_json(record),
        "record_sha256": record_sha256(record),
        "seed": seed.hex(),
        "result": result_to_json(result),
    }


def record_from_json(data: Mapping[str, Any]) -> DrawRecord:
    try:
        constraints = data.get("constraints", {})
        record = DrawRecord(
            draw_id=str(data["draw_id"]),
            purpose=str(data["purpose"]),
            pool=tuple(
                Candidate(str(c["id"]), dict(c.get("attributes", {}))) for c in data["pool"]
            ),
            exclusions={str(k): str(v) for k, v in data.get("exclusions", {}).items()},
            k=data["k"],
            commitment=str(data["commitment"]),
            max_per=dict(constraints.get("max_per", {})),
            require_field_overlap=bool(constraints.get("require_field_overlap", False)),
            application_fields=tuple(constraints.get("application_fields", ())),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise Rejected(
            [Problem("record", f"抽取记录格式错误：{exc}", f"malformed draw record: {exc}")]
        ) from exc
    check_record(record)
    return record


def result_from_json(data: Mapping[str, Any]) -> DrawResult:
    try:
        return DrawResult(
            order=tuple(OrderEntry(str(e["candidate"]), str(e["key"])) for e in data["order"]),
            chosen=tuple(str(c) for c in data["chosen"]),
            skipped=tuple(
                Skip(
                    str(s["candidate"]),
                    str(s["phase"]),
                    str(s["rule"]),
                    str(s["detail"]),
                    str(s["reason_zh"]),
                    str(s["reason_en"]),
                )
                for s in data["skipped"]
            ),
            alternates=tuple(str(a) for a in data["alternates"]),
            shortfall=int(data["shortfall"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise Rejected(
            [Problem("result", f"抽取结果格式错误：{exc}", f"malformed draw result: {exc}")]
        ) from exc


def load_json(data: Mapping[str, Any]) -> tuple[DrawRecord, bytes, DrawResult, str]:
    """Parse an export into (record, seed, claimed result, claimed record_sha256)."""
    if not isinstance(data, Mapping) or data.get("protocol") != PROTOCOL:
        raise Rejected([Problem("protocol", f"不是 {PROTOCOL} 格式", f"not a {PROTOCOL} export")])
    for name in ("record", "record_sha256", "seed", "result"):
        if name not in data:
            raise Rejected([Problem(name, "缺少该项", "missing")])
    seed_hex = str(data["seed"])
    if not _HEX64.match(seed_hex):
        raise Rejected(
            [
                Problem(
                    "seed", "种子必须是 64 位小写十六进制", "seed must be 64 lowercase hex digits"
                )
            ]
        )
    return (
        record_from_json(data["record"]),
        bytes.fromhex(seed_hex),
        result_from_json(data["result"]),
        str(data["record_sha256"]),
    )


# --- verification -------------------------------------------------------------------------------


def _fail(where: str, zh: str, en: str) -> VerifyReport:
    return VerifyReport(False, Problem(where, zh, en))


def _first_list_difference(
    name: str, claimed: tuple[str, ...], actual: tuple[str, ...]
) -> VerifyReport | None:
    for i, (c, a) in enumerate(zip(claimed, actual, strict=False)):
        if c != a:
            return _fail(
                f"{name}[{i}]",
                f"{name}[{i}] 公布为 {c}，重算为 {a}",
                f"{name}[{i}] is {c} but recomputation gives {a}",
            )
    if len(claimed) != len(actual):
        return _fail(
            name,
            f"{name} 公布 {len(claimed)} 项，重算为 {len(actual)} 项",
            f"{name} has {len(claimed)} entries but recomputation gives {len(actual)}",
        )
    return None


def verify(
    record_json: Mapping[str, Any], published_record_sha256: str | None = None
) -> VerifyReport:
    """Recompute an exported draw and name the first difference.

    ``published_record_sha256`` is the value announced with the commitment before the draw. Pass
    it when you have it: without it, someone who edits the record and also rewrites the export's
    record_sha256 and result would pass, since the commitment binds only the seed.
    """
    try:
        record, seed, claimed, claimed_record_hash = load_json(record_json)
    except Rejected as exc:
        return VerifyReport(False, exc.problems[0])

    actual_record_hash = record_sha256(record)
    if claimed_record_hash != actual_record_hash:
        return _fail(
            "record_sha256",
            "抽取记录在承诺后被改动（record_sha256 不符）",
            "the draw record was changed after the commitment (record_sha256 does not match)",
        )
    if published_record_sha256 is not None and published_record_sha256 != actual_record_hash:
        return _fail(
            "record_sha256",
            "抽取记录与抽取前公布的 record_sha256 不符",
            "the draw record does not match the record_sha256 published before the draw",
        )
    if commitment(seed) != record.commitment:
        return _fail(
            "commitment", "承诺值与公布的种子不符", "commitment does not match the published seed"
        )

    actual = run_draw(record, seed)
    claimed_ids = [e.candidate for e in claimed.order]
    claimed_set = set(claimed_ids)
    for entry in sorted(actual.order, key=lambda e: e.candidate):
        if entry.candidate not in claimed_set:
            return _fail(
                "order",
                f"候选人 {entry.candidate} 在候选池中，但不在公布的顺序里",
                f"candidate {entry.candidate} is in the pool but not in the published order",
            )
    actual_set = {e.candidate for e in actual.order}
    for cid in claimed_ids:
        if cid not in actual_set:
            why_zh, why_en = (
                ("已回避", "excluded")
                if cid in record.exclusions
                else ("不在候选池中", "not in the pool")
            )
            return _fail(
                "order",
                f"候选人 {cid} 出现在公布的顺序里，但{why_zh}",
                f"candidate {cid} is in the published order but {why_en}",
            )
    for i, (c, a) in enumerate(zip(claimed.order, actual.order, strict=False)):
        if c.candidate != a.candidate:
            return _fail(
                f"order[{i}]",
                f"order[{i}] 公布为 {c.candidate}，重算为 {a.candidate}",
                f"order[{i}] is {c.candidate} but recomputation gives {a.candidate}",
            )
        if c.key != a.key:
            return _fail(
                f"order[{i}].key",
                f"候选人 {a.candidate} 的密钥公布为 {c.key}，重算为 {a.key}",
                f"key of candidate {a.candidate} is {c.key} but recomputation gives {a.key}",
            )
    if len(claimed.order) != len(actual.order):  # duplicates in the claimed order
        return _fail("order", "公布的顺序有重复项", "the published order lists a candidate twice")

    diff = _first_list_difference("chosen", claimed.chosen, actual.chosen)
    if diff:
        return diff
    for i, (c, a) in enumerate(zip(claimed.skipped, actual.skipped, strict=False)):
        if c != a:
            return _fail(
                f"skipped[{i}]",
                f"skipped[{i}] 公布为 {c.candidate}（{c.reason_zh}），"
                f"重算为 {a.candidate}（{a.reason_zh}）",
                f"skipped[{i}] is {c.candidate} ({c.reason_en}) "
                f"but recomputation gives {a.candidate} ({a.reason_en})",
            )
    if len(claimed.skipped) != len(actual.skipped):
        return _fail(
            "skipped",
            f"公布跳过 {len(claimed.skipped)} 人，重算为 {len(actual.skipped)} 人",
            f"skipped has {len(claimed.skipped)} entries "
            f"but recomputation gives {len(actual.skipped)}",
        )
    diff = _first_list_difference("alternates", claimed.alternates, actual.alternates)
    if diff:
        return diff
    if claimed.shortfall != actual.shortfall:
        return _fail(
            "shortfall",
            f"缺额公布为 {claimed.shortfall}，重算为 {actual.shortfall}",
            f"shortfall is {claimed.shortfall} but recomputation gives {actual.shortfall}",
        )
    return VerifyReport(True)
