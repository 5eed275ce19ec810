"""Benchmark: materials through the app over HTTP against `cp` on the same disk, the meeting pack.

One uvicorn process (as production runs it, one worker) on a SQLite database in a temporary
folder on the same disk as the baseline copies. Measured in the same run, medians of rounds:

- upload of a 20 MB file (multipart, streamed to the materials folder, hashed, typed) vs `cp`
  of the same file into the same folder;
- download of it (streamed, to a file) vs `cp` of the stored file;
- the meeting pack's build for 30 files (1 MB each), from an empty cache, vs `cp` of the same
  30 files (and the answer from the cache, once built);
- the app's memory (resident set, sampled every 5 ms from /proc) while ten downloads of the
  20 MB file run at once, against the same process idle just before.

    .venv/bin/python bench/materials.py [--rounds 5]
"""

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx

from models.people import StaffRole
from service import migrate
from service.access import api_keys
from service.clock import utcnow
from service.db import create_engine, session_scope
from service.materials import pack, places
from service.materials.materials import Upload, add_file
from service.materials.storage import Store
from service.meetings import meetings
from service.settings import Settings
from service.web.materials.files import shelf
from tests.factories import ACTOR, make_group, make_meeting, make_person
from tests.smtp import free_port

MB = 1024 * 1024
BIG = 20 * MB
PACK_FILES = 30
PNG = b"\x89PNG\r\n\x1a\n"  # a file's type is read from its first bytes (filetype)


def _file(path: Path, size: int) -> Path:
    """An image-typed file of random bytes (nothing to compress, no text to read)."""
    with path.open("wb") as out:
        out.write(PNG)
        left = size - len(PNG)
        while left > 0:
            chunk = os.urandom(min(left, MB))
            out.write(chunk)
            left -= len(chunk)
    return path


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _cp(*args: Path) -> float:
    """The time `cp` takes for the same work."""
    return _timed(lambda: subprocess.run(["cp", *map(str, args)], check=True))


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class _Peak:
    """The highest resident set of a process while the block runs, sampled every 5 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_kib(self.pid))
            time.sleep(0.005)

    def __enter__(self) -> "_Peak":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _setup(root: Path) -> tuple[str, int, int, str, Settings]:
    """A database with a secretariat member's API key and two meetings of one group (one for
    the uploads, one for the pack); the app's settings."""
    database = f"sqlite:///{root / 'overleg.db'}"
    settings = Settings(
        data_dir=root,
        database_url=database,
        secret_key="bench",
        meeting_materials_max_megabytes=1000,
    )
    engine = create_engine(database)
    migrate.upgrade(engine)
    now = utcnow()
    with session_scope(engine) as session:
        person = make_person(session, now=now)
        person.staff_role = StaffRole.secretariat
        session.add(person)
        group = make_group(session, now=now)
        uploads = make_meeting(session, now=now, group=group, starts_in=timedelta(days=10))
        packed = make_meeting(session, now=now, group=group, starts_in=timedelta(days=20))
        key = api_keys.create(session, person=person, label="bench", actor=ACTOR, now=now)
        assert uploads.id is not None and packed.id is not None
        found = (group.slug, uploads.id, packed.id, key.secret)
    engine.dispose()
    return (*found, settings)


def _pack_inputs(settings: Settings, meeting_id: int, work: Path) -> list[Path]:
    """Thirty 1 MB files added to the meeting in-process; returns the files as uploaded."""
    engine = create_engine(settings.resolved_database_url())
    now = utcnow()
    paths = [_file(work / f"deel-{n:02d}.png", MB) for n in range(PACK_FILES)]
    with session_scope(engine) as session:
        meeting = meetings.get(session, meeting_id=meeting_id)
        for path in paths:
            with path.open("rb") as stream:
                add_file(
                    session,
                    place=places.of_meeting(meeting),
                    title=path.stem,
                    upload=Upload(path.name, stream),
                    shelf=shelf(settings),
                    actor=ACTOR,
                    now=now,
                )
    engine.dispose()
    return paths


def _pack_build(settings: Settings, meeting_id: int, cache: Path) -> float:
    engine = create_engine(settings.resolved_database_url())
    with session_scope(engine) as session:
        meeting = meetings.get(session, meeting_id=meeting_id)
        took = _timed(
            lambda: pack.build(
                session,
                meeting=meeting,
                store=Store(settings.materials_store),
                cache=cache,
                language="nl",
            )
        )
    engine.dispose()
    return took


async def _ten_downloads(url: str, headers: dict[str, str]) -> list[int]:
    async with httpx.AsyncClient(timeout=120) as client:

        async def one() -> int:
            size = 0
            async with client.stream("GET", url, headers=headers) as answer:
                async for chunk in answer.aiter_bytes(256 * 1024):
                    size += len(chunk)
            return size

        return await asyncio.gather(*(one() for _ in range(10)))


