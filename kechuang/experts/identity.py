"""Resident ID numbers (身份证号): checked, encrypted at rest, found again by a keyed hash, masked.

The number is stored only as a Fernet token (AES-128-CBC with HMAC-SHA256, random IV) and
a keyed hash, so a copy of the database shows no digits and duplicates are still found
without decrypting anything. Both keys are derived with HKDF from ``KECHUANG_FIELD_KEY``, or
from ``SECRET_KEY`` when it is unset so a development checkout works; changing the key makes
the stored numbers unreadable, so production sets it once and keeps it.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import timezone
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from kechuang.core.problems import Problem

MASK_HEAD = 3
MASK_TAIL = 4


def _material() -> bytes:
    return (settings.KECHUANG_FIELD_KEY or settings.SECRET_KEY).encode()


@functools.lru_cache(maxsize=4)
def _keys(material: bytes) -> tuple[Fernet, bytes]:
    # One derivation per purpose: the encryption key never doubles as the hashing key.
    def derive(info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(material)

    fernet = Fernet(base64.urlsafe_b64encode(derive(b"kechuang field encryption v1")))
    return fernet, derive(b"kechuang field lookup hash v1")


def encrypt(text: str) -> str:
    return _keys(_material())[0].encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext; a token made under another key is an error, never an empty string."""
    try:
        return _keys(_material())[0].decrypt(token.encode("ascii")).decode()
    except InvalidToken as exc:
        raise ValueError(
            "cannot decrypt: the field key has changed or the value is damaged"
        ) from exc


def lookup_hash(number: str) -> str:
    """HMAC-SHA256 of the normalised number: equal numbers, equal hashes; no key, no guessing."""
    key = _keys(_material())[1]
    return hmac.new(key, normalise(number).encode(), hashlib.sha256).hexdigest()


def normalise(raw: object) -> str:
    """Upper case, without the spaces and hyphens people type between the groups."""
    return ric.compact("".join(str(raw or "").split()).replace("-", ""))


def mask(number: str) -> str:
    """``650***********1234``: enough to tell two people apart on a list, not to use the number."""
    n = normalise(number)
    if len(n) <= MASK_HEAD + MASK_TAIL:
        return "*" * len(n)
    return n[:MASK_HEAD] + "*" * (len(n) - MASK_HEAD - MASK_TAIL) + n[-MASK_TAIL:]


def _place_known(number: str) -> bool:
    # stdnum also requires the county to have existed in the birth year, but the code is the
    # one the card was first issued under: a Dushanzi resident born in 1975 holds 650202…, a
    # code created in 1983. So any county code the table ever had is accepted.
    return any("county" in props for _part, props in numdb.get("cn/loc").info(number[:6]))


def check_id_number(raw: object, where: str) -> tuple[str, list[Problem]]:
    """The normalised number and the problems with it (length, digits, check digit, birth date,
    region code), judged by python-stdnum (``stdnum.cn.ric``)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # Excel keeps only 15 significant digits of a number: the last three are already lost.
        return "", [
            Problem(
                where,
                "身份证号被 Excel 存成了数字（后几位已丢失），请把该列设为“文本”后重新填写",
                "the ID number was stored by Excel as a number (its last digits are lost); "
                "format the column as text and enter it again",
            )
        ]
    number = normalise(raw)
    if not number:
        return "", [Problem(where, "请填写身份证号", "the ID number is required")]
    shown = mask(number)
    try:
        if len(number) != 18:
            raise InvalidLength
        if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
            raise InvalidFormat
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum
        born = ric.get_birth_date(number)
        if not dt.date(1900, 1, 1) <= born <= timezone.localdate():
            raise InvalidComponent
        if not _place_known(number):
            return number, [
                Problem(
                    where,
                    f"身份证号「{shown}」的前 6 位不是有效的行政区划代码",
                    f"ID number '{shown}': the first 6 digits are not a region code",
                )
            ]
    except InvalidLength:
        return number, [
            Problem(
                where,
                f"身份证号应为 18 位，现为 {len(number)} 位",
                f"the ID number must have 18 characters, not {len(number)}",
            )
        ]
    except InvalidFormat:
        return number, [
            Problem(
                where,
                "身份证号应为 17 位数字加 1 位数字或 X",
                "the ID number must be 17 digits and a digit or X",
            )
        ]
    except InvalidChecksum:
        return number, [
            Problem(
                where,
                f"身份证号「{shown}」校验位错误，请核对",
                f"ID number '{shown}': the check digit is wrong",
            )
        ]
    except InvalidComponent:
        return number, [
            Problem(
                where,
                f"身份证号「{shown}」中的出生日期无效",
                f"ID number '{shown}': the date of birth is not valid",
            )
        ]
    return number, []
