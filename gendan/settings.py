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
GENDAN_API_WRITE_RATE, GENDAN_API_HEAVY_READ_RATE   API rate limits per caller (300/m, 60/m)
GENDAN_FORM_RATE     public lead form submissions per address and form (10/m)
GENDAN_FORM_MAX_BYTES, GENDAN_FORM_FRAME_ANCESTORS  a submission's largest body (16384), the
                     sites that may embed the forms (* for any)
GENDAN_DELIVERY_STALE_SECONDS  a delivery queued or sending this long lost its task (300)
GENDAN_CUSTOM_COUNT_LIMIT  lists filtered by custom fields count their rows up to this (1000)
"""

import os
import re
import secrets
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
# Typed reads of the environment (bool, int, list, database and mail URLs): django-environ.
env = environ.Env()


def _list(name: str, default: str) -> list[str]:
    """A comma-separated list; blanks around the items do not count."""
    return [item.strip() for item in env.list(name, default=default.split(",")) if item.strip()]


DATA_DIR = Path(env.str("GENDAN_DATA_DIR", default="") or "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env.str("GENDAN_SECRET_KEY", default="")
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
DEBUG = env.bool("GENDAN_DEBUG", default=False)
ALLOWED_HOSTS = _list("GENDAN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _list("GENDAN_CSRF_TRUSTED_ORIGINS", "")

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
    "csp",
    "axes",  # failed logins, limited (gendan/org/lockout.py)
    "gendan.core",
    "gendan.org",
    "gendan.ui",
    "gendan.fields",
    "gendan.history",
    "gendan.leads",
    "gendan.capture",
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
    "csp.middleware.CSPMiddleware",
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
    # Whether a write comes through the web app or the API, for the field history.
    "gendan.history.context.ViaMiddleware",
    "gendan.core.middleware.ApiJsonErrorsMiddleware",
    "gendan.core.middleware.DomainErrorPagesMiddleware",
    # Last: turns a lock-out into its answer (the login page again, or the API's 429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gendan.urls"
WSGI_APPLICATION = "gendan.wsgi.application"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:workbench"
LOGOUT_REDIRECT_URL = "web:login"
# django-axes first: it counts and limits failed logins wherever authenticate() is called.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "gendan.org.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_FAILURE_LIMIT = 5  # of the first counter; lockout.LIMITS has each counter's own
AXES_COOLOFF_TIME = "gendan.org.lockout.cool_off"
AXES_USE_ATTEMPT_EXPIRATION = True  # each address's pause ends on its own clock
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the back-off counts an address's failures of the day
AXES_LOCKOUT_CALLABLE = "gendan.web.auth.lockout_response"
AXES_VERBOSE = False  # gendan.auth logs each lock-out in one line
# Behind N reverse proxies (GENDAN_PROXY_COUNT=N), the client's address is the one the
# nearest proxy put into X-Forwarded-For; else the connection's own address.
AXES_IPWARE_PROXY_COUNT = env.int("GENDAN_PROXY_COUNT", default=0) or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)

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

# Content-Security-Policy: scripts and everything else from this site only; no inline script
# (behaviour lives in static files, data in json_script blocks). Styles may be inline: htmx,
# ECharts and the printable quote set style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Database -----------------------------------------------------------------------------------
DATABASES = {
    "default": {
        **env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'gendan.sqlite3'}"),
        "CONN_MAX_AGE": env.int("GENDAN_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend, with writers queued on a lock file (gendan/core/db/sqlite3);
    # GENDAN_SQLITE_WRITE_GATE=0 keeps Django's own (docs/architecture.md, "The SQLite backend").
    if env.bool("GENDAN_SQLITE_WRITE_GATE", default=True):
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
REDIS_URL = env.str("REDIS_URL", default="")
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
    "workers": env.int("GENDAN_WORKERS", default=2),
    "worker_type": "thread",
    # GENDAN_PERIODIC_TASKS=0: the worker runs queued tasks only, no schedule (the benchmark).
    "periodic": env.bool("GENDAN_PERIODIC_TASKS", default=True),
    # A worker killed while a task held a lock (the rules' tick) would leave the lock behind
    # and that task refused for ever: a starting worker clears them. The tasks that take
    # locks are safe to run twice at once (the rule engine's runs have a unique key).
    "flush_locks": True,
}
# Seconds a notification's delivery may stay queued or being sent before the worker takes its
# task for lost (a worker killed mid-send) and sends it again: longer than any send takes.
GENDAN_DELIVERY_STALE_SECONDS = env.int("GENDAN_DELIVERY_STALE_SECONDS", default=300)

# Cache: shared by all web processes (API rate limits, kept figures); Redis when configured.
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

# API rate limits per caller (gendan/api/limits.py): "<count>/<period>", the period one of
# s, m, h, d (or 10m, 2h ...); empty or 0 for no limit. Counted in the cache above.
_RATE = re.compile(r"^\d+/\d*[smhd]$")


def _rate(name: str, default: str) -> str:
    rate = env.str(name, default=default).strip().replace(" ", "")
    if rate in ("", "0", "off"):
        return ""
    if not _RATE.match(rate):
        raise ImproperlyConfigured(f"{name}={rate!r}: expected a rate like 300/m")
    return rate


GENDAN_API_WRITE_RATE = _rate("GENDAN_API_WRITE_RATE", "300/m")
GENDAN_API_HEAVY_READ_RATE = _rate("GENDAN_API_HEAVY_READ_RATE", "60/m")
# Public lead forms (gendan/web/capture, docs/lead-forms.md): submissions per client address and
# form, the largest body a submission may have, and who may show a form in an iframe.
GENDAN_FORM_RATE = _rate("GENDAN_FORM_RATE", "10/m")
GENDAN_FORM_MAX_BYTES = env.int("GENDAN_FORM_MAX_BYTES", default=16 * 1024)
GENDAN_FORM_FRAME_ANCESTORS = _list("GENDAN_FORM_FRAME_ANCESTORS", "*")
# A cache that cannot be reached lets requests through rather than refusing every write.
RATELIMIT_FAIL_OPEN = True

# Mail ---------------------------------------------------------------------------------------


# Our short schemes, and smtps as implicit TLS (port 465), on top of django-environ's names.
EMAIL_SCHEMES = {
    "console": "consolemail",
    "locmem": "memorymail",
    "dummy": "dummymail",
    "smtps": "smtp+ssl",
}


def _email_settings(url: str) -> dict:
    scheme, sep, rest = (url or "console://").partition("://")
    config = env.email_url_config(f"{EMAIL_SCHEMES.get(scheme, scheme)}{sep}{rest}")
    if config["EMAIL_BACKEND"].endswith("smtp.EmailBackend") and not config["EMAIL_PORT"]:
        config["EMAIL_PORT"] = 465 if config.get("EMAIL_USE_SSL") else 587
    return {key: value for key, value in config.items() if value is not None}


globals().update(_email_settings(env.str("EMAIL_URL", default="")))
DEFAULT_FROM_EMAIL = env.str("GENDAN_FROM_EMAIL", default="gendan@localhost")
# A mail server that stops answering fails the send after this many seconds (then it is retried)
# instead of holding a worker for ever; well under GENDAN_DELIVERY_STALE_SECONDS.
EMAIL_TIMEOUT = env.int("GENDAN_EMAIL_TIMEOUT", default=30)

# Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("GENDAN_TIME_ZONE", default="Asia/Shanghai")
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
# A login lasts GENDAN_SESSION_HOURS (14 days unless set), then the user logs in again.
SESSION_COOKIE_AGE = env.int("GENDAN_SESSION_HOURS", default=14 * 24) * 3600
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env.bool("GENDAN_HTTPS", default=False):
    SECURE_SSL_REDIRECT = env.bool("GENDAN_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("GENDAN_HSTS_SECONDS", default=31536000)
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
    "root": {"handlers": ["console"], "level": env.str("GENDAN_LOG_LEVEL", default="INFO")},
    "loggers": {
        "huey": {"level": env.str("GENDAN_LOG_LEVEL", default="INFO"), "propagate": False},
        # one line per login failure and lock-out, not every check it makes
        "axes": {"level": "WARNING"},
    },
}

# Gendan -------------------------------------------------------------------------------------
GENDAN_DEFAULT_CURRENCY = "CNY"
GENDAN_MAX_PAGE_SIZE = 200
# Lists count their rows up to this many, then say "10,000+" (counting more costs time).
GENDAN_COUNT_LIMIT = 10_000
# ... and up to this many when they are filtered by custom fields (each row counted is read).
GENDAN_CUSTOM_COUNT_LIMIT = env.int("GENDAN_CUSTOM_COUNT_LIMIT", default=1_000)
GENDAN_BOARD_CARDS = 20
# The currency of totals and reports; amounts in other currencies are shown apart, never added.
GENDAN_CURRENCY = env.str("GENDAN_CURRENCY", default="CNY").upper()
GENDAN_BRAND = _("Gendan")
# Public pool (公海) and assignment: open leads a user may hold, days before a former owner may
# claim a released lead again.
GENDAN_MAX_OPEN_LEADS = env.int("GENDAN_MAX_OPEN_LEADS", default=200)
GENDAN_POOL_COOLING_DAYS = env.int("GENDAN_POOL_COOLING_DAYS", default=7)
# The address people open Gendan at: links in e-mails and chat messages start with it.
GENDAN_BASE_URL = env.str("GENDAN_BASE_URL", default="http://127.0.0.1:8000")
# Uploads (attachments): the largest file accepted, in megabytes.
GENDAN_MAX_UPLOAD_MB = env.int("GENDAN_MAX_UPLOAD_MB", default=20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The company shown on quotes and other documents sent to customers.
GENDAN_COMPANY = {
    "name": env.str("GENDAN_COMPANY_NAME", default="Gendan Demo Co., Ltd. 跟单示范有限公司"),
    "address": env.str("GENDAN_COMPANY_ADDRESS", default=""),
    "phone": env.str("GENDAN_COMPANY_PHONE", default=""),
    "email": env.str("GENDAN_COMPANY_EMAIL", default=""),
    "tax_id": env.str("GENDAN_COMPANY_TAX_ID", default=""),
}
