"""Production settings: check --deploy is clean, and single sign-on turns on by env."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Renders the sign-in page against a freshly migrated database in the home.
_LOGIN_PAGE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
print(Client().get("/accounts/login/").content.decode())
"""


def run_django(
    tmp_path: Path, code: str, **env: str
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "home").mkdir(exist_ok=True)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DISTRICTGUARD_", "DJANGO_", "DATABASE_URL"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "districtguard.web.settings",
        "DISTRICTGUARD_HOME": str(tmp_path / "home"),
        "DISTRICTGUARD_SECRET_KEY": secrets.token_urlsafe(64),
        "DISTRICTGUARD_ALLOWED_HOSTS": "testserver,districtguard.example.org",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = run_django(
        tmp_path,
        "import sys; from django.core.management import execute_from_command_line;"
        " execute_from_command_line(['django', 'check', '--deploy', '--fail-level',"
        " 'WARNING'])",
        DISTRICTGUARD_HTTPS="true",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_enabling_sso_adds_the_providers_sign_in_buttons(tmp_path: Path) -> None:
    result = run_django(
        tmp_path,
        _LOGIN_PAGE,
        DISTRICTGUARD_HTTPS="false",
        DISTRICTGUARD_SSO_PROVIDERS="google,microsoft",
        DISTRICTGUARD_GOOGLE_CLIENT_ID="synthetic-google-client",
        DISTRICTGUARD_GOOGLE_CLIENT_SECRET="synthetic-google-secret",  # noqa: S106
        DISTRICTGUARD_MICROSOFT_CLIENT_ID="synthetic-entra-client",
        DISTRICTGUARD_MICROSOFT_CLIENT_SECRET="synthetic-entra-secret",  # noqa: S106
        DISTRICTGUARD_MICROSOFT_TENANT="00000000-0000-0000-0000-000000000000",
    )
    assert result.returncode == 0, result.stderr
    assert "Sign in with Google" in result.stdout
    assert 'href="/accounts/google/login/' in result.stdout
    assert "Sign in with Microsoft" in result.stdout
    assert 'href="/accounts/microsoft/login/' in result.stdout


def test_without_sso_the_sign_in_page_has_no_provider_buttons(
    tmp_path: Path,
) -> None:
    result = run_django(tmp_path, _LOGIN_PAGE, DISTRICTGUARD_HTTPS="false")
    assert result.returncode == 0, result.stderr
    assert "Sign in with" not in result.stdout
    assert 'name="password"' in result.stdout


def test_entra_without_a_tenant_is_refused_loudly(tmp_path: Path) -> None:
    result = run_django(
        tmp_path,
        "import django; django.setup()",
        DISTRICTGUARD_SSO_PROVIDERS="microsoft",
        DISTRICTGUARD_MICROSOFT_CLIENT_ID="synthetic-entra-client",
    )
    assert result.returncode != 0
    assert "DISTRICTGUARD_MICROSOFT_TENANT" in result.stderr
