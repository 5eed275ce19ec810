"""A real IMAP server for the tests: Debian's Dovecot, on loopback, with a throw-away mailbox.

Dovecot runs with a configuration file of its own in a temporary folder (no system service,
no port 143): one user in a passwd-file, mail in a maildir under the same folder, plain login
without TLS because it listens on 127.0.0.1 only. Mail processes run as `nobody`.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "secretariaat", "imap-test-password"

_CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


@dataclass(frozen=True)
class ImapServer:
    """Where the test server listens and how to log in."""

    host: str
    port: int
    user: str
    password: str
    root: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (root / "dovecot.log").read_text(errors="replace") if root.exists() else ""
            raise RuntimeError(f"dovecot stopped at start:\n{log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                if connection.recv(100).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("dovecot did not answer within 20 seconds")


class Dovecot:
    """One Dovecot on a fixed root and port, which a test may stop and start again."""

    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until it greets."""
        config = str(self.root / "dovecot.conf")
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", config], start_new_session=True)
        _wait(self.port, self.process, self.root)

    def stop(self) -> None:
        """Stop the server and every process it started, as a mailbox that goes away would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        self.process = None


@contextmanager
def dovecot() -> Iterator[tuple[ImapServer, Dovecot]]:
    """Start Dovecot on a free loopback port with a fresh mailbox; stop it afterwards."""
    # Not under pytest's tmp_path: that folder is private to root, and mail runs as nobody.
    root = Path(tempfile.mkdtemp(prefix="overleg-imap-"))
    root.chmod(0o755)
    (root / "home").mkdir()
    shutil.chown(root / "home", "nobody", "nogroup")
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
    port = _free_port()
    (root / "dovecot.conf").write_text(_CONFIG.format(root=root, port=port), encoding="utf-8")
    server = Dovecot(root, port)
    try:
        server.start()
        yield ImapServer("127.0.0.1", port, USER, PASSWORD, root), server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def imap_client(server: ImapServer) -> IMAPClient:
    """A client logged in to the test mailbox, on its INBOX (to put messages in, read flags)."""
    client = IMAPClient(server.host, port=server.port, ssl=False)
    client.login(server.user, server.password)
    client.select_folder("INBOX")
    return client
