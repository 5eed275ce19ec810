"""The embedded run on one machine: Prefect server, deployments, one worker, and the web app.

Every part runs as a child process; the launcher waits until each answers, prints the two URLs,
and stops them all (in reverse order) on Ctrl-C or SIGTERM.
"""

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import httpx
import psutil

from service.settings import Settings

log = logging.getLogger(__name__)
REPO_DIR = Path(__file__).resolve().parent.parent
WORK_POOL = "overleg-local"
# Urgent mail is a background task (flows/urgent.py), served by a task worker of its own.
URGENT_TASKS = "flows.urgent"


class LaunchError(RuntimeError):
    """A part did not start; the message says which and where its log is."""


@dataclass
class Launcher:
    """Starts and stops the parts of the embedded run."""

    settings: Settings
    children: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    reported: set[str] = field(default_factory=set)

    @property
    def prefect_api(self) -> str:
        """The local Prefect server's API URL."""
        return f"http://127.0.0.1:{self.settings.prefect_port}/api"

    def environment(self) -> dict[str, str]:
        """What every child inherits: absolute paths, the Prefect API, the app settings."""
        data_dir = self.settings.data_dir.resolve()
        env = dict(os.environ)
        env.update(
            {
                "OVERLEG_DATA_DIR": str(data_dir),
                "OVERLEG_APP_DIR": str(REPO_DIR),
                "OVERLEG_PREFECT_ENABLED": "true",
                "PREFECT_HOME": str(data_dir / "prefect"),
                "PREFECT_API_URL": self.prefect_api,
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                # The urgent-mail task runs outside a flow run; its logs stay in the worker's log.
                "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
            }
        )
        # How often a worker asks for runs; a test on a simulated clock asks more often.
        env.setdefault("PREFECT_WORKER_QUERY_SECONDS", "5")
        if self.settings.database_url:
            env["DATABASE_URL"] = self.settings.database_url
        return env

    def _bin(self, name: str) -> str:
        candidate = Path(sys.executable).with_name(name)
        found = str(candidate) if candidate.exists() else shutil.which(name)
        if found is None:
            raise LaunchError(f"{name} is not installed in this environment")
        return found

    def _start(self, name: str, command: Sequence[str]) -> None:
        logs = self.settings.data_dir.resolve() / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        with (logs / f"{name}.log").open("ab") as out:
            process = subprocess.Popen(
                list(command),
                cwd=REPO_DIR,
                env=self.environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self.children.append((name, process))

    def _run(self, command: Sequence[str], *, allowed_failure: str | None = None) -> None:
        result = subprocess.run(
            list(command),
            cwd=REPO_DIR,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0 and not (
            allowed_failure and allowed_failure in result.stdout + result.stderr
        ):
            raise LaunchError(f"{' '.join(command[:3])} failed:\n{result.stdout}{result.stderr}")

    def _wait(self, name: str, url: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for child, process in self.children:
                if process.poll() is not None:
                    raise LaunchError(f"{child} stopped; see {self.settings.data_dir}/logs/")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise LaunchError(f"{name} did not answer at {url} within {timeout:.0f} s")

    def start(self) -> None:
        """Start every part and wait until each answers."""
        prefect = self._bin("prefect")
        self._start(
            "prefect-server",
            [
                prefect,
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.settings.prefect_port),
            ],
        )
        # A fresh server migrates its database first: minutes on a machine shared with other work.
        self._wait("Prefect server", f"{self.prefect_api}/health", timeout=300)
        self._run(
            [prefect, "work-pool", "create", WORK_POOL, "--type", "process"],
            allowed_failure="already exists",
        )
        self._run([prefect, "--no-prompt", "deploy", "--all"])
        # Each worker takes runs from the pool; with several, a run lost with its worker is
        # found due again by the next dispatch (flows/dispatch.py).
        for n in range(1, self.settings.prefect_workers + 1):
            name = "prefect-worker" if n == 1 else f"prefect-worker-{n}"
            limit = self.settings.prefect_worker_limit
            self._start(
                name,
                [prefect, "worker", "start", "--pool", WORK_POOL, "--name", self.worker_name(n)]
                + (["--limit", str(limit)] if limit else []),
            )
        # One urgent delivery at a time is enough: each takes every urgent row that is due.
        self._start(
            "prefect-task-worker",
            [prefect, "task", "serve", "--module", URGENT_TASKS, "--limit", "1"],
        )
        # Last, as before: its first requests then do not compete with the workers' imports.
        self._start(
            "web",
            [
                self._bin("uvicorn"),
                "service.web.main:app",
                "--host",
                self.settings.host,
                "--port",
                str(self.settings.port),
                "--workers",
                str(self.settings.web_workers),
                # A worker imports the whole app first; on a busy machine that takes a while.
                "--timeout-worker-healthcheck",
                "60",
                "--no-access-log",  # full paths carry tokens; the app logs route templates
                # Sign-in limits count per client: forwarded headers only from our proxies.
                *self._forwarded_options(),
            ],
        )
        self._wait(
            "web app", f"http://{self.settings.host}:{self.settings.port}/health", timeout=180
        )

    @staticmethod
    def worker_name(n: int) -> str:
        """The name worker `n` of this machine goes by in the Prefect UI."""
        return f"overleg-{socket.gethostname()}-{n}"

    def _forwarded_options(self) -> list[str]:
        allowed = self.settings.forwarded_allow_ips
        return ["--forwarded-allow-ips", allowed] if allowed else ["--no-proxy-headers"]

    def stop(self) -> None:
        """Stop every part, newest first; kill what does not stop within 20 s.

        Flow runs a worker started, and uvicorn's worker processes, are killed too when they
        outlive their parent: nothing of the run is left behind.
        """
        descendants = [d for _name, p in self.children for d in _descendants(p.pid)]
        for _name, process in reversed(self.children):
            if process.poll() is None:
                process.terminate()
        for _name, process in reversed(self.children):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        _gone, alive = psutil.wait_procs(descendants, timeout=10)
        for left in alive:
            with contextlib.suppress(psutil.NoSuchProcess):
                left.kill()
        self.children.clear()

    def _part_stopped(self) -> str | None:
        """The part that stopped, when the run cannot go on without it.

        A Prefect worker may go while another still serves the pool: its lost runs are found
        due again at the next dispatch. The server, the web app and the last worker may not.
        """
        workers = [(n, p) for n, p in self.children if n.startswith("prefect-worker")]
        for name, process in self.children:
            if process.poll() is None:
                continue
            if name.startswith("prefect-worker") and any(p.poll() is None for _n, p in workers):
                if name not in self.reported:
                    self.reported.add(name)
                    print(  # noqa: T201 - the launcher's user interface
                        f"{name} stopped (exit {process.returncode}); the other workers go on",
                        flush=True,
                    )
                continue
            return name
        return None

    def run_until_stopped(self) -> None:
        """Start, print where everything is, and wait for Ctrl-C or SIGTERM."""

        def _stop(_signum: int, _frame: FrameType | None) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _stop)
        # Explicitly, because a process started in the background by a shell without job control
        # inherits SIGINT ignored, and Python then installs no Ctrl-C handler of its own.
        signal.signal(signal.SIGINT, _stop)
        try:
            self.start()
            print(  # noqa: T201 - this is the launcher's user interface
                f"Overleg is running:\n  app        http://{self.settings.host}:"
                f"{self.settings.port}/\n  Prefect UI http://127.0.0.1:{self.settings.prefect_port}/\n"
                f"  logs       {self.settings.data_dir.resolve() / 'logs'}\n"
                "Press Ctrl-C to stop.",
                flush=True,
            )
            while (stopped := self._part_stopped()) is None:
                time.sleep(1)
            raise LaunchError(f"{stopped} stopped unexpectedly; see the logs")
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()


def _descendants(pid: int) -> list[psutil.Process]:
    """Every process below `pid` (none when it is gone)."""
    try:
        return list(psutil.Process(pid).children(recursive=True))
    except psutil.NoSuchProcess:
        return []
