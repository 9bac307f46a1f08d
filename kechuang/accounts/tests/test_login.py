"""Signing in: strong hashing, lockout after repeated failures, idle sessions end."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher

from kechuang import settings as production

pytestmark = pytest.mark.django_db


def test_production_settings_hash_passwords_with_argon2():
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_a_password_set_in_production_is_an_argon2_hash(settings, staff_user):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    staff_user.set_password("a long passphrase 2025")
    assert identify_hasher(staff_user.password).algorithm == "argon2"


def test_sessions_end_after_thirty_idle_minutes_by_default():
    assert production.SESSION_COOKIE_AGE == 30 * 60
    assert production.SESSION_SAVE_EVERY_REQUEST, "each request must push the expiry forward"


def test_a_user_signs_in_and_reaches_the_dashboard(client, staff_user):
    r = client.post("/accounts/login/", {"username": "t_staff", "password": "pw-t_staff"})
    assert r.status_code == 302 and r["Location"] == "/dashboard/"


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "t_staff", "password": "wrong"})
    r = client.post("/accounts/login/", {"username": "t_staff", "password": "pw-t_staff"})
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_says_so_without_saying_which_part(client, staff_user):
    r = client.post("/accounts/login/", {"username": "t_staff", "password": "nope"})
    assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()
