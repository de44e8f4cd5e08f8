"""Settings shared by every environment. Everything that varies comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("ALLIANCES_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, *, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Our apps come before allauth so that our templates override its layouts.
    "alliances.portal",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "alliances.accounts",
    "alliances.territories",
    "alliances.organizations",
    "alliances.observatory",
    "alliances.learning",
    "alliances.diagnostic",
    "alliances.partnerships",
    "alliances.testimonies",
    "alliances.engagement",
    # django-ninja serves the open-data API; listed for its Swagger UI static files.
    "ninja",
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
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "alliances.portal.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL chooses; the default is an embedded SQLite file in WAL mode.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    "transaction_mode": "IMMEDIATE",
}


def database_from_env(default_sqlite: Path) -> dict[str, object]:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite}"
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = dict(SQLITE_OPTIONS)
    return config


DATABASES = {"default": database_from_env(VAR_DIR / "alliances.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

# django-allauth: email is the identifier, verified before the first login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "alliances.accounts.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Confirming the address in the browser that signed up signs in and returns to where the
# person was going (an invitation link, say); from another browser it asks to sign in.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "alliances.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[alliances] "
# Throttling: failed logins per IP and per account, sign-ups, resets (allauth's rate limits).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "alliances_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATICFILES_DIRS = [
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("ALLIANCES_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work: django-tasks with the database backend; `alliances worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "alliances <ne-pas-repondre@alliances.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# The real region outlines (GeoJSON) are optional: the map falls back to a tile-grid cartogram.
ALLIANCES_REGIONS_GEOJSON = os.environ.get("ALLIANCES_REGIONS_GEOJSON", "")
ALLIANCES_REGIONS_GEOJSON_CREDIT = os.environ.get(
    "ALLIANCES_REGIONS_GEOJSON_CREDIT",
    "Fond de carte : IGN – Admin Express COG 2018 (Licence Ouverte), "
    "via gregoiredavid/france-geojson",
)
ALLIANCES_INVITATION_DAYS = 14
# Survey microdata (Parquet, one immutable file per dataset version): private, never under
# MEDIA_ROOT, which is served in development. Files above the inline size import in the
# background.
ALLIANCES_MICRODATA_ROOT = os.environ.get("ALLIANCES_MICRODATA_ROOT", str(VAR_DIR / "microdata"))
ALLIANCES_IMPORT_INLINE_BYTES = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ALLIANCES_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# The demo loader refuses to run where this is False (production).
ALLIANCES_DEMO_ALLOWED = True

# The open-data API (`/api/v1/`): requests per anonymous client ("number/s|m|h|d"; empty turns
# throttling off), and how many reverse proxies in front of the app append to
# X-Forwarded-For (0: the client is REMOTE_ADDR; a forged header is then ignored).
ALLIANCES_API_ANON_RATE = os.environ.get("ALLIANCES_API_ANON_RATE", "120/m")
NINJA_NUM_PROXIES = int(os.environ.get("ALLIANCES_TRUSTED_PROXIES", "0"))

# Commands the worker runs periodically (command, seconds between runs).
ALLIANCES_PERIODIC_COMMANDS = [("process_deadlines", 300), ("send_debate_reminders", 600)]
# Where the platform is served, for links in emails sent by the worker (outside a request).
ALLIANCES_SITE_URL = os.environ.get("ALLIANCES_SITE_URL", "http://127.0.0.1:8000")

# Regional debates: reminders go this many hours before the start (the worker checks every
# ten minutes).
ALLIANCES_DEBATE_REMINDER_HOURS = int(os.environ.get("ALLIANCES_DEBATE_REMINDER_HOURS", "48"))

# Forms people could abuse, throttled per account (or per address): "number/s|m|h|d", or
# empty to turn a form's throttling off.
ALLIANCES_FORM_RATES = {
    "debate_request": os.environ.get("ALLIANCES_DEBATE_REQUEST_RATE", "5/h"),
    "debate_registration": os.environ.get("ALLIANCES_DEBATE_REGISTRATION_RATE", "20/h"),
}
