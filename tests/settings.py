"""Settings for the test suite: the real settings, with a throwaway home."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault(
    "DISTRICTGUARD_HOME", tempfile.mkdtemp(prefix="districtguard-test-")
)
os.environ.setdefault("DISTRICTGUARD_HTTPS", "false")
os.environ.setdefault("DISTRICTGUARD_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from districtguard.web.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# A test database of its own per run, so two runs on one server (a developer's
# and a CI job's, or two terminals) never drop each other's database.
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["NAME"] = (  # noqa: F405
        f"test_districtguard_{os.getpid()}"
    )
