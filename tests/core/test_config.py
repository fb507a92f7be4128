"""Configuration: production refuses to start without a real secret."""
from __future__ import annotations

from pathlib import Path

import pytest

from samen import create_app
from samen.config import DEFAULT_SECRET, Config, ProductionConfig, config_from_env


HELP_KEY = "jYGm4Bq3Hq9Fv0iSOnaYyP2Wc9ZVmJt5q7yXl3u8xRc="  # production needs one (docs/helpdesk.md)


def production(tmp_path: Path, **overrides: object) -> type[ProductionConfig]:
    """Return the production configuration on a throwaway database.

    The rate limiter stays off: it is one object shared by every app in the process, and switching it on here
    would count the other tests' sign-ins.
    """
    return type("Production", (ProductionConfig,), {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.db'}", "RATELIMIT_ENABLED": False,
        "HELP_ENCRYPTION_KEY": HELP_KEY, **overrides})


@pytest.mark.parametrize("secret", [DEFAULT_SECRET, "", None])
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(production(tmp_path, SECRET_KEY=secret))


def test_production_starts_with_a_real_secret_key_and_secure_cookies(tmp_path):
    app = create_app(production(tmp_path, SECRET_KEY="a-long-random-value-from-the-environment-0123456789"))
    assert app.config["PRODUCTION"] and not app.config["TESTING"]
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_samen_env_chooses_the_configuration(monkeypatch):
    monkeypatch.setenv("SAMEN_ENV", "production")
    assert config_from_env() is ProductionConfig
    monkeypatch.setenv("SAMEN_ENV", "development")
    assert config_from_env() is Config
    monkeypatch.delenv("SAMEN_ENV")
    assert config_from_env() is Config


def test_the_scale_out_settings_come_from_the_environment():
    """What deploy/env.example and the systemd units set reaches the app (read when samen.config is imported)."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "LIVE_SERVER_ID": "samen-2", "LIVE_IDEA_RATE_LIMIT": "3 per minute",
           "LIVE_TALLY_INTERVAL": "0.25", "LIVE_HEARTBEAT_SECONDS": "30", "RATELIMIT_KEY_PREFIX": "site-a",
           "TRUSTED_PROXIES": "1", "DATABASE_POOL_SIZE": "25"}
    names = ["LIVE_SERVER_ID", "LIVE_IDEA_RATE_LIMIT", "LIVE_TALLY_INTERVAL", "LIVE_HEARTBEAT_SECONDS",
             "RATELIMIT_KEY_PREFIX", "TRUSTED_PROXIES", "DATABASE_POOL_SIZE"]
    code = ("import json; from samen.config import ProductionConfig as C; "
            f"print(json.dumps({{name: getattr(C, name) for name in {names!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert json.loads(result.stdout) == {"LIVE_SERVER_ID": "samen-2", "LIVE_IDEA_RATE_LIMIT": "3 per minute",
                                         "LIVE_TALLY_INTERVAL": 0.25, "LIVE_HEARTBEAT_SECONDS": 30.0,
                                         "RATELIMIT_KEY_PREFIX": "site-a", "TRUSTED_PROXIES": 1,
                                         "DATABASE_POOL_SIZE": 25}


def test_the_live_settings_come_from_the_environment(tmp_path):
    import json
    import subprocess
    import sys

    env = {"PATH": "", "LIVE_SERVER_ID": "samen-2", "LIVE_IDEA_RATE_LIMIT": "3 per minute",
           "LIVE_TALLY_INTERVAL": "0.25", "LIVE_PRESENCE_INTERVAL": "1", "LIVE_HEARTBEAT_SECONDS": "30"}
    names = list(env)[1:]
    code = ("import json; from samen.config import Config; "
            f"print(json.dumps([getattr(Config, name) for name in {names!r}]))")
    output = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2]).stdout
    assert json.loads(output) == ["samen-2", "3 per minute", 0.25, 1.0, 30.0]
    assert (Config.LIVE_TALLY_INTERVAL, Config.LIVE_PRESENCE_INTERVAL) == (0.1, 0.5)  # the defaults
