"""Intellectual property: numbers checked where the numbering is fixed, class from the kind."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.core.problems import Rejected
from kechuang.enterprises import checks, services
from kechuang.enterprises.models import IntellectualProperty


def add(user, enterprise, **data):
    data.setdefault("title", "一种聚烯烃催化剂及其制备方法")
    return services.save_ip(user, enterprise, **data)


@pytest.mark.parametrize(
    ("number", "expected"),
    [("201710601862", "3"), ("95115608", "X"), ("202310123456", "6")],
)
def test_the_patent_check_digit(number, expected):
    assert checks.patent_check_digit(number) == expected


def test_a_granted_invention_patent_is_class_one_and_cited_with_zl(own_user, enterprise):
    ip = add(own_user, enterprise, kind="invention_patent", number="ZL 2023 1 0123456.6")
    assert (ip.number, ip.ip_class, ip.display_number) == ("202310123456.6", "I", "202310123456.6")
    ip = add(
        own_user,
        enterprise,
        kind="utility_model",
        number="202320123456.1",
        granted_on=__import__("datetime").date(2024, 1, 5),
    )
    assert (ip.ip_class, ip.status, ip.display_number) == ("II", "granted", "ZL202320123456.1")


@pytest.mark.parametrize(
    ("kind", "number", "says"),
    [
        ("invention_patent", "2023101234567", "格式错误"),
        ("invention_patent", "202310123456.8", "小数点后应为「6」"),
        ("invention_patent", "202320123456.1", "类型位为「2」"),
        ("design_patent", "202310123456.6", "类型位为「1」"),
        ("software_copyright", "2023-SR-0123456", "软件著作权登记号"),
        ("software_copyright", "SR0123456", "软件著作权登记号"),
    ],
)
def test_malformed_numbers_are_refused(own_user, enterprise, kind, number, says):
    with pytest.raises(Rejected) as exc:
        add(own_user, enterprise, kind=kind, number=number)
    text = str(exc.value)
    assert "号码 / number" in text and says in text
    assert not IntellectualProperty.objects.exists()


def test_software_copyright_and_other_kinds(own_user, enterprise):
    sw = add(own_user, enterprise, kind="software_copyright", number="2023sr0123456")
    assert (sw.number, sw.ip_class) == ("2023SR0123456", "II")
    tm = add(own_user, enterprise, kind="trademark", number="第12345678号")
    assert tm.ip_class == "none"
    with pytest.raises(Rejected) as exc:
        add(own_user, enterprise, kind="other", number="X-1")
    assert "须注明类别" in str(exc.value)
    other = add(own_user, enterprise, kind="other", number="X-1", ip_class="II")
    assert other.ip_class == "II"


def test_the_class_of_a_named_kind_cannot_be_overridden(own_user, enterprise):
    ip = add(own_user, enterprise, kind="utility_model", number="202320123456.1", ip_class="I")
    assert ip.ip_class == "II"


def test_the_same_number_updates_instead_of_duplicating(own_user, enterprise):
    add(own_user, enterprise, kind="invention_patent", number="202310123456.6")
    again = add(
        own_user, enterprise, kind="invention_patent", number="ZL202310123456.6", valid=False
    )
    assert IntellectualProperty.objects.count() == 1 and again.valid is False


def test_grant_before_application_is_refused(own_user, enterprise):
    import datetime as dt

    with pytest.raises(Rejected) as exc:
        add(
            own_user,
            enterprise,
            kind="invention_patent",
            number="202310123456.6",
            applied_on=dt.date(2023, 5, 1),
            granted_on=dt.date(2023, 1, 1),
        )
    assert "授权日早于申请日" in str(exc.value)


def test_an_enterprise_user_cannot_add_ip_to_another(own_user, make_enterprise):
    other = make_enterprise(2)
    with pytest.raises(PermissionDenied):
        add(own_user, other, kind="invention_patent", number="202310123456.6")
