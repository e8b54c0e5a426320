"""Comptoir settings: one file, every knob from the environment.

Defaults give an embedded set-up for development (SQLite under ``var/``,
database cache and sessions, database task queue, mail printed and kept in
``var/outbox/``). Production sets ``DJANGO_DEBUG=false`` and the variables
documented in ``docs/operations.md``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SRC_DIR = BASE_DIR / "src"
VAR_DIR = Path(os.environ.get("COMPTOIR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or os.environ.get("COMPTOIR_TESTING") == "1"
DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DJANGO_DEBUG is false.")
    SECRET_KEY = "insecure-development-key-only-for-local-use-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "comptoir.core",
    "comptoir.accounts",
    "comptoir.companies",
    "comptoir.catalog",
    "comptoir.pricing",
    "comptoir.inventory",
    "comptoir.carts",
    "comptoir.orders",
    "comptoir.backoffice",
    "comptoir.notifications",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_countries",  # country names in every language
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comptoir.core.middleware.PrivateResponseMiddleware",
    "comptoir.core.middleware.SessionLifetimeMiddleware",
    "comptoir.core.middleware.BuyerContextMiddleware",
    "comptoir.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "comptoir.urls"
WSGI_APPLICATION = "comptoir.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "comptoir" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "comptoir.core.context_processors.buyer",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'comptoir.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Web queries are short: PostgreSQL's JIT compiler costs more than it saves on them.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Rate-limit counters (allauth's and Comptoir's, ACCOUNT_RATE_LIMITS) and used authenticator-app
# codes live in the "ratelimit" cache, where nothing live is ever evicted: filling the shared
# cache cannot reset a counter (core/ratelimits.py, docs/security.md).
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # A server that never evicts keys (maxmemory-policy noeviction), docs/operations.md.
            "LOCATION": os.environ.get("RATE_LIMIT_REDIS_URL") or REDIS_URL,
            "KEY_PREFIX": "ratelimit",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "comptoir_cache",
        },
        "ratelimit": {
            # Deletes only expired rows, once the table holds more than MAX_ENTRIES.
            "BACKEND": "comptoir.core.ratelimits.RateLimitDatabaseCache",
            "LOCATION": "comptoir_ratelimit",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        },
    }
    SESSION_ENGINE = "comptoir.core.sessions"  # Django's database sessions (core/sessions.py)
# Rendered pieces of pages that are the same for every buyer (the catalogue's category tree and
# filter bar), kept per process; their keys carry the catalogue version (docs/decisions/0005).
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "comptoir-fragments",
    "TIMEOUT": 60,
    "OPTIONS": {"MAX_ENTRIES": 500},
}

# Absolute session lifetime; buyers who tick "keep me signed in" get REMEMBER_ME_AGE.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 3600)
COMPTOIR_REMEMBER_ME_AGE = 30 * 24 * 3600
COMPTOIR_STAFF_IDLE_TIMEOUT = env_int("STAFF_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Auth and allauth -----------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # allauth's backend with the per-request user read written in SQL once; allauth signs buyers in
    # with it. allauth's own stays listed so that sessions it signed keep working.
    "comptoir.accounts.backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_request_login_code"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "comptoir.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# An optional password: without "password1" here allauth drops the password field from /accounts/login/ (A2).
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 600
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_CHANGE_EMAIL = False
# One address per account: the address is the identity; a new address is a new member (A3).
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Comptoir] "
ACCOUNT_RATE_LIMITS = {
    # Per address: 3 a minute and 10 an hour; with 3 tries per code that is
    # at most 30 guesses an hour against one address.
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key,10/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/10s/key",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    # Comptoir's own actions, limited by allauth's limiter.
    "request_access": "5/m/ip,20/h/ip",
    "join_request": "5/h/key",
    "invite": "30/h/key",
    "image_archive": "10/h/key",
    "place_order": "20/m/key",
    "cart_share": "20/h/key",
    # A PDF costs about a fifth of a second of CPU to draw.
    "order_pdf": "20/m/key",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Staff must set up an authenticator app before using the back office (on in production).
COMPTOIR_STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", not DEBUG and not TESTING)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Languages ------------------------------------------------------------
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("nl", _("Dutch")), ("sv", _("Swedish"))]
LOCALE_PATHS = [SRC_DIR / "comptoir" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "comptoir" / "static"]  # the project's own CSS and htmx, outside any app
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}

# --- Mail -----------------------------------------------------------------
# Every mail goes through a task (COMPTOIR_EMAIL_BACKEND below); the task hands it
# to COMPTOIR_DELIVERY_BACKEND: SMTP in production, the outbox in development.
EMAIL_BACKEND = "comptoir.notifications.backends.QueuedEmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Comptoir <shop@comptoir.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
COMPTOIR_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_DELIVERY_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "comptoir.notifications.backends.OutboxEmailBackend",
)
COMPTOIR_OUTBOX_DIR = VAR_DIR / "outbox"
COMPTOIR_CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "sales@comptoir.example")

# --- Background tasks -----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": [],
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
# A task still RUNNING after this many seconds is taken for dead and queued again.
COMPTOIR_TASK_TIME_LIMIT = env_int("TASK_TIME_LIMIT", 15 * 60)

# --- Security headers -----------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "comptoir.core.views.csrf_failure"
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
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # X-Forwarded-Proto says "this came over HTTPS" only when a proxy of ours set it:
    # without one, any client could send it and pass a plain HTTP request off as secure.
    if ALLAUTH_TRUSTED_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "comptoir.security": {"level": "INFO"},
    },
}

# --- Comptoir -------------------------------------------------------------
COMPTOIR_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
COMPTOIR_INVITATION_DAYS = 14
# Uploaded spreadsheets (cart and catalogue imports) larger than this are refused
# before they are parsed; the reverse proxy's body limit should be a little above it.
COMPTOIR_MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Lines a cart may hold; an import or a paste with more is refused whole.
COMPTOIR_MAX_CART_LINES = env_int("MAX_CART_LINES", 5000)
