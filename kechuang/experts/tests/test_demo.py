"""The demo experts: every field, the finance tag, availability cases, ties, one login."""

from __future__ import annotations

from kechuang.experts import identity, services
from kechuang.experts.demo import DEMO_USERNAME, load_experts_demo, remove_experts_demo
from kechuang.experts.models import Collaboration, Expert, Relationship
from kechuang.experts.tests.conftest import id_number


def test_the_demo_covers_the_library_and_is_idempotent(plan):
    assert load_experts_demo() == 60
    assert load_experts_demo() == 0
    experts = Expert.objects.all()
    assert experts.count() == 60 and all(e.is_demo for e in experts)
    assert {f for e in experts for f in e.fields} == set(services.FIELDS)
    assert experts.filter(is_finance=True).count() == 8
    assert experts.filter(available=False).count() == 4
    assert Relationship.objects.exists() and Collaboration.objects.exists()
    for e in experts:
        number = identity.decrypt(e.id_number_token)
        assert identity.check_id_number(number, "x")[1] == []


def test_the_demo_expert_can_log_in_and_sees_their_record(plan, client):
    from kechuang.accounts.models import User
    from kechuang.web.demo import DEMO_PASSWORD

    load_experts_demo()
    user = User.objects.get(username=DEMO_USERNAME)
    assert user.role == "expert" and user.is_demo and user.check_password(DEMO_PASSWORD)
    expert = Expert.objects.get(user=user)
    client.force_login(user)
    assert expert.code in client.get("/experts/me/").content.decode()


def test_removing_the_demo_leaves_real_experts(plan, make_expert):
    real = make_expert(1, id_number=id_number(500))
    load_experts_demo()
    counts = remove_experts_demo()
    assert counts["experts"] == 60 and counts["users"] == 1 and counts["organizations"] == 5
    assert list(Expert.objects.all()) == [real]
