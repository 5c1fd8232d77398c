"""Django settings, all from the environment (see docs/configuration.md).

Secure by default: a production deployment sets only ``DISTRICTGUARD_ALLOWED_HOSTS``
(and ``DATABASE_URL`` for PostgreSQL). ``districtguard up`` on loopback turns
``DISTRICTGUARD_HTTPS`` off, because a browser on the same machine talks plain HTTP.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from districtguard.web.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    home,
)

HOME = home()
PACKAGE_DIR = Path(__file__).resolve().parent.parent
MEDIA_ROOT = HOME / "evidence"
KEYS_DIR = HOME


def _secret_key() -> str:
    """Return the secret key from the environment, or the one kept in the home."""
    configured = env_secret("DISTRICTGUARD_SECRET_KEY")
    if configured:
        return configured
    path = HOME / "secret.key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    HOME.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_urlsafe(50)
    fd = path.open("x", encoding="utf-8")
    path.chmod(0o600)
    with fd:
        fd.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DISTRICTGUARD_DEBUG", False)
HTTPS = env_bool("DISTRICTGUARD_HTTPS", True)
ALLOWED_HOSTS = env_list("DISTRICTGUARD_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DISTRICTGUARD_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("DISTRICTGUARD_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "districtguard.accounts",
    "districtguard.district",
    "districtguard.incidents",
    "districtguard.inventory",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.usersessions",
    "django_q",
    *[
        f"allauth.socialaccount.providers.{name}"
        for name in env_list("DISTRICTGUARD_SSO_PROVIDERS")
    ],
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "districtguard.accounts.middleware.RequireMfaMiddleware",
    "districtguard.district.middleware.DistrictTimezoneMiddleware",
]

ROOT_URLCONF = "districtguard.web.urls"
WSGI_APPLICATION = "districtguard.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "districtguard.district.context.district",
            ],
        },
    },
]

_DEFAULT_DB = f"sqlite:///{HOME / 'districtguard.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _DEFAULT_DB), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes;
    # IMMEDIATE transactions take the write lock up front instead of failing late.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        " PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(HOME / "cache"),
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("DISTRICTGUARD_TIME_ZONE", "America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = HOME / "static"
# The stylesheet and scripts live in the package, not in an app: name the folder.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "evidence/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 << 20
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 << 20

# Sessions expire: after a working day at most, and when the browser closes.
SESSION_COOKIE_AGE = env_int("DISTRICTGUARD_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DISTRICTGUARD_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preload (W021) is left off on purpose: preloading binds the district's
# whole domain and every subdomain to HTTPS in browsers for months, a decision
# for whoever runs the domain, not for one application on it.
SILENCED_SYSTEM_CHECKS = ["security.W021"] + (
    [] if HTTPS else ["security.W004", "security.W008"]
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Mail: SMTP when a server is configured; otherwise messages are written to
# files in the home, so a local trial never loses a password-reset link.
EMAIL_HOST = env_str("DISTRICTGUARD_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("DISTRICTGUARD_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("DISTRICTGUARD_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_secret("DISTRICTGUARD_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("DISTRICTGUARD_EMAIL_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("DISTRICTGUARD_EMAIL_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 30
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(HOME / "outbox")
DEFAULT_FROM_EMAIL = env_str("DISTRICTGUARD_FROM_EMAIL", "districtguard@localhost")
# Where new incident reports and overdue steps are announced besides email:
# dotted paths of classes with send(recipients, subject, body).
DISTRICTGUARD_ALERT_CHANNELS = env_list(
    "DISTRICTGUARD_ALERT_CHANNELS", "districtguard.incidents.alerts.EmailChannel"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts: sign in by email; nobody signs themselves up (the Director adds
# people or imports the staff directory).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "districtguard.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[DistrictGuard] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"
# Guessing is throttled per address and per client (allauth's rate limits).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# allauth refuses MFA to an unverified address so a stranger who signs up with
# someone's address cannot lock its owner out. Nobody signs up here: addresses
# come from the Director or the staff directory, and a one-time set-password
# link (which allauth records as unverified) must not block the required MFA.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not HTTPS
MFA_TOTP_ISSUER = env_str("DISTRICTGUARD_MFA_ISSUER", "DistrictGuard")
SOCIALACCOUNT_ADAPTER = "districtguard.accounts.adapter.SocialAccountAdapter"
# Single sign-on (docs/sso.md): for each provider in DISTRICTGUARD_SSO_PROVIDERS,
# DISTRICTGUARD_<PROVIDER>_CLIENT_ID and _CLIENT_SECRET (or _CLIENT_SECRET_FILE)
# configure it here; without them, add a "Social application" in the admin.
SOCIALACCOUNT_PROVIDERS: dict[str, dict[str, object]] = {}
for _provider in env_list("DISTRICTGUARD_SSO_PROVIDERS"):
    _prefix = f"DISTRICTGUARD_{_provider.upper()}_"
    if env_str(_prefix + "CLIENT_ID"):
        _app: dict[str, object] = {
            "client_id": env_str(_prefix + "CLIENT_ID"),
            "secret": env_secret(_prefix + "CLIENT_SECRET"),
        }
        if _provider == "microsoft":
            # Only the district's own tenant: a multi-tenant app would let an
            # account in any organisation claim a district address.
            if not env_str(_prefix + "TENANT"):
                raise ImproperlyConfigured(
                    f"{_prefix}TENANT must be the district's Entra tenant id"
                )
            _app["settings"] = {"tenant": env_str(_prefix + "TENANT")}
        SOCIALACCOUNT_PROVIDERS[_provider] = {"APPS": [_app]}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True

# The inventory's folder scans read files on this Dask cluster (tcp://host:8786,
# or local:N) when set; otherwise in the worker itself.
INVENTORY_SCAN_CLUSTER = env_str("DISTRICTGUARD_SCAN_CLUSTER", "")

# Background work: django-q2 with the database as its queue, so the web server
# and the worker need nothing beyond the database. Schedules live in the database
# too (districtguard.worker.schedules registers them). One worker process by
# default: a small district's jobs are few and long, and SQLite has one writer.
Q_CLUSTER = {
    "name": "districtguard",
    "orm": "default",
    "workers": env_int("DISTRICTGUARD_WORKER_PROCESSES", 1),
    "timeout": env_int("DISTRICTGUARD_JOB_TIMEOUT", 6 * 3600),
    # A job not acknowledged this long after it was handed out is handed out
    # again (the worker died); it must exceed the timeout.
    "retry": env_int("DISTRICTGUARD_JOB_TIMEOUT", 6 * 3600) + 600,
    "max_attempts": 3,
    "poll": 1,
    "ack_failures": True,
    "save_limit": 500,
    # After downtime a nightly job runs once, not once per missed night.
    "catch_up": False,
    "label": "Background jobs",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "districtguard.web.console.ConsoleHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_str("DISTRICTGUARD_LOG_LEVEL", "INFO"),
    },
}
