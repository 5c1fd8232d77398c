"""A real installation for tests that run DistrictGuard as separate processes.

Each :class:`Installation` is a data home of its own with a migrated database:
SQLite in the home by default, or a fresh PostgreSQL database (dropped after the
test) when the test run's ``DATABASE_URL`` points at PostgreSQL. Migrating once
per session and copying the result keeps each test fast.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PYTHON = sys.executable
SETTINGS = "districtguard.web.settings"


def free_port() -> int:
    """Return a TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(
    port: int,
    *,
    process: subprocess.Popen[str] | None = None,
    timeout: float = 60,
) -> None:
    """Wait until something accepts connections on ``port``; fail if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", port), timeout=1),
        ):
            return
        time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port} within {timeout}s")


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _base_env() -> dict[str, str]:
    """Return this process's environment without the test suite's own settings."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DISTRICTGUARD_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }


def _admin_sql(server_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(statement)


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


@dataclass
class Installation:
    """One data home and database, and how to run ``districtguard`` against it."""

    home: Path
    database_url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        """Return the environment the installation's processes run with."""
        env = _base_env()
        env.update(
            DJANGO_SETTINGS_MODULE=SETTINGS,
            DISTRICTGUARD_HOME=str(self.home),
            DISTRICTGUARD_HTTPS="false",
            DISTRICTGUARD_LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    def command(self, *args: str) -> list[str]:
        """Return the command line that runs ``districtguard ARGS``."""
        return [PYTHON, "-m", "districtguard", *args]

    def run(self, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """Run ``districtguard ARGS`` to completion; fail on a non-zero exit."""
        done = subprocess.run(
            self.command(*args),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"districtguard {' '.join(args)} exited {done.returncode}:\n"
                f"{done.stdout}\n{done.stderr}"
            )
        return done

    def python(self, code: str, timeout: float = 120) -> str:
        """Run ``code`` with Django set up against this installation; return stdout."""
        script = f"import django\ndjango.setup()\n{code}"
        done = subprocess.run(
            [PYTHON, "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise AssertionError(f"the snippet failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def popen(self, *args: str, log: Path) -> subprocess.Popen[str]:
        """Start ``districtguard ARGS`` in the background, its output to ``log``."""
        with log.open("w") as handle:
            return subprocess.Popen(
                self.command(*args),
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
            )


class Template:
    """A migrated installation that new installations are copied from."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.server_url = _postgres_url()
        self.name = f"dg_template_{uuid.uuid4().hex[:10]}"
        home = root / "template"
        home.mkdir(parents=True)
        database_url = None
        if self.server_url:
            _admin_sql(self.server_url, f'CREATE DATABASE "{self.name}"')
            database_url = _with_database(self.server_url, self.name)
        self.installation = Installation(home, database_url)
        self.installation.run("manage", "migrate", "--noinput")

    def copy(self, home: Path) -> Installation:
        """Return a new installation with its own copy of the migrated database."""
        shutil.copytree(self.installation.home, home)
        for log in home.glob("*.log"):
            log.unlink()
        if not self.server_url:
            return Installation(home)
        name = f"dg_{uuid.uuid4().hex[:12]}"
        _admin_sql(self.server_url, f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return Installation(home, _with_database(self.server_url, name))

    def drop(self, installation: Installation) -> None:
        """Drop the installation's PostgreSQL database, if it has one."""
        if self.server_url and installation.database_url:
            name = installation.database_url.rpartition("/")[2]
            _admin_sql(
                self.server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            )

    def close(self) -> None:
        """Drop the template database."""
        if self.server_url:
            _admin_sql(
                self.server_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'
            )


def children_of(pid: int) -> list[int]:
    """Return the pids of every live descendant of ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        kids = [child for child, ppid in parents.items() if ppid == parent]
        found.extend(kids)
        frontier.extend(kids)
    return found


def is_alive(pid: int) -> bool:
    """Return whether ``pid`` is a live process (not a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"
