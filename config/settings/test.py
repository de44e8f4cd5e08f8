"""Tests: fast hashing, captured email, tasks run at once after commit."""

from config.settings.base import *

SECRET_KEY = "test-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASES = {"default": database_from_env(VAR_DIR / "test.sqlite3")}
ALLOWED_HOSTS = ["*"]
# High enough that no test is throttled by accident; the throttling test lowers it.
ALLIANCES_API_ANON_RATE = "100000/m"
ALLIANCES_FORM_RATES = {"debate_request": "100000/m", "debate_registration": "100000/m"}
