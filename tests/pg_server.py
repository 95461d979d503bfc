"""A throwaway PostgreSQL cluster for the tests: initdb, a free port on 127.0.0.1, pg_ctl.

Runs as an unprivileged user when the tests run as root (PostgreSQL refuses
root): the system user ``tmkit-test`` (created with ``useradd`` if missing),
else ``nobody``.  Password authentication (SCRAM) is on, so the tests can
check that wrong passwords are refused and never printed.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Optional

USER = "tmkit-test"
SUPERUSER = "tmkit"
PASSWORD = "s3cret-Pw_for-tests"
_TOOLS = ("initdb", "pg_ctl", "postgres")


def find_bindir() -> Optional[Path]:
    """The folder holding initdb, pg_ctl and postgres: PATH first, then Debian's layout."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
                                           reverse=True)]
    for folder in candidates:
        if all((folder / tool).exists() for tool in _TOOLS):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> Optional[pwd.struct_passwd]:
    """The unprivileged account to run the server as (None when not root)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        pass
    subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
                   check=False, capture_output=True)
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        return pwd.getpwnam("nobody")


class PGServer:
    """One cluster for the test session; :meth:`new_database` gives each test its own database."""

    def __init__(self, bindir: Path, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable      # fsync on: for tests that kill the server
        self.root = Path(tempfile.mkdtemp(prefix="tmkit-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.account = _run_as()
        self._names = itertools.count(1)

    def _run(self, *args: str) -> None:
        extra = {}
        if self.account is not None:
            extra = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}
        env = {**os.environ, "LC_ALL": "C", "HOME": str(self.root)}
        subprocess.run([str(self.bindir / args[0]), *args[1:]], check=True, capture_output=True,
                       env=env, cwd=self.root, timeout=120, **extra)

    def start(self) -> "PGServer":
        password_file = self.root / "pw"
        password_file.write_text(PASSWORD)
        if self.account is not None:
            for path in (self.root, password_file):
                os.chown(path, self.account.pw_uid, self.account.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, f"--pwfile={password_file}",
                  "--auth=scram-sha-256", "-E", "UTF8", "--no-locale")
        self.launch()
        return self

    def launch(self) -> None:
        """Start the postmaster on the cluster (again, after :meth:`kill`)."""
        options = f"-h 127.0.0.1 -p {self.port} -k '' -c max_connections=60"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                  "-w", "-t", "60", "start")

    def restart(self) -> None:
        """Start again after :meth:`kill`: crash recovery runs; retried while the killed
        server's last backends still hold its shared memory."""
        import time

        deadline = time.monotonic() + 90
        while True:
            try:
                self.launch()
                return
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def kill(self) -> None:
        """kill -9 the postmaster (its backends end when they notice), as a crash would."""
        import signal
        import time

        pid = self.postmaster_pid()
        os.kill(pid, signal.SIGKILL)
        for _ in range(600):            # until the port is free and every backend gone
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        for _ in range(600):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) != 0:
                    break
            time.sleep(0.05)

    def tool(self, name: str, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """Run a client tool (pg_dump, pg_restore, psql) against the cluster, password from the env."""
        env = {**os.environ, "PGPASSWORD": PASSWORD, "LC_ALL": "C"}
        return subprocess.run([str(self.bindir / name), *args], check=True, capture_output=True,
                              env=env, timeout=300, **kwargs)

    def url(self, database: str = "postgres", password: str = PASSWORD) -> str:
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database; returns its URL (with the password)."""
        import psycopg
        name = f"tmtest{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(self.root, ignore_errors=True)
