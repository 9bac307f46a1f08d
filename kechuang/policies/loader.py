"""Load the policy catalog from YAML files (``data/policies/*.yaml``, schema
``kechuang-policies/1``), idempotently.

A policy already in the database is kept as it is — the bureau may have filled in a phone number
or set an amount in the platform — unless ``update`` is asked for, which overwrites it from the
file when the two differ. Every file is checked in full before anything is written: one bad
entry refuses the whole load, with each problem's file, entry and field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import transaction

from kechuang.core.problems import Problem, Rejected
from kechuang.policies import services
from kechuang.policies.models import Policy

SCHEMA = "kechuang-policies/1"
DEFAULT_DIR = Path(settings.BASE_DIR) / "data" / "policies"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    kept: int = 0
    expired: int = 0


def _entries(paths: Iterable[Path]) -> tuple[list[tuple[str, dict[str, Any]]], list[Problem]]:
    entries, problems = [], []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            problems.append(Problem(str(path), f"无法读取：{exc}", f"cannot read: {exc}"))
            continue
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
            problems.append(
                Problem(
                    str(path),
                    f"不是政策数据文件（schema 应为 {SCHEMA}）",
                    f"schema must be {SCHEMA}",
                )
            )
            continue
        for i, entry in enumerate(doc.get("policies") or []):
            where = f"{path.name} › policies[{i}]"
            if not isinstance(entry, dict) or not entry.get("code"):
                problems.append(Problem(where, "缺少政策代码 code", "the code is missing"))
                continue
            code = str(entry["code"])
            if code in seen:
                problems.append(
                    Problem(where, f"代码 {code} 与 {seen[code]} 重复", f"code {code} repeats")
                )
                continue
            seen[code] = where
            _, _, found = services.check_policy(entry, prefix=f"{where} ({code})")
            problems += found
            entries.append((code, entry))
    return entries, problems


def _same(policy: Policy, entry: dict[str, Any]) -> bool:
    values, benefits, _ = services.check_policy(entry)
    if policy.state == Policy.State.EXPIRED and values["state"] == Policy.State.PUBLISHED:
        values["state"] = Policy.State.EXPIRED  # expiry comes from the date, not the file
    wanted = values | {"benefits": [{k: b[k] for k in services.BENEFIT_KEYS} for b in benefits]}
    stored = services.policy_data(policy)
    return all(stored[k] == wanted[k] for k in stored)


def load_policies(
    paths: Iterable[Path] | None = None, *, user=None, update: bool = False
) -> LoadReport:
    """Create the policies of ``paths`` (default: every YAML file of data/policies/) that are
    missing; with ``update``, also bring changed ones in line with the files."""
    files = sorted(DEFAULT_DIR.glob("*.yaml")) if paths is None else list(paths)
    entries, problems = _entries(files)
    if problems:
        raise Rejected(problems)
    report = LoadReport()
    existing = {p.code: p for p in Policy.objects.filter(code__in=[c for c, _ in entries])}
    with transaction.atomic():
        for code, entry in entries:
            policy = existing.get(code)
            if policy is None:
                services.save_policy(user, entry)
                report.created += 1
            elif update and not _same(policy, entry):
                data = {k: v for k, v in entry.items() if k != "code"}
                if policy.state == Policy.State.EXPIRED:
                    data["state"] = Policy.State.EXPIRED
                services.save_policy(user, data, policy=policy)
                report.updated += 1
            else:
                report.kept += 1
        report.expired = services.expire_due(user=user)
    return report
