"""ID numbers: checked by python-stdnum, encrypted at rest, found by keyed hash, masked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection

from kechuang.experts import identity
from kechuang.experts.tests.conftest import id_number


def problems(raw) -> list[str]:
    _number, found = identity.check_id_number(raw, "身份证号 / id_number")
    return [p.message_en for p in found]


def test_a_valid_number_passes_and_is_normalised():
    good = id_number(1)
    number, found = identity.check_id_number(f" {good[:6]} {good[6:]} ".lower(), "where")
    assert number == good and found == []


def test_a_lowercase_x_check_digit_is_accepted():
    x = next(n for n in (id_number(i) for i in range(60)) if n.endswith("X"))
    assert problems(x.lower()) == []


def test_wrong_length_digits_and_check_digit_are_named():
    good = id_number(1)
    assert problems(good[:-1]) == ["the ID number must have 18 characters, not 17"]
    assert problems("65020219750301A01X") == ["the ID number must be 17 digits and a digit or X"]
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "check digit is wrong" in problems(wrong)[0]
    assert problems("") == ["the ID number is required"]


def test_impossible_or_future_birth_dates_are_refused():
    body = "65020219750231001"  # 31 February
    assert "date of birth" in problems(body + identity.ric.calc_check_digit(body + "0"))[0]
    future = id_number(1, born=dt.date.today() + dt.timedelta(days=400))
    assert "date of birth" in problems(future)[0]


def test_an_unknown_region_code_is_refused():
    bad = id_number(1, region="659999")
    assert "not a region code" in problems(bad)[0]


def test_a_dushanzi_number_of_someone_born_before_1983_is_accepted():
    # 650202 was created in 1983; people born earlier hold it too (the code is of first issue).
    assert problems(id_number(1, born=dt.date(1962, 5, 1))) == []


def test_an_excel_number_cell_is_refused_with_the_reason():
    assert "stored by Excel as a number" in problems(650202197503010011.0)[0]
    assert "stored by Excel as a number" in problems(650202197503010011)[0]


def test_messages_never_repeat_the_whole_number():
    good = id_number(1)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    _n, found = identity.check_id_number(wrong, "w")
    assert good[:17] not in found[0].message_zh and identity.mask(wrong) in found[0].message_zh


def test_masking_shows_the_first_three_and_last_four():
    assert identity.mask("650202197503010011") == "650***********0011"
    assert len(identity.mask("650202197503010011")) == 18


def test_encryption_round_trip_and_a_fresh_token_each_time():
    token = identity.encrypt("650202197503010011")
    assert identity.decrypt(token) == "650202197503010011"
    assert identity.encrypt("650202197503010011") != token
    assert not re.search(r"\d{6}", token)


def test_the_lookup_hash_is_stable_keyed_and_ignores_spelling(settings):
    h = identity.lookup_hash("650202197503010011")
    assert identity.lookup_hash(" 650202 197503010011 ") == h
    settings.KECHUANG_FIELD_KEY = "another key"
    assert identity.lookup_hash("650202197503010011") != h


def test_the_field_key_setting_replaces_the_secret_key(settings):
    token = identity.encrypt("650202197503010011")
    settings.KECHUANG_FIELD_KEY = "production key"
    with pytest.raises(ValueError, match="field key has changed"):
        identity.decrypt(token)
    assert identity.decrypt(identity.encrypt("x")) == "x"


def test_the_database_column_holds_no_digits_of_the_number(make_expert):
    number = id_number(7)
    expert = make_expert(7, id_number=number)
    with connection.cursor() as c:
        c.execute(
            "SELECT id_number_token, id_number_hash, id_number_masked FROM experts_expert "
            "WHERE id = %s",
            [expert.pk],
        )
        token, digest, masked = c.fetchone()
    assert number not in token and number[6:14] not in token and number[3:14] not in digest
    assert not re.search(r"\d{5}", token)
    assert masked == number[:3] + "*" * 11 + number[-4:]
    assert identity.decrypt(token) == number
