"""``districtguard up``: migrate, first Director, web server and worker, clean stop."""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from allauth.account.forms import default_token_generator
from django.contrib.auth.hashers import is_password_usable

from districtguard.accounts.models import AuditEntry, User
from districtguard.accounts.roles import Role
from districtguard.cli import main, up
from districtguard.cli.common import UsageError
from districtguard.worker import supervisor
from tests.e2e.fixtures import (  # noqa: F401
    installation_fixture,
    installation_template_fixture,
)
from tests.e2e.harness import (
    Installation,
    children_of,
    free_port,
    is_alive,
    wait_for_port,
)

LINK = re.compile(r"http://127\.0\.0\.1:\d+/accounts/password/reset/key/\S+/")


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def _start_up(
    installation: Installation, log: Path, *extra: str
) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    process = installation.popen(
        "up", "--port", str(port), "--workers", "1", *extra, log=log
    )
    try:
        wait_for_port(port, process=process)
    except AssertionError:
        process.kill()
        raise AssertionError(log.read_text()) from None
    return process, port


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        return int(response.status), response.read().decode()


@pytest.mark.slow
def test_up_serves_the_app_and_ctrl_c_stops_everything(
    installation: Installation, tmp_path: Path
) -> None:
    log = tmp_path / "up.log"
    process, port = _start_up(installation, log, "--demo")
    try:
        status, page = _get(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200
        assert 'name="password"' in page
        descendants = children_of(process.pid)
        commands = [_cmdline(pid) for pid in descendants]
        assert any("gunicorn" in command for command in commands)
        assert any("districtguard worker" in command for command in commands)
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(60)
    output = log.read_text()
    assert code == 0, output
    assert f"running at http://127.0.0.1:{port}/" in output
    # The one-time link is repeated after the address, where the eye lands.
    after = output.split("running at", 1)[1]
    link = LINK.search(output)
    assert link is not None
    assert f"choose the Director's password:\n    {link.group(0)}" in after
    assert f"Data folder: {installation.home}" in output
    assert "Created the first Director: director@localhost" in output
    assert "Loading the demo district" in output
    assert output.rstrip().endswith("Stopped.")
    assert not [pid for pid in descendants if is_alive(pid)]


@pytest.mark.slow
def test_the_one_time_link_lets_the_first_director_choose_a_password(
    installation: Installation, tmp_path: Path
) -> None:
    log = tmp_path / "up.log"
    process, _port = _start_up(installation, log, "--no-worker")
    try:
        link = LINK.search(log.read_text())
        assert link is not None
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(link.group(0), timeout=30) as response:
            # allauth moves the key out of the address, then shows the form.
            assert response.url.endswith("-set-password/")
            assert 'name="password1"' in response.read().decode()
        descendants = children_of(process.pid)
        assert not any("districtguard worker" in _cmdline(p) for p in descendants)
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(60)
    assert code == 0
    assert not [pid for pid in descendants if is_alive(pid)]
    # A second start finds the Director and prints no new link.
    log_again = tmp_path / "again.log"
    process, _port = _start_up(installation, log_again, "--no-worker")
    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0
    assert "Created the first Director" not in log_again.read_text()


@pytest.mark.slow
def test_a_dead_child_stops_the_other_and_up_fails(
    installation: Installation, tmp_path: Path
) -> None:
    log = tmp_path / "up.log"
    process, _port = _start_up(installation, log)
    try:
        descendants = children_of(process.pid)
        web = next(
            pid
            for pid in descendants
            if "gunicorn" in _cmdline(pid) and process.pid == _parent(pid)
        )
        os.kill(web, signal.SIGKILL)
        code = process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text()
    assert code == 1, output
    assert (
        "the web server stopped unexpectedly (exit code -9); stopping the worker"
        in (output)
    )
    assert not [pid for pid in descendants if is_alive(pid)]


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])


def test_a_port_in_use_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["up", "--port", str(port)]) == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),  # noqa: S104 - the address under test
        ("::", False),
        ("192.0.2.10", False),
        ("dg.example.org", False),
    ],
)
def test_knows_which_hosts_are_loopback(host: str, loopback: bool) -> None:
    assert up.is_loopback(host) is loopback


def _args(host: str, insecure: bool = False) -> argparse.Namespace:
    return argparse.Namespace(host=host, insecure_http=insecure)


