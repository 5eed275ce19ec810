"""End to end: `overleg up` starts Prefect, deploys prefect.yaml, a worker and the app.

Slow (about a minute) but run in CI: it is the only test that sees the Prefect scheduler create
runs from prefect.yaml, which is what breaks silently with the wrong Prefect/SQLAlchemy pair.
"""

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import httpx
import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.smtp import free_port

OVERLEG = str(Path(sys.executable).with_name("overleg"))
SECRETARIAT = "griet.vanhoutte@kcvs.example"


def _wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}")


def _plain_text(path: Path) -> str:
    message: Message = message_from_bytes(path.read_bytes())
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode("utf-8")
    return ""


def _completed_scheduled_runs(api: str) -> int:
    response = httpx.post(
        f"{api}/flow_runs/filter",
        json={
            "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
            "deployments": {"name": {"any_": ["deliver-notifications"]}},
        },
        timeout=10,
    )
    return sum(1 for run in response.json() if run.get("auto_scheduled"))


@pytest.mark.slow
def test_overleg_up_runs_flows_from_prefect_yaml(tmp_path: Path) -> None:
    app_port, prefect_port = free_port(), free_port()
    env = {
        **os.environ,
        "OVERLEG_DATA_DIR": str(tmp_path),
        "OVERLEG_PORT": str(app_port),
        "OVERLEG_PREFECT_PORT": str(prefect_port),
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [OVERLEG, "up"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    app = f"http://127.0.0.1:{app_port}"
    api = f"http://127.0.0.1:{prefect_port}/api"
    try:
        assert process.stdout is not None
        banner = ""
        deadline = time.monotonic() + 240
        while "Press Ctrl-C" not in banner and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            banner += line
        assert f"{app}/" in banner and f"127.0.0.1:{prefect_port}/" in banner, banner

        # `prefect deploy --all` registered every deployment of prefect.yaml.
        config = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
        registered = httpx.post(f"{api}/deployments/filter", json={}, timeout=10).json()
        assert {d["name"] for d in registered} == {d["name"] for d in config["deployments"]}

        # An urgent mail is delivered through the deployment, started by the app at once.
        with httpx.Client(base_url=app) as browser:
            form = browser.get("/sign-in").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert token is not None
            sent = browser.post(
                "/sign-in", data={"email": SECRETARIAT, "csrf_token": token.group(1)}
            )
            assert sent.status_code == 200
        mailbox = tmp_path / "mailbox"
        _wait_for(lambda: any(mailbox.glob("*.eml")), 120, "the sign-in mail in the mailbox")
        link = re.search(r"/sign-in/\S+", _plain_text(next(mailbox.glob("*.eml"))))
        assert link is not None

        # The scheduler creates runs from prefect.yaml's every-minute schedule, and they complete.
        _wait_for(lambda: _completed_scheduled_runs(api) > 0, 180, "a scheduled run")
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert process.returncode == 0
    # Nothing is left running on the two ports.
    for url in (f"{app}/health", f"{api}/health"):
        with pytest.raises(httpx.HTTPError):
            httpx.get(url, timeout=2)
