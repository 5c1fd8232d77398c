"""``districtguard up``: migrate, make the first Director, serve the app and run jobs.

The web server (gunicorn) and the worker run as child processes, each in a
session of its own, so Ctrl-C reaches only this process, which stops both in
order. A child that dies takes the other down with it and ``up`` exits non-zero:
half a DistrictGuard (pages but no nightly jobs) must not run unnoticed.
"""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import signal
import socket
import sys
import threading
from types import FrameType
from typing import Any

from districtguard.cli.common import UsageError
from districtguard.cli.manage import SETTINGS_MODULE, setup_django
from districtguard.worker.supervisor import gunicorn_argv, start_child, supervise

UP_EPILOG = """\
The first run creates the database in the data folder (DISTRICTGUARD_HOME,
default ~/.local/share/districtguard) and a Director account. Ctrl-C stops the
web server and the worker. See docs/running.md for production deployment.

exit codes:
  0  stopped by Ctrl-C or SIGTERM
  1  the web server or the worker stopped on its own (the other was stopped)
  2  usage error: bad arguments, a port in use, a host that needs HTTPS
"""


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be between 1 and 65535")
    return value


def default_web_processes() -> int:
    """Return the web server's process count: one per core, two to four."""
    return min(max(os.cpu_count() or 1, 2), 4)


def add_parser(commands: Any) -> None:
    """Add ``up`` to the command line."""
    parser = commands.add_parser(
        "up",
        help="run the web app and the background worker",
        description="Migrate the database, create the first Director if there is "
        "none, and run the web server and the background worker until Ctrl-C.",
        epilog=UP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1: this machine only)",
    )
    parser.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default 8000)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="load a synthetic demo district (schools, staff, history)",
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="web server processes (default: one per core, 2 to 4)",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start the background worker (run `districtguard worker` "
        "elsewhere)",
    )
    parser.add_argument(
        "--email",
        default=None,
        help="email address of the first Director (default director@ the "
        "district's domain, or director@localhost)",
    )
    parser.add_argument(
        "--insecure-http",
        action="store_true",
        help="allow a non-loopback --host without HTTPS (passwords cross the "
        "network in clear text)",
    )
    parser.set_defaults(run=run)


def is_loopback(host: str) -> bool:
    """Return whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    return host.strip("[]") in {"0.0.0.0", "::"}  # noqa: S104 - recognising it


def _url_host(host: str) -> str:
    bare = host.strip("[]")
    if _is_wildcard(host):
        return socket.gethostname()
    return f"[{bare}]" if ":" in bare else bare


def _connect_host(host: str) -> str:
    bare = host.strip("[]")
    if bare == "::":
        return "::1"
    if bare == "0.0.0.0":  # noqa: S104 - recognising it
        return "127.0.0.1"
    return bare


def _check_port_free(host: str, port: int) -> None:
    bare = host.strip("[]")
    family = socket.AF_INET6 if ":" in bare else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((bare, port))
        except OSError as exc:
            raise UsageError(
                f"cannot listen on {host} port {port} ({exc.strerror}); "
                "is DistrictGuard already running? Choose another with --port"
            ) from None


def configure_environment(args: argparse.Namespace) -> list[str]:
    """Set the variables the settings read from how ``up`` was asked to listen.

    Return warnings to show. Refuse a host other machines can reach unless
    HTTPS is terminated in front of it or the person accepts plain HTTP.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    warnings: list[str] = []
    if is_loopback(args.host):
        # A browser on this machine talks plain HTTP to the server; unless a TLS
        # proxy on this machine forwards to it and says so.
        os.environ.setdefault("DISTRICTGUARD_HTTPS", "false")
        return warnings
    https = os.environ.get("DISTRICTGUARD_HTTPS", "").strip().lower()
    if args.insecure_http:
        os.environ["DISTRICTGUARD_HTTPS"] = "false"
        warnings.append(
            f"WARNING: listening on {args.host} over plain HTTP (--insecure-http): "
            "passwords and personal information cross the network unencrypted. "
            "Use this only on a test network."
        )
    elif https not in {"1", "true", "yes", "on"}:
        raise UsageError(
            f"--host {args.host} is reachable from other machines, and browsers "
            "would send passwords to it in clear text. Put a TLS reverse proxy in "
            "front and set DISTRICTGUARD_HTTPS=true (see docs/running.md), or "
            "accept the risk on a test network with --insecure-http"
        )
    if "DISTRICTGUARD_ALLOWED_HOSTS" not in os.environ:
        if _is_wildcard(args.host):
            warnings.append(
                "Set DISTRICTGUARD_ALLOWED_HOSTS to the names people type in the "
                "browser; until then only localhost is answered."
            )
        else:
            os.environ["DISTRICTGUARD_ALLOWED_HOSTS"] = (
                f"{args.host.strip('[]')},localhost,127.0.0.1,[::1]"
            )
    return warnings


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _describe_database() -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"SQLite, {database['NAME']}"
    where = database.get("HOST") or "the local socket"
    return f"PostgreSQL, database {database['NAME']} on {where}"


