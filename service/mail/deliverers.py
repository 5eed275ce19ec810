"""Who holds a lease on outbox rows: a delivery run's identity, and whether its process lives.

An identity names the host, the process (id and start time, so a reused process id is not
mistaken for the old process) and the run (several runs may share a process). A claim whose
process is known to be gone can be taken at once; a claim made on another host cannot be
checked and is free only when its lease runs out. psutil has its one home here.
"""

import socket
import uuid
from functools import cache

import psutil

_SEPARATOR = "/"


@cache
def _host() -> str:
    return socket.gethostname()[:60]


def _process_key(process: psutil.Process) -> str:
    return f"{process.pid}{_SEPARATOR}{process.create_time():.2f}"


def new_run() -> str:
    """A fresh identity for one delivery run of this process (at most 120 characters)."""
    me = _process_key(psutil.Process())
    return f"{_host()}{_SEPARATOR}{me}{_SEPARATOR}{uuid.uuid4().hex[:12]}"


def is_dead(owner: str) -> bool:
    """Whether the run's process is known to have ended (only checkable on this host)."""
    parts = owner.rsplit(_SEPARATOR, 3)
    if len(parts) != 4 or parts[0] != _host():
        return False  # another host (or a foreign format): only the lease can free it
    _, pid, started, _ = parts
    if not pid.isdigit():
        return False
    try:
        process = psutil.Process(int(pid))
        if process.status() == psutil.STATUS_ZOMBIE:
            return True  # killed, waiting for its parent to collect it
        return _process_key(process) != f"{pid}{_SEPARATOR}{started}"
    except psutil.NoSuchProcess:
        return True
    except psutil.AccessDenied:
        return False  # it exists; we may not look at it
