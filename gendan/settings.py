"""Settings, read from the environment (DESIGN.md §4).

GENDAN_DATA_DIR      where the SQLite database, the queue and the secret key live (./var)
DATABASE_URL         default sqlite:///$GENDAN_DATA_DIR/gendan.sqlite3; postgres://... in production
GENDAN_SECRET_KEY    else generated once into $GENDAN_DATA_DIR/secret_key
GENDAN_DEBUG         1/true for development
GENDAN_ALLOWED_HOSTS comma separated (default 127.0.0.1,localhost)
GENDAN_HTTPS         1 when served over HTTPS: secure cookies, HSTS, redirect to https
REDIS_URL            use Redis for the background queue instead of SQLite
EMAIL_URL            smtp://user:pass@host:port (or console:// / locmem://)
GENDAN_TIME_ZONE     default Asia/Shanghai; times are stored in UTC
"""

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("GENDAN_DATA_DIR") or "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("GENDAN_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # Written once, readable by the owner only; kept across restarts so sessions survive.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("GENDAN_DEBUG")
ALLOWED_HOSTS = _env_list("GENDAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("GENDAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",  # serves the API docs' Swagger UI from static files, not a CDN
    "gendan.core",
    "gendan.org",
    "gendan.ui",
    "gendan.leads",
    "gendan.customers",
    "gendan.deals",
    "gendan.activities",
    "gendan.sales",
    "gendan.automation",
    "gendan.analytics",
    "gendan.web",
    "gendan.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # `request.htmx`: whether htmx sent the request, and for which target.
    "django_htmx.middleware.HtmxMiddleware",
    "gendan.core.middleware.ApiJsonErrorsMiddleware",
    "gendan.core.middleware.DomainErrorPagesMiddleware",
]

ROOT_URLCONF = "gendan.urls"
WSGI_APPLICATION = "gendan.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gendan.web.context.navigation",
            ],
        },
    }
]

# Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'gendan.sqlite3'}",
        conn_max_age=int(os.environ.get("GENDAN_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with writers queued on a lock file (gendan/core/db/sqlite3).
    DATABASES["default"]["ENGINE"] = "gendan.core.db.sqlite3"
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction so two writers queue on the busy timeout instead of failing.
        "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the scope filters of a big organisation give the planner high cost estimates,
    # and it would spend most of a second compiling a plan that runs in a few milliseconds.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background queue ---------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "gendan",
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "gendan",
        # The queue lives in its own file, never in the application database.
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": False,
    }
HUEY["consumer"] = {
    "workers": int(os.environ.get("GENDAN_WORKERS", "2")),
    "worker_type": "thread",
    # GENDAN_PERIODIC_TASKS=0: the worker runs queued tasks only, no schedule (the benchmark).
    "periodic": os.environ.get("GENDAN_PERIODIC_TASKS", "1") != "0",
}

# Cache: shared by all web processes (login rate limits); Redis when configured.
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

# Mail ---------------------------------------------------------------------------------------


def _email_settings(url: str) -> dict:
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme in {"console", "locmem", "dummy"}:
        return {"EMAIL_BACKEND": f"django.core.mail.backends.{parsed.scheme}.EmailBackend"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": parsed.scheme == "smtp+tls",
    }


globals().update(_email_settings(os.environ.get("EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = os.environ.get("GENDAN_FROM_EMAIL", "gendan@localhost")

# Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("GENDAN_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 14 * 24 * 3600
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if _env_bool("GENDAN_HTTPS"):
    SECURE_SSL_REDIRECT = _env_bool("GENDAN_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("GENDAN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GENDAN_LOG_LEVEL", "INFO")},
    "loggers": {"huey": {"level": os.environ.get("GENDAN_LOG_LEVEL", "INFO"), "propagate": False}},
}

# Gendan -------------------------------------------------------------------------------------
GENDAN_DEFAULT_CURRENCY = "CNY"
GENDAN_MAX_PAGE_SIZE = 200
# Lists count their rows up to this many, then say "10,000+" (counting more costs time).
GENDAN_COUNT_LIMIT = 10_000
GENDAN_BOARD_CARDS = 20
GENDAN_BRAND = _("Gendan")
# Public pool (公海) and assignment: open leads a user may hold, days before a former owner may
# claim a released lead again.
GENDAN_MAX_OPEN_LEADS = int(os.environ.get("GENDAN_MAX_OPEN_LEADS", "200"))
GENDAN_POOL_COOLING_DAYS = int(os.environ.get("GENDAN_POOL_COOLING_DAYS", "7"))
# The address people open Gendan at: links in e-mails and chat messages start with it.
GENDAN_BASE_URL = os.environ.get("GENDAN_BASE_URL", "http://127.0.0.1:8000")
# Uploads (attachments): the largest file accepted, in megabytes.
GENDAN_MAX_UPLOAD_MB = int(os.environ.get("GENDAN_MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The company shown on quotes and other documents sent to customers.
GENDAN_COMPANY = {
    "name": os.environ.get("GENDAN_COMPANY_NAME", "Gendan Demo Co., Ltd. 跟单示范有限公司"),
    "address": os.environ.get("GENDAN_COMPANY_ADDRESS", ""),
    "phone": os.environ.get("GENDAN_COMPANY_PHONE", ""),
    "email": os.environ.get("GENDAN_COMPANY_EMAIL", ""),
    "tax_id": os.environ.get("GENDAN_COMPANY_TAX_ID", ""),
}