def _district_domain() -> str:
    from districtguard.district.models import District

    domain = str(getattr(District.current(), "email_domain", "") or "").strip()
    return domain or "localhost"


def _ask_password(email: str) -> str:
    """Ask for the Director's password on the terminal; "" means send a link."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    _say(
        f"Choose a password for {email} (at least 8 characters; leave it empty "
        "to get a one-time link to set it in the browser instead)."
    )
    for _ in range(3):
        password = getpass.getpass("Password: ")
        if not password:
            return ""
        if getpass.getpass("Password again: ") != password:
            _say("The two passwords differ; try again.")
            continue
        try:
            password_validation.validate_password(password)
        except ValidationError as exc:
            _say(" ".join(exc.messages))
            continue
        return password
    _say("No password chosen; here is a one-time link instead.")
    return ""


def _set_password_link(user: Any, base_url: str) -> str:
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.urls import reverse

    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def ensure_director(email: str | None, base_url: str, interactive: bool) -> str:
    """Create the first Director when no active Director exists.

    The password is asked for on a terminal; otherwise the Director gets a
    one-time link that sets it. Neither is stored anywhere in clear. Return
    the link printed, or "" when none was.
    """
    from django.conf import settings
    from django.db import transaction

    from districtguard.accounts import audit
    from districtguard.accounts.models import User
    from districtguard.accounts.roles import Role

    if User.objects.filter(role=Role.DIRECTOR, is_active=True).exists():
        return ""
    address = (email or f"director@{_district_domain()}").strip().lower()
    if User.objects.filter(email__iexact=address).exists():
        raise UsageError(
            f"there is no active Director, and {address} already belongs to "
            "someone else; name the first Director with --email"
        )
    password = _ask_password(address) if interactive else ""
    # One transaction: a Director is never left behind without a way to sign in.
    with transaction.atomic():
        user = User.objects.create_user(
            address,
            password or None,
            role=Role.DIRECTOR,
            title="Director of Technology",
            is_staff=True,
            is_superuser=True,
        )
        link = "" if password else _set_password_link(user, base_url)
        audit.record(
            "people.first_director_created",
            obj=user,
            actor_label="districtguard up",
            password="chosen" if password else "one-time link",
        )
    _say(f"Created the first Director: {address}")
    if password:
        _say("Sign in with that address and the password you chose.")
        return ""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    _say(
        "Open this one-time link to choose the Director's password (it works "
        f"once, for {days} days, and is shown only now):\n\n"
        f"    {link}\n\n"
        "Then sign in and set up two-factor authentication. Lost it? Run "
        "`districtguard manage changepassword " + address + "`."
    )
    return link


def _load_demo() -> None:
    from django.core.management import call_command, get_commands

    if "load_demo" not in get_commands():
        _say("The demo district is not part of this version yet; starting without it.")
        return
    _say("Loading the demo district...")
    call_command("load_demo")


def prepare(args: argparse.Namespace, base_url: str) -> str:
    """Set Django up, migrate, register schedules, make the first Director.

    Return the first Director's one-time link, or "" when none was made.
    """
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from districtguard.worker.schedules import register_schedules

    _say(f"Data folder: {settings.HOME}")
    _say(f"Database: {_describe_database()}")
    call_command("migrate", interactive=False, verbosity=0)
    register_schedules()
    # Static files are served from the package (WhiteNoise finders); the folder
    # only has to exist.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    link = ensure_director(args.email, base_url, interactive)
    if args.demo:
        _load_demo()
    # The children open their own connections; this process keeps none.
    connections.close_all()
    return link


def run(args: argparse.Namespace) -> int:
    """Prepare the installation, then run the web server and the worker."""
    for warning in configure_environment(args):
        _say(warning)
    _check_port_free(args.host, args.port)
    base_url = os.environ.get("DISTRICTGUARD_SITE_URL") or (
        f"http://{_url_host(args.host)}:{args.port}"
    )
    os.environ.setdefault("DISTRICTGUARD_SITE_URL", base_url)
    from django.db import OperationalError

    try:
        link = prepare(args, base_url)
    except OperationalError as exc:
        raise UsageError(
            f"cannot use the database ({_describe_database()}): "
            f"{str(exc).strip().splitlines()[0]}; check DATABASE_URL"
        ) from None

    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, request_stop)
    workers = args.workers or default_web_processes()
    children = [start_child("web server", gunicorn_argv(args.host, args.port, workers))]
    if not args.no_worker:
        children.append(
            start_child("worker", [sys.executable, "-m", "districtguard", "worker"])
        )
    address = (_connect_host(args.host), args.port)
    # The link scrolled away under the servers' start-up lines: say it again
    # where the person looks, next to the address.
    next_step = (
        f"Next: open the one-time link to choose the Director's password:\n    {link}"
        if link
        else ""
    )
    return supervise(children, stop, address, f"{base_url}/", next_step)
