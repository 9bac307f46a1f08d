"""Registering and editing enterprises: the USCC is checked by GB 32100, and only the bureau
changes registration data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from stdnum.cn import uscc as stdnum_uscc

from kechuang.accounts.models import Organization
from kechuang.core.problems import Rejected
from kechuang.enterprises import services
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tests.conftest import make_uscc


def rejected(call) -> list[str]:
    with pytest.raises(Rejected) as exc:
        call()
    return [str(p) for p in exc.value.problems]


def test_registering_creates_the_enterprise_and_its_organisation(staff_user, industries, park):
    e = services.create_enterprise(
        staff_user,
        uscc=make_uscc(7).lower(),
        name=" 新疆独山子恒泰新材料有限公司 ",
        industry="26",
        park="dsz-etdz",
        registered_on=dt.date(2016, 4, 1),
        high_tech_field="新材料",
    )
    assert e.uscc == make_uscc(7)
    assert (e.name, e.industry.code, e.park, e.high_tech_field) == (
        "新疆独山子恒泰新材料有限公司",
        "C26",
        park,
        "新材料",
    )
    org = e.organization
    assert (org.kind, org.code, org.name) == ("enterprise", f"ent-{e.uscc.lower()}", e.name)


def test_a_wrong_check_character_names_the_expected_one(staff_user, industries):
    good = make_uscc(8)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    problems = rejected(lambda: services.create_enterprise(staff_user, uscc=wrong, name="某公司"))
    expected = stdnum_uscc.calc_check_digit(good[:-1])
    assert len(problems) == 1
    assert "统一社会信用代码 / uscc" in problems[0]
    assert f"第 18 位应为「{expected}」" in problems[0] and wrong[-1] in problems[0]
    assert not Enterprise.objects.exists()
    assert not Organization.objects.filter(kind="enterprise").exists()


@pytest.mark.parametrize(
    ("code", "says"),
    [("91650202MA7", "应为 18 位"), ("9165020IMA78XXXXXX", "格式错误"), ("", "请填写")],
)
def test_malformed_codes_are_refused(staff_user, industries, code, says):
    problems = rejected(lambda: services.create_enterprise(staff_user, uscc=code, name="某公司"))
    assert says in problems[0]


def test_a_code_registered_twice_is_refused(staff_user, enterprise):
    problems = rejected(
        lambda: services.create_enterprise(staff_user, uscc=enterprise.uscc, name="又一家")
    )
    assert "已登记" in problems[0]


def test_unknown_industry_and_park_and_future_registration_are_all_reported(staff_user, industries):
    problems = rejected(
        lambda: services.create_enterprise(
            staff_user,
            uscc=make_uscc(9),
            name="某公司",
            industry="Z99",
            park="nowhere",
            registered_on=dt.date(2999, 1, 1),
        )
    )
    text = "\n".join(problems)
    assert (
        "未知行业代码「Z99」" in text and "未知园区「nowhere」" in text and "不能晚于今天" in text
    )


@pytest.mark.parametrize("role", ["reporter", "enterprise", "expert"])
def test_only_the_bureau_registers_enterprises(plan, industries, role):
    from kechuang.accounts.models import User

    user = User.objects.create_user(username=f"t_{role}", password="x", role=role)
    with pytest.raises(PermissionDenied):
        services.create_enterprise(user, uscc=make_uscc(3), name="某公司")


def test_an_enterprise_user_edits_its_contact_details_only(own_user, enterprise):
    services.update_enterprise(
        own_user, enterprise, contact_phone="0992-3600000", address="独山子区"
    )
    enterprise.refresh_from_db()
    assert (enterprise.contact_phone, enterprise.address) == ("0992-3600000", "独山子区")
    with pytest.raises(PermissionDenied):
        services.update_enterprise(own_user, enterprise, name="改个名字")
    with pytest.raises(PermissionDenied):
        services.update_enterprise(own_user, enterprise, industry="C25")


def test_an_enterprise_user_cannot_edit_another_enterprise(own_user, make_enterprise):
    other = make_enterprise(2)
    with pytest.raises(PermissionDenied):
        services.update_enterprise(own_user, other, contact_phone="1")


def test_renaming_renames_the_organisation_and_is_audited(staff_user, enterprise):
    from auditlog.models import LogEntry

    services.update_enterprise(staff_user, enterprise, name="新疆独山子新名字有限公司")
    enterprise.refresh_from_db()
    assert enterprise.organization.name == "新疆独山子新名字有限公司"
    entry = (
        LogEntry.objects.get_for_object(enterprise).filter(action=LogEntry.Action.UPDATE).first()
    )
    assert entry is not None and "name" in entry.changes_dict


def test_the_service_officer_must_be_bureau_staff(staff_user, reporter, enterprise):
    services.assign_service_officer(staff_user, enterprise, staff_user)
    assert enterprise.service_officer == staff_user
    with pytest.raises(Rejected):
        services.assign_service_officer(staff_user, enterprise, reporter)
