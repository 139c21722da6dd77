"""Settings from the environment: values that cannot be read stop the app; proxies are trusted only when said."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "framescope.example",
    "DATABASE_URL": "sqlite:///:memory:",
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" YES ", True),
        ("On", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
    ],
)
def test_env_bool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("FRAMESCOPE_TEST_FLAG", raw)
    assert env_bool("FRAMESCOPE_TEST_FLAG", not expected) is expected


def test_env_bool_takes_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("FRAMESCOPE_TEST_FLAG", raising=False)
    assert env_bool("FRAMESCOPE_TEST_FLAG", True) is True
    monkeypatch.setenv("FRAMESCOPE_TEST_FLAG", "")
    assert env_bool("FRAMESCOPE_TEST_FLAG", False) is False


@pytest.mark.parametrize("raw", ["ture", "2", "enabled", "nope"])
def test_env_bool_refuses_a_word_it_cannot_read(monkeypatch, raw):
    monkeypatch.setenv("FRAMESCOPE_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match=f"FRAMESCOPE_TEST_FLAG='{raw}' is not a yes/no value"):
        env_bool("FRAMESCOPE_TEST_FLAG", False)


def test_env_int_reads_whole_numbers_within_bounds(monkeypatch):
    monkeypatch.setenv("FRAMESCOPE_TEST_NUMBER", " 42 ")
    assert env_int("FRAMESCOPE_TEST_NUMBER", 1, minimum=0) == 42
    monkeypatch.delenv("FRAMESCOPE_TEST_NUMBER")
    assert env_int("FRAMESCOPE_TEST_NUMBER", 7) == 7


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("sixty", "is not a whole number"),
        ("1.5", "is not a whole number"),
        ("-1", "below the minimum of 0"),
        ("100", "above the maximum of 10"),
    ],
)
def test_env_int_refuses_what_it_cannot_read_or_is_out_of_bounds(monkeypatch, raw, message):
    monkeypatch.setenv("FRAMESCOPE_TEST_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match=f"FRAMESCOPE_TEST_NUMBER.*{message}"):
        env_int("FRAMESCOPE_TEST_NUMBER", 1, minimum=0, maximum=10)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("FRAMESCOPE_TEST_LIST", " a.example, ,b.example ")
    assert env_list("FRAMESCOPE_TEST_LIST") == ["a.example", "b.example"]


def settings_under(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with `env` and print the named settings as JSON."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60
    )


def test_production_trusts_x_forwarded_proto_only_when_a_proxy_is_declared():
    plain = settings_under(PRODUCTION, "SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT")
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout) == {"SECURE_PROXY_SSL_HEADER": None, "SECURE_SSL_REDIRECT": True}
    proxied = settings_under({**PRODUCTION, "TRUSTED_PROXY_COUNT": "1"}, "SECURE_PROXY_SSL_HEADER")
    assert json.loads(proxied.stdout) == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}


def test_a_misspelt_setting_stops_the_app_with_its_name():
    result = settings_under({**PRODUCTION, "SECURE_SSL_REDIRECT": "ture"}, "SECURE_SSL_REDIRECT")
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT='ture' is not a yes/no value" in result.stderr


def test_postgresql_connections_are_persistent_health_checked_and_time_out():
    url = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/framescope"}
    result = settings_under({**PRODUCTION, **url, "SESSION_IDLE_MINUTES": "20"}, "DATABASES", "SESSION_COOKIE_AGE")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    database = values["DATABASES"]["default"]
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"], database["OPTIONS"]["connect_timeout"]) == (
        60,
        True,
        2,
    )
    assert values["SESSION_COOKIE_AGE"] == 20 * 60


def test_postgresql_connections_run_without_jit_unless_asked():
    """JIT compiling the read model's grouped counts took longer than running them (docs/readmodel.md)."""
    url = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/framescope"}
    plain = settings_under({**PRODUCTION, **url}, "DATABASES")
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout)["DATABASES"]["default"]["OPTIONS"]["options"] == "-c jit=off"
    asked = settings_under({**PRODUCTION, **url, "DB_JIT": "1"}, "DATABASES")
    assert "options" not in json.loads(asked.stdout)["DATABASES"]["default"]["OPTIONS"]
    sqlite = settings_under({**PRODUCTION, "DATABASE_URL": "sqlite:///:memory:"}, "DATABASES")
    assert "options" not in json.loads(sqlite.stdout)["DATABASES"]["default"]["OPTIONS"]
