"""Nominations: the employer enters one person, the ID number is encrypted at rest, and every
refusal names the field and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from kechuang.core.problems import Rejected
from kechuang.experts.tests.conftest import id_number
from kechuang.talent import services
from kechuang.talent.models import TalentApplication

from .conftest import person


def test_an_employer_saves_a_draft_nomination_with_its_history(employer, call):
    app = services.create_application(employer, call, **person(1))
    assert (app.state, app.employer, app.code) == ("draft", employer.organization, None)
    assert list(app.state_changes.values_list("to_state", "by")) == [("draft", employer.pk)]


def test_the_birth_year_is_read_from_the_id_number_and_no_birth_date_is_kept(draft):
    assert draft.birth_year == 1985
    assert not hasattr(draft, "birth_date")


def test_the_database_holds_no_digit_of_the_id_number(draft):
    number = person(1)["id_number"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number_token, id_number_hash, id_number_masked FROM "
            "talent_talentapplication WHERE id = %s",
            [draft.pk],
        )
        token, digest, masked = cursor.fetchone()
    # A Fernet token is base64: it may hold digits, but never the number or a run of it.
    assert not any(number[i : i + 6] in token for i in range(len(number) - 5))
    assert number not in digest
    assert masked == number[:3] + "*" * 11 + number[-4:]
    assert number[3:14] not in masked


def test_a_research_institution_nominates_too(institution_user, call):
    app = services.create_application(institution_user, call, **person(2))
    assert app.employer.kind == "institution"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("65020219850601001", "应为 18 位"),
        ("650202198506010010", "校验位错误"),
        ("", "请填写身份证号"),
    ],
)
def test_a_wrong_id_number_is_refused_naming_the_field(employer, call, value, message):
    with pytest.raises(Rejected) as exc:
        services.create_application(employer, call, **person(1, id_number=value))
    assert exc.value.problems[0].where == "身份证号 / id_number"
    assert message in exc.value.problems[0].message_zh
    assert not TalentApplication.objects.exists()


def test_unknown_choices_and_a_missing_name_are_each_refused(employer, call):
    bad = person(1, name="", gender="x", education="phd", field="石油")
    with pytest.raises(Rejected) as exc:
        services.create_application(employer, call, **bad)
    assert {p.where.split(" / ")[1] for p in exc.value.problems} == {
        "name",
        "gender",
        "education",
        "field",
    }


def test_the_same_person_cannot_be_nominated_twice_to_one_call(
    employer, other_employer, call, draft
):
    with pytest.raises(Rejected) as exc:
        services.create_application(other_employer, call, **person(1))
    assert "同一人每次只能有一份申报" in exc.value.problems[0].message_zh
    assert TalentApplication.objects.count() == 1


def test_a_withdrawn_nomination_does_not_block_a_new_one(employer, call, draft):
    services.withdraw_application(employer, draft, "信息有误，重新推荐")
    again = services.create_application(employer, call, **person(1))
    assert again.state == "draft"


def test_no_draft_before_the_call_opens(employer, make_call, clock, call_data):
    future = make_call(code="later")
    clock(future.opens_at.replace(year=future.opens_at.year - 1))
    with pytest.raises(Rejected) as exc:
        services.create_application(employer, future, **person(1))
    assert "开始" in exc.value.problems[0].message_zh


def test_editing_with_a_blank_id_number_keeps_the_stored_one(employer, draft):
    token = draft.id_number_token
    services.update_application(
        employer, draft, **(person(1, title="正高级工程师") | {"id_number": ""})
    )
    draft.refresh_from_db()
    assert (draft.title, draft.id_number_token) == ("正高级工程师", token)


def test_a_new_id_number_on_edit_replaces_hash_mask_and_birth_year(employer, draft):
    services.update_application(employer, draft, id_number=id_number(5, born=dt.date(1990, 1, 1)))
    draft.refresh_from_db()
    assert draft.birth_year == 1990


def test_a_submitted_nomination_cannot_be_edited(employer, submitted):
    with pytest.raises(Rejected) as exc:
        services.update_application(employer, submitted, title="改")
    assert "已提交" in exc.value.problems[0].message_zh


def test_another_employer_cannot_touch_the_nomination(other_employer, draft):
    with pytest.raises(PermissionDenied):
        services.update_application(other_employer, draft, title="改")
    with pytest.raises(PermissionDenied):
        services.submit_application(other_employer, draft)


@pytest.mark.parametrize("who", ["staff_user", "reporter", "provider_user", "unassigned_expert"])
def test_only_employers_nominate(request, who, call):
    with pytest.raises(PermissionDenied):
        services.create_application(request.getfixturevalue(who), call, **person(1))