def test_refuses_a_network_host_without_https(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTRICTGUARD_HTTPS", raising=False)
    with pytest.raises(UsageError, match="--insecure-http"):
        up.configure_environment(_args("192.0.2.10"))


def test_a_network_host_behind_tls_is_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISTRICTGUARD_HTTPS", "true")
    monkeypatch.delenv("DISTRICTGUARD_ALLOWED_HOSTS", raising=False)
    assert up.configure_environment(_args("192.0.2.10")) == []
    assert os.environ["DISTRICTGUARD_ALLOWED_HOSTS"].startswith("192.0.2.10,")


def test_insecure_http_warns_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISTRICTGUARD_HTTPS", raising=False)
    monkeypatch.setenv("DISTRICTGUARD_ALLOWED_HOSTS", "dg.example.org")
    warnings = up.configure_environment(_args("0.0.0.0", insecure=True))  # noqa: S104
    assert warnings[0].startswith("WARNING: listening on 0.0.0.0 over plain HTTP")
    assert os.environ["DISTRICTGUARD_HTTPS"] == "false"


def test_gunicorn_binds_ipv6_in_brackets() -> None:
    argv = supervisor.gunicorn_argv("::1", 8123, 2)
    assert argv[argv.index("--bind") + 1] == "[::1]:8123"
    assert argv[argv.index("--workers") + 1] == "2"


@pytest.mark.django_db
def test_first_director_gets_a_one_time_link_and_no_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    up.ensure_director(None, "http://127.0.0.1:8000", interactive=False)
    director = User.objects.get(role=Role.DIRECTOR)
    assert director.email == "director@localhost"
    assert director.is_active
    assert not is_password_usable(director.password)
    output = capsys.readouterr().out
    link = re.search(r"/accounts/password/reset/key/(\w+)-(\S+)/", output)
    assert link is not None
    assert default_token_generator.check_token(director, link.group(2))
    entry = AuditEntry.objects.get(action="people.first_director_created")
    assert entry.object_id == str(director.pk)
    assert entry.detail == {"password": "one-time link"}

    up.ensure_director(None, "http://127.0.0.1:8000", interactive=False)
    assert User.objects.filter(role=Role.DIRECTOR).count() == 1
    assert "Created" not in capsys.readouterr().out


@pytest.mark.django_db
def test_first_director_may_choose_a_password_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["short", "short", "Harbor-Lantern-93", "Harbor-Lantern-93"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    up.ensure_director("dot@example.org", "http://127.0.0.1:8000", interactive=True)
    director = User.objects.get(email="dot@example.org")
    assert director.check_password("Harbor-Lantern-93")
    output = capsys.readouterr().out
    assert "too short" in output
    assert "Harbor-Lantern-93" not in output
    assert "/accounts/password/reset/key/" not in output


@pytest.mark.django_db
def test_an_inactive_director_does_not_count() -> None:
    User.objects.create_user("old@example.org", role=Role.DIRECTOR, is_active=False)
    up.ensure_director("new@example.org", "http://127.0.0.1:8000", interactive=False)
    assert User.objects.get(email="new@example.org").role == Role.DIRECTOR


@pytest.mark.django_db
def test_an_address_that_belongs_to_someone_else_is_refused() -> None:
    User.objects.create_user("director@localhost", role=Role.STAFF)
    with pytest.raises(UsageError, match="--email"):
        up.ensure_director(None, "http://127.0.0.1:8000", interactive=False)
    assert not User.objects.filter(role=Role.DIRECTOR).exists()


def test_manage_runs_django_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manage", "check"]) == 0
    assert "no issues" in capsys.readouterr().out
    assert main(["manage", "no_such_command"]) == 1
    assert "Unknown command" in capsys.readouterr().err


def test_an_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    installation = Installation(
        tmp_path / "home", "postgres://postgres@127.0.0.1:1/nowhere"
    )
    done = subprocess.run(
        installation.command("up", "--port", str(free_port())),
        env=installation.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "districtguard up: error: cannot use the database (PostgreSQL" in done.stderr
    assert "check DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_killing_up_itself_leaves_no_orphans(
    installation: Installation, tmp_path: Path
) -> None:
    log = tmp_path / "up.log"
    process, _port = _start_up(installation, log)
    deadline = time.monotonic() + 30
    # Wait until the worker has started its own children too.
    while len(children_of(process.pid)) < 4 and time.monotonic() < deadline:
        time.sleep(0.5)
    descendants = children_of(process.pid)
    process.kill()
    process.wait()
    while time.monotonic() < deadline and any(is_alive(p) for p in descendants):
        time.sleep(0.5)
    assert not [pid for pid in descendants if is_alive(pid)], log.read_text()


@pytest.mark.slow
def test_a_dying_worker_takes_its_own_children_and_the_web_server_down(
    installation: Installation, tmp_path: Path
) -> None:
    log = tmp_path / "up.log"
    process, _port = _start_up(installation, log)
    deadline = time.monotonic() + 30
    while len(children_of(process.pid)) < 4 and time.monotonic() < deadline:
        time.sleep(0.5)
    descendants = children_of(process.pid)
    worker = next(
        pid
        for pid in descendants
        if _parent(pid) == process.pid and "districtguard worker" in _cmdline(pid)
    )
    # The cluster's guard process; its own children are left without a parent.
    # Wait for it to have started them: under load that can follow the first four.
    sentinel = children_of(worker)[0]
    while not children_of(sentinel) and time.monotonic() < deadline + 30:
        time.sleep(0.5)
    assert children_of(sentinel), "the guard runs the job processes"
    os.kill(sentinel, signal.SIGKILL)
    try:
        code = process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text()
    assert code == 1, output
    assert "the worker stopped unexpectedly" in output
    assert not [pid for pid in descendants if is_alive(pid)], output
