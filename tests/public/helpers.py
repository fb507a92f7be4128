"""What the public tests share: what must never be public, and reading pages."""
from __future__ import annotations

SECRETS = ("Vertrouwelijk overleg met de politie", "Geheime notulen", "Verborgen idee met scheldwoorden",
           "Teruggetrokken idee van een ouder", "Besloten idee uit de nazorg")


def assert_nothing_secret(text: str) -> None:
    """Fail if any internal action, its update, or a hidden, withdrawn or members-only idea shows in text."""
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} must not be public"
