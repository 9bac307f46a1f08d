"""Keeping the library: adding and changing experts, availability, relationships, collaborations.
Each refusal names what and where and changes nothing; each write is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kechuang.core.problems import Rejected
from kechuang.experts import identity, services
from kechuang.experts.models import Collaboration, Expert, ExpertField, Relationship
from kechuang.experts.tests.conftest import id_number


def wheres(info) -> list[str]:
    return [p.where for p in info.value.problems]


def test_staff_add_an_expert_with_a_fresh_code_and_encrypted_id(staff_user, org):
    e = services.create_expert(
        staff_user,
        name=" 王建国 ",
        id_number=id_number(1),
        title="senior",
        title_name="教授级高级工程师",
        organization=org,
        fields=["新材料", "电子信息", "新材料"],
        is_finance=True,
    )
    assert e.code == "E00001" and e.name == "王建国"
    assert e.organization_name == org.name  # taken from the organisation when left empty
    assert e.fields == ["电子信息", "新材料"]  # canonical order, once each
    assert set(ExpertField.objects.filter(expert=e).values_list("field", flat=True)) == {
        "电子信息",
        "新材料",
    }
    assert identity.decrypt(e.id_number_token) == id_number(1)
    assert e.id_number_masked == identity.mask(id_number(1))
    assert (
        services.create_expert(
            staff_user,
            name="李",
            id_number=id_number(2),
            title="other",
            organization_name="某单位",
            fields=["新能源与节能"],
        ).code
        == "E00002"
    )


def test_the_audit_entry_keeps_the_masked_number_never_the_token(staff_user, make_expert):
    e = make_expert(1)
    entry = LogEntry.objects.get_for_object(e).get(action=LogEntry.Action.CREATE)
    text = str(entry.changes)
    assert "id_number_masked" in text and e.id_number_masked in text
    assert "id_number_token" not in text and e.id_number_token not in text
    assert id_number(1) not in text


def test_every_problem_is_listed_and_nothing_is_written(staff_user):
    with pytest.raises(Rejected) as info:
        services.create_expert(
            staff_user,
            name="",
            id_number="123",
            title="chief",
            organization_name="",
            fields=["石油化工"],
            email="not-an-address",
            available=False,
            unavailable_from=dt.date(2026, 5, 1),
            unavailable_until=dt.date(2026, 4, 1),
        )
    assert wheres(info) == [
        "姓名 / name",
        "身份证号 / id_number",
        "职称级别 / title",
        "技术领域 / fields",
        "工作单位 / organization_name",
        "电子邮箱 / email",
        "不可参加止 / unavailable_until",
    ]
    assert "石油化工" in info.value.problems[3].message_zh
    assert not Expert.objects.exists()


def test_at_least_one_field_is_required(staff_user):
    with pytest.raises(Rejected) as info:
        services.create_expert(
            staff_user,
            name="甲",
            id_number=id_number(1),
            title="senior",
            organization_name="单位",
            fields=[],
        )
    assert info.value.problems[0].message_en == "choose at least one field"


def test_the_same_id_number_cannot_be_added_twice(staff_user, make_expert):
    first = make_expert(1)
    with pytest.raises(Rejected) as info:
        make_expert(2, id_number=id_number(1).lower())
    assert f"already in the library ({first.code})" in info.value.problems[0].message_en
    assert Expert.objects.count() == 1


def test_a_login_must_be_an_expert_and_belong_to_one_expert(staff_user, make_expert, expert_user):
    with pytest.raises(Rejected) as info:
        make_expert(1, user=staff_user)
    assert wheres(info) == ["登录账号 / user"]
    make_expert(2, user=expert_user)
    with pytest.raises(Rejected) as info:
        make_expert(3, user=expert_user)
    assert "already belongs to expert E00001" in info.value.problems[0].message_en


def test_editing_without_a_new_number_keeps_the_stored_one(staff_user, make_expert):
    e = make_expert(1)
    token = e.id_number_token
    services.update_expert(staff_user, e, name="新名字", id_number="", fields=["航空航天"])
    e.refresh_from_db()
    assert e.name == "新名字" and e.id_number_token == token and e.fields == ["航空航天"]
    assert list(ExpertField.objects.filter(expert=e).values_list("field", flat=True)) == [
        "航空航天"
    ]
    services.update_expert(staff_user, e, id_number=id_number(9))
    e.refresh_from_db()
    assert identity.decrypt(e.id_number_token) == id_number(9)


def test_an_edit_that_would_duplicate_an_id_number_is_refused(staff_user, make_expert):
    make_expert(1)
    b = make_expert(2)
    with pytest.raises(Rejected):
        services.update_expert(staff_user, b, id_number=id_number(1))
    b.refresh_from_db()
    assert identity.decrypt(b.id_number_token) == id_number(2)


@pytest.mark.parametrize("who", ["reporter", "enterprise_user", "expert_user", "provider_user"])
def test_only_the_bureau_adds_or_edits_experts(request, who, make_expert):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.create_expert(
            user,
            name="x",
            id_number=id_number(5),
            title="senior",
            organization_name="u",
            fields=["新材料"],
        )
    e = make_expert(1)
    with pytest.raises(PermissionDenied):
        services.update_expert(user, e, name="y")


def test_marking_available_clears_the_period(staff_user, make_expert):
    e = make_expert(1)
    services.set_availability(
        staff_user, e, available=False, unavailable_until=dt.date(2030, 1, 1), reason="出差"
    )
    e.refresh_from_db()
    assert not e.available and e.unavailable_until == dt.date(2030, 1, 1)
    services.set_availability(staff_user, e, available=True, reason="ignored")
    e.refresh_from_db()
    assert e.available and e.unavailable_until is None and e.unavailable_reason == ""


def test_an_expert_sets_only_their_own_availability(make_expert, expert_user, other_expert_user):
    mine = make_expert(1, user=expert_user)
    theirs = make_expert(2, user=other_expert_user)
    services.set_availability(expert_user, mine, available=False)
    with pytest.raises(PermissionDenied):
        services.set_availability(expert_user, theirs, available=False)
    theirs.refresh_from_db()
    assert theirs.available


def test_a_backwards_period_is_refused(make_expert, expert_user):
    e = make_expert(1, user=expert_user)
    with pytest.raises(Rejected) as info:
        services.set_availability(
            expert_user,
            e,
            available=False,
            unavailable_from=dt.date(2026, 6, 2),
            unavailable_until=dt.date(2026, 6, 1),
        )
    assert wheres(info) == ["不可参加止 / unavailable_until"]
    e.refresh_from_db()
    assert e.available


def test_an_expert_declares_a_relationship_for_themself_only(
    make_expert, expert_user, other_expert_user, org
):
    mine = make_expert(1, user=expert_user)
    r = services.declare_relationship(
        expert_user, mine, kind="part_time", organization_name="某研究院", note="兼职顾问"
    )
    assert r.declared_on == timezone.localdate() and r.declared_by == expert_user
    theirs = make_expert(2, user=other_expert_user)
    with pytest.raises(PermissionDenied):
        services.declare_relationship(expert_user, theirs, kind="other", organization_name="x")
    assert Relationship.objects.count() == 1


def test_a_relationship_needs_a_unit_and_a_known_kind(make_expert, staff_user):
    e = make_expert(1)
    with pytest.raises(Rejected) as info:
        services.declare_relationship(
            staff_user, e, kind="friend", declared_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert wheres(info) == ["单位名称 / organization", "关系 / kind", "声明日期 / declared_on"]
    assert not Relationship.objects.exists()


def test_the_bureau_records_collaborations_experts_cannot(make_expert, staff_user, expert_user):
    e = make_expert(1, user=expert_user)
    c = services.record_collaboration(
        staff_user, e, on=dt.date(2024, 5, 1), organization_name="合作企业", source="项目 2024-01"
    )
    assert c.created_by == staff_user
    with pytest.raises(PermissionDenied):
        services.record_collaboration(expert_user, e, on=dt.date(2024, 5, 1), organization_name="y")
    with pytest.raises(Rejected) as info:
        services.record_collaboration(staff_user, e, on=None, organization_name="")
    assert wheres(info) == ["合作单位 / organization", "合作日期 / on"]
    assert Collaboration.objects.count() == 1
