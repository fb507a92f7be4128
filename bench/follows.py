"""Following: the poster's time for a progress update with 0 and with 5,000 followers, the fan-out that tells
those 5,000 outside the request, and the e-mail digest run for 10,000 people.

    python -m bench.follows                      # SQLite, a fresh file under instance/
    python -m bench.follows --backend postgresql # a scratch database on TEST_DATABASE_URL's server

It makes a database of its own (migrated to head), fills it with Core INSERTs, measures, and drops it. The
numbers go into docs/benchmarks.md ("Following and being told"); no test checks timings.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from samen import ROOT, create_app
from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.actions.cli import mail_digest
from samen.actions.models import ActionItem
from samen.config import Config
from samen.core import migrate
from samen.core.database import db, utcnow
from samen.follows.fanout import fan_out
from samen.follows.mails import queue_personal_mail
from samen.follows.models import Follow
from samen.notifications.digest import send_digests
from samen.notifications.models import Notification
from samen.thinktanks.models import Membership, Plan, ThinkTank

MONDAY = date(2026, 11, 23)


def _config(url: str) -> type[Config]:
    return type("FollowBench", (Config,), {"DATABASE_URL": url, "RATELIMIT_ENABLED": False, "MAIL_BACKEND": "memory",
                                           "FOLLOW_FANOUT_AFTER_COMMIT": False,
                                           "SECRET_KEY": "bench-secret-not-for-production"})


def _url(backend: str) -> str:
    if backend == "sqlite":
        path = ROOT / "instance" / "bench-follows.db"
        path.parent.mkdir(exist_ok=True)
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    base = make_url(os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS samen_bench_follows"))
        connection.execute(text("CREATE DATABASE samen_bench_follows"))
    admin.dispose()
    return base.set(database="samen_bench_follows").render_as_string(hide_password=False).replace(
        "postgresql+psycopg://", "postgresql://", 1)


def _users(n: int, *, digest: str = "never", prefix: str = "volger") -> list[int]:
    now = utcnow()
    first = (db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0) + 1
    rows = [{"id": first + i, "email": f"{prefix}{first + i}@bench.local", "display_name": f"Volger {i}",
             "password_hash": "x", "kind": "resident", "is_admin": False, "digest": digest, "created_at": now,
             "email_confirmed_at": now, "under_16": False, "failed_logins": 0, "locale": "nl"} for i in range(n)]
    for start in range(0, n, 2000):
        db.session.execute(insert(User), rows[start:start + 2000])
    db.session.commit()
    return [row["id"] for row in rows]


def _timed_updates(action_id: int, owner_id: int, n: int) -> list[float]:
    """Post n updates as a request would: load, operate, commit; return the milliseconds of each."""
    times = []
    for i in range(n):
        started = time.perf_counter()
        action = db.session.get(ActionItem, action_id)
        owner = db.session.get(User, owner_id)
        action_ops.post_update(action, by=owner, body=f"Update {i}: weer een school bezocht.", progress=i % 100)
        db.session.commit()
        times.append((time.perf_counter() - started) * 1000)
        db.session.expire_all()
    return times


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms (n={len(ordered)})"


def run(backend: str, *, followers: int, people: int, updates: int) -> dict[str, Any]:
    url = _url(backend)
    app = create_app(_config(url))
    results: dict[str, Any] = {"backend": backend, "load_before": os.getloadavg()}
    with app.app_context():
        migrate.upgrade()
        db.session.add(Plan(title="Bench", municipality="Bench", introduction=""))
        tank = ThinkTank(slug="bench-volgen", name="Bench volgen")
        db.session.add(tank)
        db.session.flush()
        [owner_id] = _users(1, prefix="eigenaar")
        db.session.add(Membership(thinktank_id=tank.id, user_id=owner_id, role="chair", status="active"))
        db.session.commit()
        owner = db.session.get(User, owner_id)
        quiet = action_ops.create_action(tank, by=owner, title="Zonder volgers", owner=owner)
        busy = action_ops.create_action(tank, by=owner, title="Met volgers", owner=owner)
        db.session.commit()
        quiet_id, busy_id = quiet.id, busy.id
        fan_out(queue_personal_mail)

        ids = _users(followers)
        now = utcnow()
        for start in range(0, len(ids), 2000):
            db.session.execute(insert(Follow), [{"user_id": uid, "target_kind": "action", "target_id": busy_id,
                                                 "active": True, "created_at": now} for uid in ids[start:start + 2000]])
        db.session.commit()

        _timed_updates(quiet_id, owner_id, 5)  # warm up
        fan_out(queue_personal_mail)
        results["update_0"] = _summary(_timed_updates(quiet_id, owner_id, updates))
        results["update_n"] = _summary(_timed_updates(busy_id, owner_id, updates))
        # The fan-out of one update to every follower (the worker's time, not the poster's).
        fan_out(queue_personal_mail)  # the measured updates' events: done here, timed per event below
        _timed_updates(busy_id, owner_id, 1)
        started = time.perf_counter()
        told = fan_out(queue_personal_mail)
        results["fan_out"] = f"{(time.perf_counter() - started) * 1000:.0f} ms for {told.notifications} notifications"

        # The digest run: `people` accounts with a weekly digest, each with three notifications waiting.
        db.session.execute(text("DELETE FROM notifications"))
        db.session.commit()
        subscribers = _users(people, digest="weekly", prefix="lezer")
        last_week = utcnow() - timedelta(days=3)
        for start in range(0, len(subscribers), 2000):
            db.session.execute(insert(Notification), [
                {"user_id": uid, "kind": kind, "url": f"/actions/{busy_id}", "created_at": last_week,
                 "data": {"action_title": "Met volgers", "progress": 40, "idea_title": "Groepsdruk"}}
                for uid in subscribers[start:start + 2000] for kind in ("action.update", "idea.status", "comment")])
        db.session.commit()
        results["load_digest"] = os.getloadavg()
        started = time.perf_counter()
        digest = send_digests(MONDAY, mail_digest)
        seconds = time.perf_counter() - started
        results["digest"] = (f"{seconds:.1f} s for {digest.sent} digests ({digest.notifications} notifications), "
                             f"{seconds / max(digest.sent, 1) * 1000:.2f} ms each")
        results["load_after"] = os.getloadavg()
    app.extensions["samen_db"]["engine"].dispose()
    if backend == "sqlite":
        Path(make_url(url).database or "").unlink(missing_ok=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--followers", type=int, default=5000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=40)
    args = parser.parse_args()
    results = run(args.backend, followers=args.followers, people=args.people, updates=args.updates)
    for key, value in results.items():
        print(f"{key:12} {value}")


if __name__ == "__main__":
    main()
