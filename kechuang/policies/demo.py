"""Demo data for the policy pages, over the registry's demo enterprises.

The catalog itself is real (``data/policies/``) and stays when the demo is removed. The demo
runs the matching for the whole registry, records a few applications and grants of demo
enterprises, and prepares (without approving) a 免申即享 roster for the HNTE reward, whose
amount the bureau has still to set. Idempotent: once demo applications exist, none are added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kechuang.core.problems import Rejected
from kechuang.policies import services
from kechuang.policies.loader import load_policies
from kechuang.policies.models import (
    Policy,
    PolicyApplication,
    PolicyMatch,
    PolicyPush,
    Roster,
)

REWARD = "dsz-hnte-reward"
APPLIED = {"dsz-innovation-voucher-2020": 4, "hnte-recognition-2016": 3, "dsz-sci-tech-finance": 2}
GRANTED = {"dsz-innovation-voucher-2020": 2}


@dataclass
class PoliciesDemoReport:
    policies_created: int = 0
    eligible: int = 0
    possibly: int = 0
    applications: int = 0
    granted: int = 0
    roster_entries: int = 0


def load_policies_demo(*, today: dt.date | None = None) -> PoliciesDemoReport:
    today = today or timezone.localdate()
    report = PoliciesDemoReport()
    report.policies_created = load_policies().created
    matched = services.match_all(today)
    report.eligible, report.possibly = matched.eligible, matched.possibly
    if PolicyApplication.objects.filter(is_demo=True).exists():
        return report
    with transaction.atomic():
        for code, n in APPLIED.items():
            policy = Policy.objects.filter(code=code).first()
            if policy is None:
                continue
            matches = PolicyMatch.objects.filter(
                policy=policy, verdict=PolicyMatch.Verdict.ELIGIBLE, is_demo=True
            ).select_related("enterprise")[:n]
            for i, m in enumerate(matches):
                services.record_application(
                    None, policy, m.enterprise, on=today - dt.timedelta(days=30 + 7 * i)
                )
                report.applications += 1
                if i < GRANTED.get(code, 0):
                    services.record_application(
                        None,
                        policy,
                        m.enterprise,
                        status=PolicyApplication.Status.GRANTED,
                        on=today - dt.timedelta(days=7 * i),
                        note="演示 / demo",
                    )
                    report.granted += 1
    reward = Policy.objects.filter(code=REWARD, state=Policy.State.PUBLISHED).first()
    if reward is not None:
        try:
            roster = services.prepare_roster(
                None, reward, start=dt.date(today.year - 1, 1, 1), end=today, today=today
            )
        except Rejected:
            return report  # a roster for the period already waits for review
        report.roster_entries = roster.entries.count()
    return report


def remove_policies_demo() -> dict[str, int]:
    """Delete what the demo added for demo enterprises; the catalog and real records stay."""
    counts = {}
    with transaction.atomic():
        for name, model in (
            ("applications", PolicyApplication),
            ("pushes", PolicyPush),
            ("rosters", Roster),
            ("matches", PolicyMatch),
        ):
            _, by_model = model.objects.filter(is_demo=True).delete()
            counts[name] = by_model.get(model._meta.label, 0)
    return counts
