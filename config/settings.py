"""Framescope settings, read from the environment.

Local use needs no configuration: SQLite next to the code, DEBUG on. Production sets
DEBUG=0 and must then provide SECRET_KEY, ALLOWED_HOSTS and usually DATABASE_URL.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
import plotly
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-framescope-development-only"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "coverage.apps.FramescopeAdminConfig",  # django.contrib.admin with Framescope's site (coverage/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "simple_history",
    "django_tasks_db",
    "axes",
    "coverage",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Inside the header middleware (the 503 page gets them too), outside everything that
    # reads the database: an outage anywhere below becomes the 503 page.
    "coverage.outage.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coverage.security.IdleSessionMiddleware",
    "coverage.security.DeniedAccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a login refused during a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Persistent connections, checked before reuse: after an outage the next request reconnects
# by itself (no restart). A PostgreSQL server that does not answer is given DB_CONNECT_TIMEOUT
# seconds; libpq and psycopg never wait less than 2 s, and a stopped server refuses at once.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The background worker (manage.py db_worker) writes beside the web server. IMMEDIATE
    # takes the write lock when a transaction begins, so two writers wait for each other
    # instead of failing with "database is locked" when one upgrades its read to a write;
    # WAL lets pages read while an import writes; `timeout` is how long a writer waits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL", "timeout": 20}
    )
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 2, minimum=1)
    # No JIT compilation for the app's queries (DB_JIT=1 turns it back on). The planner
    # turns JIT on by cost, and the read model's grouped counts over a big event cost
    # enough: compiling them took longer than running them (a 50 ms query took about 2 s
    # on a busy 2-core server). Only the server's default is changed, for this connection.
    if not env_bool("DB_JIT", False):
        given = DATABASES["default"]["OPTIONS"].get("options", "")
        DATABASES["default"]["OPTIONS"]["options"] = f"{given} -c jit=off".strip()
# Seconds a client is asked to wait (Retry-After) while the database is unreachable.
DATABASE_RETRY_AFTER = env_int("DATABASE_RETRY_AFTER", 30, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Long work runs as Django tasks (django.tasks) on a database-backed worker,
# `manage.py db_worker`, which `make run` starts beside the server. Every task of the app
# (`@task`, default backend and queue) is stored in the database and run by that worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Uploads of background imports are stored here until their job is deleted (never served).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Admin uploads larger than this (bytes, all files together) import as a background job
# instead of a preview in the request; the preview form's own cap is 2 MB.
IMPORT_BACKGROUND_BYTES = env_int("IMPORT_BACKGROUND_BYTES", 1000000, minimum=1)
# The largest upload the admin import page accepts (bytes, all files together).
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 100000000, minimum=1)
# The longest article body an import accepts (characters, after cleaning): a long feature
# is about 100,000; a text far past this is not one article (docs/importing.md).
IMPORT_MAX_ARTICLE_CHARS = env_int("IMPORT_MAX_ARTICLE_CHARS", 5000000, minimum=1)
# Suggestions for bodies up to this many characters are made at once, in the request or
# import; longer ones in a background job; past SUGGEST_MAX_CHARS none are made.
SUGGEST_INLINE_MAX_CHARS = env_int("SUGGEST_INLINE_MAX_CHARS", 100000, minimum=1)
SUGGEST_MAX_CHARS = env_int("SUGGEST_MAX_CHARS", 2000000, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes checks every login (the dashboard's and admin's) before the password does.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"

# Login throttling (django-axes): LOGIN_FAILURE_LIMIT failed logins for one username, or
# from one address, lock that username or address out for LOGIN_LOCKOUT_MINUTES. An admin
# unlocks earlier by deleting its access attempts in admin (Axes → Access attempts).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coverage.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "coverage.security.client_ip"
AXES_VERBOSE = False  # coverage.security logs logins, failures and lockouts itself

# A session ends after SESSION_IDLE_MINUTES without a request (coverage.security.IdleSessionMiddleware
# renews it while the user is active).
SESSION_COOKIE_AGE = 60 * env_int("SESSION_IDLE_MINUTES", 60, minimum=1)

# How many reverse proxies in front of the app set X-Forwarded-Proto and X-Forwarded-For.
# 0 (the default) trusts neither header: a client could send them itself.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LOGIN_REDIRECT_URL = "coverage:event_list"
LOGOUT_REDIRECT_URL = "login"
# A form sent from a stale page gets a page in the site's layout, not Django's bare one.
CSRF_FAILURE_VIEW = "coverage.errors.csrf_failure"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]

# plotly.js from the installed plotly package (issue 4), served as static/plotly/plotly.min.js:
# the version always matches the Python package and nothing is vendored into the repository.
STATICFILES_DIRS += [("plotly", Path(plotly.__file__).resolve().parent / "package_data")]
# Hashed, compressed names need `collectstatic`; local runs and tests serve the files as they are.
_STATIC_BACKEND = (
    "whitenoise.storage.CompressedManifestStaticFilesStorage"
    if env_bool("STATIC_MANIFEST", not DEBUG)
    else "django.contrib.staticfiles.storage.StaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": _STATIC_BACKEND},
}

# No inline script and no eval anywhere. plotly.js injects <style> tags at run time, so
# styles need 'unsafe-inline'; images include data: URIs for Plotly's PNG export.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers ask /healthz over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is a per-domain decision, not a code default.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Importing by URL refuses hosts at loopback, private and link-local addresses (server-side
# request forgery). Tests, and installations that import from their own network, allow them.
IMPORT_ALLOW_PRIVATE_HOSTS = env_bool("IMPORT_ALLOW_PRIVATE_HOSTS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Logins, failed logins, lockouts, refused requests (403) and database outages.
        "framescope.security": {"level": "INFO"},
        # django-axes reports every login at INFO; framescope.security says the same in one line.
        "axes": {"level": "WARNING"},
    },
}
