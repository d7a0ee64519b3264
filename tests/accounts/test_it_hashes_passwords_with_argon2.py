"""Passwords are stored with Argon2id; one stored with PBKDF2 still logs in and is stored again with Argon2id.

The suite itself hashes with MD5 for speed, so these tests put back the deployed list of hashers."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings

from staffrole.settings import base

pytestmark = pytest.mark.django_db

DEPLOYED = override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS)


def test_the_deployed_settings_prefer_argon2id_and_keep_reading_pbkdf2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS


@DEPLOYED
def test_a_new_password_is_stored_with_argon2id():
    user = get_user_model().objects.create_user("newcomer", password="a long enough passphrase")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("a long enough passphrase")
    assert not user.check_password("another passphrase")


@DEPLOYED
def test_a_password_stored_with_pbkdf2_logs_in_and_is_stored_again_with_argon2id(client, log_in):
    stored = make_password("the old passphrase", hasher="pbkdf2_sha256")
    user = get_user_model().objects.create(username="veteran", password=stored)
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = log_in(client, "veteran", "the old passphrase")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("the old passphrase")
