"""bench/faults.py's short form (issue #17): deploy/serve-prod on a PostgreSQL cluster and a redis-server of its
own, API residents posting with Idempotency-Key through nginx while Redis is stopped, PostgreSQL is stopped, a
gunicorn worker is killed, the processes are restarted one after the other as docs/deployment.md says (SIGTERM,
started again, back before the next) and a damaged backup is restored. No acknowledged write may be lost or stored
twice, no request may take longer than the bound, no Idempotency-Key may be left "still being handled", a
database that goes away answers 503, never 500, a rolling restart answers no request with an error, and the
damaged backup is refused before anything changes."""
from __future__ import annotations

import pytest

from bench import faults
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.nginx, pytest.mark.postgres, pytest.mark.redis, pytest.mark.integration]

BOUND = 10  # seconds: the clients' timeout, and the longest a request may take


def test_no_acknowledged_write_is_lost_or_doubled_under_faults() -> None:
    reason = faults.missing()
    if reason:
        skip_or_fail(reason)
    results = faults.run(["redis-stop", "postgres-stop", "worker-kill", "rolling-restart", "restore-damaged"],
                         residents=3, before=0.3, during=1.0, after=0.5, bound=BOUND, patience=1)
    for result in results:
        assert result["acknowledged"] > 0, result  # the workload ran
        assert result["lost"] == 0, result
        assert result["duplicates"] == 0, result
        assert result["longest_s"] <= BOUND, result
        assert result["clients_still_waiting"] == 0, result
        assert result["keys_stuck"] == 0, result  # a worker killed after the commit leaves the answer on the key
        assert "500" not in result["statuses"], result
    assert "503" in next(r for r in results if r["fault"] == "postgres-stop")["statuses"]  # the fault was felt
    rolling = next(r for r in results if r["fault"] == "rolling-restart")
    assert set(rolling["statuses"]) == {"201"}, rolling  # nginx sent every request to a process that served it
    restore = next(r for r in results if r["fault"] == "restore-damaged")
    assert restore["restore_refused"] and "nothing was changed" in restore["restore_message"], restore
