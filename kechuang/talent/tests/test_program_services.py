"""Programs: the bureau sets them up; every refusal names the field and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.talent import services
from kechuang.talent.models import TalentProgram

DATA = {
    "code": "leading",
    "name": "领军人才",
    "level": "city",
    "kind": "leading",
    "support": "按市级规定给予支持",
    "support_amount": Decimal("100000"),
    "term_years": 3,
}


def test_the_bureau_creates_a_program_with_its_support_in_yuan(staff_user):
    program = services.create_program(staff_user, **DATA)
    assert (program.level, program.kind, program.support_amount) == (
        "city",
        "leading",
        Decimal("100000.00"),
    )


def test_the_bureau_changes_a_program(staff_user):
    program = services.create_program(staff_user, **DATA)
    services.update_program(staff_user, program, **(DATA | {"name": "市级领军人才"}))
    program.refresh_from_db()
    assert program.name == "市级领军人才"


def test_a_program_without_name_level_or_kind_is_refused_naming_each(staff_user):
    with pytest.raises(Rejected) as exc:
        services.create_program(staff_user, **(DATA | {"name": "", "level": "", "kind": "x"}))
    assert {p.where for p in exc.value.problems} == {"name", "level", "kind"}
    assert not TalentProgram.objects.exists()


@pytest.mark.parametrize("code", ["mine", "Has Space", "registry"])
def test_a_code_that_would_shadow_a_page_or_is_not_a_slug_is_refused(staff_user, code):
    with pytest.raises(Rejected) as exc:
        services.create_program(staff_user, **(DATA | {"code": code}))
    assert exc.value.problems[0].where == "code"


def test_a_taken_code_a_negative_amount_and_a_long_term_are_refused(staff_user):
    services.create_program(staff_user, **DATA)
    with pytest.raises(Rejected) as exc:
        services.create_program(
            staff_user, **(DATA | {"support_amount": Decimal(-1), "term_years": 30})
        )
    messages = {p.where: p.message_zh for p in exc.value.problems}
    assert "已被使用" in messages["code"]
    assert set(messages) == {"code", "support_amount", "term_years"}
    assert TalentProgram.objects.count() == 1


@pytest.mark.parametrize(
    "who", ["reporter", "enterprise_user", "provider_user", "unassigned_expert"]
)
def test_only_the_bureau_sets_up_programs(request, who):
    with pytest.raises(PermissionDenied):
        services.create_program(request.getfixturevalue(who), **DATA)
