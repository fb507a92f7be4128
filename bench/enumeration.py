"""`python -m bench.enumeration`: how long registration, a wrong sign-in and a reset request take for an address
with an account and for one without (docs/security.md, "Account enumeration").

The requests go through the app in this process (the test client, on a database of its own — a SQLite file, or
with `--backend postgresql` a database `samen_bench_enumeration` on BENCH_POSTGRES_URL's or TEST_DATABASE_URL's
server, dropped afterwards — real scrypt hashes, mail to the memory backend after the response), alternating known
and unknown, so that what differs between the two is only what the server does. Prints the median, the 90th
percentile and the mean per case.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench import databases
from samen import create_app
from samen.accounts import operations as account_ops
from samen.core import migrate
from samen.core.database import db
from samen.core.mail import wait_for_mail

PASSWORD = "tulp-molen-kaas-42"
KNOWN = "bekend@example.org"


def _app(url: str, floor: float | None) -> Any:
    overrides: dict[str, Any] = {} if floor is None else {"ACCOUNT_FORM_MIN_SECONDS": floor}
    app = create_app(databases.bench_config(url, WTF_CSRF_ENABLED=False, MAIL_BACKEND="memory",
                                            LOGIN_LOCKOUT_THRESHOLD=10 ** 6, **overrides))
    with app.app_context():
        migrate.upgrade()
        account_ops.create_user(email=KNOWN, display_name="Bekend", password=PASSWORD)
        db.session.commit()
    return app


def _forms() -> dict[str, Callable[[str], tuple[str, dict[str, str]]]]:
    def register(address: str) -> tuple[str, dict[str, str]]:
        return "/register", {"email": address, "display_name": "Merel", "kind": "resident", "password": PASSWORD,
                             "confirm": PASSWORD, "accept_terms": "y"}

    return {
        "register": register,
        "sign in, wrong password": lambda address: ("/login", {"email": address, "password": "niet-dit-wachtwoord-1"}),
        "password reset": lambda address: ("/password/forgot", {"email": address}),
    }


def measure(app: Any, tries: int) -> list[tuple[str, str, list[float]]]:
    """Return (form, 'known' or 'unknown', durations in ms) for each form."""
    results = []
    fresh = iter(range(10 ** 9))
    for name, form in _forms().items():
        times: dict[str, list[float]] = {"known": [], "unknown": []}
        for round_ in range(tries + 2):  # two rounds to warm up, not counted
            for case in ("known", "unknown"):
                address = KNOWN if case == "known" else f"onbekend{next(fresh)}@example.org"
                path, data = form(address)
                client = app.test_client()
                started = time.perf_counter()
                response = client.post(path, data=data)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code in (302, 422), (name, case, response.status_code)
                if round_ >= 2:
                    times[case].append(elapsed)
        wait_for_mail(app)
        results += [(name, case, durations) for case, durations in times.items()]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=50, help="requests per case (default 50)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--floor", type=float, default=None,
                        help="ACCOUNT_FORM_MIN_SECONDS for this run (default: the setting's, 0.25; 0: none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'enumeration.db'}"
        if args.backend == "postgresql":
            server = databases.postgres_url()
            if server is None:
                parser.error("set BENCH_POSTGRES_URL or TEST_DATABASE_URL for --backend postgresql")
            url = make_url(server).set(database="samen_bench_enumeration").render_as_string(hide_password=False)
            databases.drop_database(url)
            databases.create_postgres_database(url)
        app = _app(url, args.floor)
        print(f"{'form':26} {'address':8} {'median ms':>10} {'p90 ms':>8} {'mean ms':>8}")
        for name, case, durations in measure(app, args.tries):
            p90 = statistics.quantiles(durations, n=10)[-1]
            print(f"{name:26} {case:8} {statistics.median(durations):10.1f} {p90:8.1f} "
                  f"{statistics.mean(durations):8.1f}")
        app.extensions["samen_db"]["engine"].dispose()
        if args.backend == "postgresql":
            databases.drop_database(url)


if __name__ == "__main__":
    main()