def main() -> None:
    """Run the rounds and print the Markdown report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-materials-", dir="/tmp"))
    work = root / "work"
    work.mkdir()
    slug, meeting_id, pack_meeting_id, secret, settings = _setup(root)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "OVERLEG_DATA_DIR": str(root),
        "OVERLEG_SECRET_KEY": "bench",
        "OVERLEG_MEETING_MATERIALS_MAX_MEGABYTES": "1000",
    }
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    log = (root / "uvicorn.log").open("wb")
    app = subprocess.Popen(
        [uvicorn, "service.web.main:app", "--port", str(port), "--no-access-log"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {secret}"}
    api = f"{base}/api/groups/{slug}/meetings/{meeting_id}/materials"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/sign-in", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        client = httpx.Client(timeout=120, headers=headers)
        uploads, cps, downloads, cps_out = [], [], [], []
        material_id = 0
        for n in range(args.rounds):
            # Each round a new file, so the store writes it (equal files are kept once).
            fresh = _file(work / f"groot-{n}.png", BIG)
            with fresh.open("rb") as stream:
                start = time.perf_counter()
                answer = client.post(
                    f"{api}/files",
                    data={"title": f"Groot {n}"},
                    files={"file": (fresh.name, stream, "image/png")},
                )
                uploads.append(time.perf_counter() - start)
            answer.raise_for_status()
            material_id = answer.json()["id"]
            cps.append(_cp(fresh, root / "materials" / "cp-copy"))
            target = work / "downloaded"
            start = time.perf_counter()
            url = f"{api}/{material_id}/file"
            with client.stream("GET", url) as got, target.open("wb") as out:
                for chunk in got.iter_bytes(256 * 1024):
                    out.write(chunk)
            downloads.append(time.perf_counter() - start)
            assert target.read_bytes() == fresh.read_bytes()
            digest = answer.json()["versions"][0]["content_hash"]
            cps_out.append(_cp(Store(settings.materials_store).path_of(digest), work / "cp-out"))
            fresh.unlink()

        idle = _rss_kib(app.pid)
        with _Peak(app.pid) as peak:
            sizes = asyncio.run(_ten_downloads(f"{api}/{material_id}/file", headers))
        assert sizes == [BIG] * 10

        paths = _pack_inputs(settings, pack_meeting_id, work)
        builds, hits, cp_packs = [], [], []
        for n in range(args.rounds):
            cache = root / f"packs-{n}"
            builds.append(_pack_build(settings, pack_meeting_id, cache))
            hits.append(_pack_build(settings, pack_meeting_id, cache))
            folder = work / f"cp-{n}"
            folder.mkdir()
            cp_packs.append(_cp(*paths, folder))
    finally:
        app.terminate()
        app.wait(timeout=30)
        log.close()

    def rate(seconds: list[float]) -> str:
        return f"{BIG / MB / statistics.median(seconds):,.0f} MB/s"

    def ms(seconds: list[float]) -> str:
        return f"{statistics.median(seconds) * 1000:,.1f} ms"

    lines: list[str] = []
    lines.append(f"Rounds: {args.rounds} (medians). File: 20 MB. Pack: {PACK_FILES} files of 1 MB.")
    lines.append("")
    lines.append("| what | app | `cp` on the same disk | app / cp |")
    lines.append("| --- | --- | --- | --- |")
    rows = [
        ("upload, 20 MB (HTTP multipart)", uploads, cps),
        ("download, 20 MB (HTTP, streamed)", downloads, cps_out),
        (f"meeting pack of {PACK_FILES} files, from an empty cache", builds, cp_packs),
    ]
    for name, app_times, cp_times in rows:
        ratio = statistics.median(app_times) / statistics.median(cp_times)
        speed = f" ({rate(app_times)} vs {rate(cp_times)})" if "20 MB" in name else ""
        lines.append(f"| {name}{speed} | {ms(app_times)} | {ms(cp_times)} | {ratio:.1f}x |")
    lines.append(f"| meeting pack, answered from the cache | {ms(hits)} | | |")
    lines.append("")
    lines.append("| app memory (resident set) | MiB |")
    lines.append("| --- | --- |")
    lines.append(f"| idle, just before | {idle / 1024:,.1f} |")
    lines.append(f"| peak while serving ten 20 MB downloads at once | {peak.peak / 1024:,.1f} |")
    lines.append(f"| difference | {(peak.peak - idle) / 1024:,.1f} |")
    print("\n".join(lines))  # noqa: T201 - the benchmark's output is its report
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
