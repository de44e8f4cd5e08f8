"""Local development: `make run`. Embedded SQLite, console email, debug on."""

from config.settings.base import *

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret-0123456789abcdefghijklmnop"
VAR_DIR.mkdir(parents=True, exist_ok=True)
