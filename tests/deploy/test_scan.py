"""deploy/scan (`make scan`) fails on what matters: any vulnerability or anomaly in wapiti's reports, and any 5xx
or error line in the app's log. The scan itself runs with `make scan` (docs/security.md), not in the suite."""
from __future__ import annotations

import importlib.machinery
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from tests.deploy.serveprod import ROOT


@pytest.fixture(scope="module")
def scan() -> ModuleType:
    """Load deploy/scan (a script without .py) as a module."""
    loader = importlib.machinery.SourceFileLoader("samen_scan", str(ROOT / "deploy" / "scan"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("samen_scan", loader))
    loader.exec_module(module)
    return module


def _report(vulnerabilities: dict | None = None, anomalies: dict | None = None) -> dict:
    return {"vulnerabilities": {"Cross Site Scripting": [], "SQL Injection": [], **(vulnerabilities or {})},
            "anomalies": {"Internal Server Error": [], **(anomalies or {})},
            "additionals": {"HTTP Methods": [{"method": "OPTIONS", "path": "/", "info": "GET,HEAD,OPTIONS"}]},
            "infos": {"version": "Wapiti 3.2.3"}}


def test_a_clean_report_has_no_findings(scan: ModuleType) -> None:
    assert scan.findings(_report()) == []  # what wapiti only reports as information does not count


def test_every_vulnerability_and_anomaly_is_a_finding(scan: ModuleType) -> None:
    report = _report(vulnerabilities={"Cross Site Scripting": [
        {"method": "POST", "path": "/ideas/1/comments", "info": "XSS vulnerability in the parameter body"}]},
        anomalies={"Internal Server Error": [{"method": "GET", "path": "/progress", "info": "500 with page=%00"}]})
    assert scan.findings(report) == [
        "vulnerabilities: Cross Site Scripting: POST /ideas/1/comments XSS vulnerability in the parameter body",
        "anomalies: Internal Server Error: GET /progress 500 with page=%00"]


def test_server_errors_in_the_apps_log_are_findings(scan: ModuleType, tmp_path: Path) -> None:
    lines = [
        {"level": "info", "logger": "samen.access", "message": "GET / 200", "method": "GET", "path": "/",
         "status": 200},
        {"level": "info", "logger": "samen.access", "message": "GET /x 503", "method": "GET", "path": "/x",
         "status": 503},
        {"level": "error", "logger": "samen", "message": "Unhandled error on POST /ideas"},
    ]
    log = tmp_path / "app.log"
    log.write_text("[2026-12-07 15:00:00 +0000] [1] [INFO] Booting worker\n"
                   + "".join(json.dumps(line) + "\n" for line in lines))
    assert scan.server_errors(log) == ["503 GET /x GET /x 503", "Unhandled error on POST /ideas"]
