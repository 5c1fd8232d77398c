"""Run the web server and the worker as child processes, and stop them together.

Each child runs in a session of its own, so Ctrl-C on the terminal reaches only
the supervisor, which stops the children in order; Linux stops them too if the
supervisor itself is killed. A child that dies takes the others down with it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

EXIT_OK = 0
EXIT_CHILD_DIED = 1
# How long the children get to finish what they are doing before they are killed.
STOP_GRACE_SECONDS = 30
STARTUP_SECONDS = 60
PR_SET_PDEATHSIG = 1


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _die_with_parent() -> None:
    """Ask Linux to stop this child if ``up`` itself is killed (no orphans)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(
                PR_SET_PDEATHSIG, int(signal.SIGTERM)
            )


@dataclass
class Child:
    """A child process ``up`` runs and stops."""

    name: str
    process: subprocess.Popen[bytes]

    def alive(self) -> bool:
        return self.process.poll() is None


def start_child(name: str, argv: list[str]) -> Child:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        argv,
        env=dict(os.environ),
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        # Runs between fork and exec; this process has started no threads.
        preexec_fn=_die_with_parent,
    )
    return Child(name, process)


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    """Return the command line that serves the app with gunicorn."""
    bare = host.strip("[]")
    bind = f"[{bare}]:{port}" if ":" in bare else f"{bare}:{port}"
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "districtguard.web.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # Threads keep a slow browser from holding a whole process when no
        # buffering proxy sits in front.
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--timeout",
        "120",
        "--graceful-timeout",
        "20",
        "--access-logfile",
        "-",
        "--name",
        "districtguard",
        *_no_control_socket(),
    ]


def _no_control_socket() -> list[str]:
    """Return gunicorn's flag that turns off its control socket, where it has one.

    Gunicorn 25 and later open one in the user's home by default; ``up`` needs
    none, and two installations on one account would fight over it.
    """
    from gunicorn.config import KNOWN_SETTINGS

    flags = {flag for setting in KNOWN_SETTINGS for flag in setting.cli or ()}
    return ["--no-control-socket"] if "--no-control-socket" in flags else []


def stop_children(children: list[Child]) -> None:
    """Ask every live child to stop, wait, then kill whatever is left.

    A child gets :data:`STOP_GRACE_SECONDS` to finish; after that it is killed,
    and so is anything still running in its session (orphans of a child that
    died, or of one that was killed).
    """
    for child in children:
        if child.alive():
            child.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children:
        try:
            child.process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _say(
                f"The {child.name} did not stop within {STOP_GRACE_SECONDS}s; "
                "killing it (an interrupted job runs again later)."
            )
            child.process.kill()
            child.process.wait()
        # Whatever the child left behind in its session goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.process.pid, signal.SIGKILL)


def _serving(address: tuple[str, int]) -> bool:
    with (
        contextlib.suppress(OSError),
        socket.create_connection(address, timeout=1),
    ):
        return True
    return False


def supervise(
    children: list[Child],
    stop: threading.Event,
    address: tuple[str, int],
    url: str,
    next_step: str = "",
) -> int:
    """Wait for a stop request or a dead child; stop everyone; return the exit code.

    ``address`` is where the web server listens; once it answers, ``url`` is
    announced, followed by ``next_step`` if there is one.
    """
    announced = False
    started = time.monotonic()
    dead: Child | None = None
    while not stop.wait(0.3):
        dead = next((child for child in children if not child.alive()), None)
        if dead is not None:
            break
        if not announced and _serving(address):
            announced = True
            _say(f"\nDistrictGuard is running at {url} - press Ctrl-C to stop.\n")
            if next_step:
                _say(next_step + "\n")
        elif not announced and time.monotonic() - started > STARTUP_SECONDS:
            announced = True
            _say(f"The web server has not answered within {STARTUP_SECONDS}s.")
    others = [child for child in children if child is not dead]
    if dead is not None:
        _say(
            f"districtguard up: the {dead.name} stopped unexpectedly (exit code "
            f"{dead.process.returncode}); stopping "
            + (" and ".join(f"the {child.name}" for child in others) or "")
            + "."
        )
    else:
        _say("Stopping DistrictGuard...")
    # The dead child's own children may still run in its session: stop them too.
    stop_children(children)
    if dead is not None:
        return EXIT_CHILD_DIED
    _say("Stopped.")
    return EXIT_OK
