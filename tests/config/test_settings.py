"""config/settings.py: the runtime the product is promised to have."""

import pytest
from django.conf import settings
from django.db import connection

import config.settings as configured


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions_and_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("this run uses PostgreSQL (DATABASE_URL)")
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_email_goes_through_mailers_and_prints_to_the_console_by_default():
    assert configured.MAILERS == {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    assert not hasattr(configured, "EMAIL_BACKEND")


def test_passwords_are_hashed_with_argon2():
    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
