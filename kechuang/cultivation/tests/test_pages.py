"""The bureau's cultivation pages: each renders for staff, refuses other roles, and keeps its
query count flat however many enterprises are listed."""

import pytest
from django.urls import reverse

PAGES = ["pipeline", "proposals", "follow_ups", "funnel", "alerts", "reconciliation"]


@pytest.mark.django_db
class TestWithTheDemo:
    def test_demo_covers_every_stage_and_leaves_work_to_do(self, cultivation_demo):
        r = cultivation_demo
        assert set(r.stages) == {"team", "startup", "pool", "hnte", "exited"}
        assert r.proposals_pending > 0 and r.overdue > 0
        assert {"eligible", "not_eligible", "needs_review"} <= {
            o for outcomes in r.outcomes.values() for o in outcomes
        }
        # Strong demo firms declare everything the HNTE and tech-SME rules need.
        for code in ("hnte", "tech_sme"):
            assert {"eligible", "not_eligible", "needs_review"} <= set(r.outcomes[code]), code

    def test_demo_is_idempotent(self, cultivation_demo):
        from kechuang.cultivation.demo import load_cultivation_demo

        again = load_cultivation_demo()
        assert again.entries == cultivation_demo.entries
        assert again.services == cultivation_demo.services

    @pytest.mark.parametrize("name", PAGES)
    def test_page_renders_for_staff(self, cultivation_demo, client_for, staff_user, name):
        r = client_for(staff_user).get(reverse(f"cultivation:{name}"))
        assert r.status_code == 200

    @pytest.mark.parametrize("name", ["pipeline", "proposals", "follow_ups", "alerts"])
    def test_list_pages_have_flat_query_counts(
        self, cultivation_demo, client_for, staff_user, name, django_assert_max_num_queries
    ):
        client = client_for(staff_user)
        with django_assert_max_num_queries(15):
            assert client.get(reverse(f"cultivation:{name}")).status_code == 200

    def test_enterprise_page_shows_history_and_services(
        self, cultivation_demo, client_for, staff_user
    ):
        from kechuang.cultivation.models import PipelineEntry

        entry = PipelineEntry.objects.filter(stage="pool").select_related("enterprise").first()
        r = client_for(staff_user).get(
            reverse("cultivation:enterprise", kwargs={"uscc": entry.enterprise.uscc})
        )
        assert r.status_code == 200
        assert "阶段变更记录" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_pages_refuse_enterprise_users_and_reporters(client_for, own_user, reporter, name):
    for user in (own_user, reporter):
        assert client_for(user).get(reverse(f"cultivation:{name}")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_pages_send_anonymous_to_login(client, name):
    r = client.get(reverse(f"cultivation:{name}"))
    assert r.status_code == 302 and "login" in r["Location"]


@pytest.mark.django_db
def test_bulk_confirm_on_the_page(client_for, staff_user, make_enterprise):
    import datetime as dt

    from kechuang.cultivation.models import PipelineEntry, StageChange
    from kechuang.enterprises.models import Certification

    e = make_enterprise(50, registered_on=dt.date(2012, 1, 1))
    Certification.objects.create(
        enterprise=e, kind="hnte", issued_on=dt.date(2025, 1, 1), expires_on=dt.date(2027, 12, 31)
    )
    client = client_for(staff_user)
    client.post(reverse("cultivation:proposals"), {"action": "evaluate", "year": "2025"})
    ids = list(StageChange.objects.filter(status="proposed").values_list("pk", flat=True))
    assert ids
    client.post(reverse("cultivation:proposals"), {"action": "confirm", "ids": ids})
    assert PipelineEntry.objects.get(enterprise=e).stage == "hnte"


@pytest.mark.django_db
def test_service_record_from_the_enterprise_page(client_for, staff_user, enterprise):
    from kechuang.cultivation.models import ServiceRecord

    r = client_for(staff_user).post(
        reverse("cultivation:enterprise", kwargs={"uscc": enterprise.uscc}),
        {
            "action": "service",
            "kind": "visit",
            "date": "2025-03-01",
            "notes": "走访",
            "follow_up_on": "2025-04-01",
        },
    )
    assert r.status_code == 302
    assert ServiceRecord.objects.get(enterprise=enterprise).follow_up_on.isoformat() == "2025-04-01"
