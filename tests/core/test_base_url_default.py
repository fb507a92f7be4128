"""BASE_URL follows HOST and PORT unless it is set: `make run` on another port writes links with that port."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from samen.config import default_base_url


@pytest.mark.parametrize("environ, expected", [
    ({}, "http://127.0.0.1:5000"),
    ({"PORT": "5001"}, "http://127.0.0.1:5001"),
    ({"HOST": "0.0.0.0", "PORT": "8000"}, "http://127.0.0.1:8000"),
    ({"HOST": "samen.local", "PORT": "5002"}, "http://samen.local:5002"),
    ({"HOST": "::1", "PORT": "5003"}, "http://[::1]:5003"),
])
def test_the_default_address_is_where_make_run_serves(environ, expected):
    assert default_base_url(environ) == expected


def test_a_set_base_url_wins_and_an_unset_one_follows_the_port():
    """Read in a fresh process, as `make run` does: the settings are read from the environment at import."""
    def base_url(**env: str) -> str:
        environ = {key: value for key, value in os.environ.items() if key not in {"BASE_URL", "HOST", "PORT"}}
        code = "from samen.config import Config; print(Config.BASE_URL)"
        return subprocess.run([sys.executable, "-c", code], env=environ | env, capture_output=True, text=True,
                              check=True).stdout.strip()

    assert base_url(PORT="5099") == "http://127.0.0.1:5099"
    assert base_url(PORT="5099", BASE_URL="https://samen.example.nl") == "https://samen.example.nl"
