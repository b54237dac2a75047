"""config/env.py: settings read from the environment, strictly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list


@pytest.mark.parametrize("raw,expected", [("true", True), ("False", False), ("1", True), ("off", False), ("", True)])
def test_it_reads_clear_booleans(monkeypatch, raw, expected):
    monkeypatch.setenv("VACHAN_FLAG", raw)
    assert env_bool("VACHAN_FLAG", default=True) is expected


def test_it_refuses_an_unclear_boolean(monkeypatch):
    monkeypatch.setenv("VACHAN_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="VACHAN_FLAG"):
        env_bool("VACHAN_FLAG", default=False)


def test_it_refuses_a_number_that_is_not_one(monkeypatch):
    monkeypatch.setenv("VACHAN_PORT", "twenty")
    with pytest.raises(ImproperlyConfigured, match="VACHAN_PORT"):
        env_int("VACHAN_PORT", 25)


def test_it_splits_lists_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("VACHAN_HOSTS", "a.example, b.example,,")
    assert env_list("VACHAN_HOSTS") == ["a.example", "b.example"]
