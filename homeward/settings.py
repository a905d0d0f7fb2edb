"""Homeward settings: one file, every value read from the environment.

Every variable is listed, with its default, in README.md ("Configuration").
Development defaults are safe to run on a laptop; `HOMEWARD_ENV=production`
turns on the checks that refuse to start without real secrets.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOMEWARD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_secret(name: str) -> str | None:
    """A secret from NAME or from the file named by NAME_FILE (Docker/systemd style)."""
    value = os.environ.get(name)
    if value:
        return value.strip()
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return None


HOMEWARD_ENV = os.environ.get("HOMEWARD_ENV", "development")
PRODUCTION = HOMEWARD_ENV == "production"
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY") or ""
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    # Development only: a stable per-checkout key kept outside git in var/.
    _dev_key = VAR_DIR / "secret.key"
    if not _dev_key.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _dev_key.write_text(secrets.token_urlsafe(50))
        _dev_key.chmod(0o600)
    SECRET_KEY = _dev_key.read_text().strip()

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "homeward.lib.admin_site.HomewardAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "homeward.lib",
    "homeward.accounts",
    "homeward.chapters",
    "homeward.audit",
    "homeward.notices",
    "homeward.families",
    "homeward.stats",
    "homeward.channel",
    "homeward.telegram",
    "homeward.actions",
    "homeward.appeals",
    "homeward.questions",
]

MIDDLEWARE = [
    "homeward.lib.middleware.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # These three only shape responses; they come before FastSignMiddleware so that its
    # answers carry their headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "homeward.lib.middleware.NoStoreForSignedInMiddleware",
    # Co-signing on a short chain; anything it does not answer goes on (appeals/fastsign.py).
    "homeward.appeals.fastsign.FastSignMiddleware",
    "homeward.accounts.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "homeward.accounts.middleware.AccountPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "homeward.lib.middleware.SecondFactorRequiredMiddleware",
]

ROOT_URLCONF = "homeward.urls"
WSGI_APPLICATION = "homeward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "homeward" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "homeward.lib.context_processors.homeward",
            ],
        },
    },
]

# Database: SQLite in var/ by default (WAL mode); DATABASE_URL=postgres://... for PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("TEST_DATABASE_NAME") or None
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "homeward.sqlite3")),
            "OPTIONS": {
                # WAL lets readers go on while the worker writes; secure_delete overwrites
                # deleted rows so "delete my account" leaves no plaintext in free pages.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA secure_delete=ON; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # Keep connections between requests: opening one runs the PRAGMAs above.
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            # Tests use a file too, so the seizure canary can read the raw bytes.
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.Account"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "homeward.accounts.passphrases.PassphraseStrengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["handle"]},
    },
]

# Sessions: a browser-session cookie (no expiry date), an idle timeout enforced on the
# server (homeward.accounts.sessions.SessionMiddleware moves the expiry forward with every
# request, writing the row at most once every SESSION_TOUCH_SECONDS), "sign out everywhere"
# by bumping the account's session generation (see Account.get_session_auth_hash).
SESSION_ENGINE = "homeward.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 120) * 60
SESSION_SAVE_EVERY_REQUEST = False  # changed data only; the idle timeout is the middleware's
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "hw_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_NAME = "hw_csrf"
CSRF_FAILURE_VIEW = "homeward.views.csrf_failure"
LANGUAGE_COOKIE_NAME = "hw_lang"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# HTTPS: HOMEWARD_HTTPS=1 when served behind TLS (production); HSTS and secure cookies.
HTTPS = env_bool("HOMEWARD_HTTPS", PRODUCTION)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin": no referrer ever goes to another site. Not "no-referrer": with it,
# browsers send "Origin: null" on our own form posts and CSRF origin checks must fail.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Uploads stay in memory: Django's default writes large ones to the temporary folder in the clear.
FILE_UPLOAD_HANDLERS = ["homeward.lib.uploads.MemoryOnlyUploadHandler"]
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is an operator's decision (it is hard to undo); see README.
    "security.W021",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# Internationalization: Russian first. The language comes from the account, then the
# language cookie, then Russian — never from Accept-Language (Tor Browser always
# sends en-US, and the movement's language is Russian).
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "homeward" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Moscow")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "homeward" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if not PRODUCTION and not env_bool("HOMEWARD_COLLECTSTATIC", False):
    # Development and tests read the source folders directly; no collectstatic step.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

# Encryption keys for sensitive fields (AES-GCM) and blind indexes (HMAC). Never in
# the database. In development they are generated once into var/ (mode 0600).
DATA_KEY = env_secret("HOMEWARD_DATA_KEY")
DATA_OLD_KEYS = [k.strip() for k in (env_secret("HOMEWARD_DATA_OLD_KEYS") or "").split(",") if k.strip()]
INDEX_KEY = env_secret("HOMEWARD_INDEX_KEY")
if PRODUCTION and not (DATA_KEY and INDEX_KEY):
    raise RuntimeError("HOMEWARD_DATA_KEY and HOMEWARD_INDEX_KEY (or their *_FILE forms) must be set in production")

# Tasks: django-tasks with the database backend; `manage.py db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Login throttle (keyed by a keyed hash of the handle, never by IP).
LOGIN_FAILURES_ALLOWED = env_int("LOGIN_FAILURES_ALLOWED", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)

INVITE_DEFAULT_DAYS = env_int("INVITE_DEFAULT_DAYS", 7)
K_ANONYMITY = env_int("HOMEWARD_K", 10)
# Street actions: the exact place shows to members who are coming this many hours before the
# start (each action may set its own); members still checked in this many hours after the end
# get a prompt; who came is forgotten this many days after the end.
ACTION_REVEAL_HOURS = env_int("ACTION_REVEAL_HOURS", 3)
ACTION_CHECKOUT_PROMPT_HOURS = env_int("ACTION_CHECKOUT_PROMPT_HOURS", 2)
ACTION_PURGE_DAYS = env_int("ACTION_PURGE_DAYS", 14)
# Collective appeals: days a letter is assumed to take by post (or between bodies) when its arrival date is unknown.
APPEALS_POST_DAYS = env_int("APPEALS_POST_DAYS", 7)
# PostgreSQL: acknowledge co-signatures without waiting for the WAL flush (see README). Off by default.
APPEALS_SIGN_ASYNC_COMMIT = env_bool("APPEALS_SIGN_ASYNC_COMMIT", False)
# The movement's demand: a fixed term of service, in days (one year).
DEMANDED_TERM_DAYS = env_int("HOMEWARD_DEMANDED_TERM_DAYS", 365)
# Question bank: per-account limits, the age under which an account counts apart, and the
# number of questions from which the daily job re-clusters an open campaign.
QUESTIONS_SUBMIT_PER_DAY = env_int("QUESTIONS_SUBMIT_PER_DAY", 10)
QUESTIONS_VOTES_PER_HOUR = env_int("QUESTIONS_VOTES_PER_HOUR", 60)
QUESTIONS_NEW_ACCOUNT_DAYS = env_int("QUESTIONS_NEW_ACCOUNT_DAYS", 30)
QUESTIONS_RECLUSTER_MIN = env_int("QUESTIONS_RECLUSTER_MIN", 200)
# Mobilization was announced on this day; earlier dates need the member's confirmation.
MOBILIZATION_STARTED = "2022-09-21"

# Logging: no IP, no user agent, no handle. Django's request logger would print the
# path and status only; the filter also scrubs anything that looks like an address.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "homeward.lib.logging.ScrubPeopleFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["scrub"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's "django.server"/"django.request" lines are replaced by our scrubbed handler.
        "django": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO"), "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Telegram bridge: off unless both are set (see README). The API base is for a local
# Bot API server (or the tests' stand-in); empty means Telegram's own.
TELEGRAM_BOT_TOKEN = env_secret("TELEGRAM_BOT_TOKEN") or ""
TELEGRAM_CHANNEL_ID = os.environ.get("TELEGRAM_CHANNEL_ID", "")
TELEGRAM_API_BASE = os.environ.get("TELEGRAM_API_BASE", "")
TELEGRAM_BOT_USERNAME = os.environ.get("TELEGRAM_BOT_USERNAME", "")
TELEGRAM_REQUEST_TIMEOUT = env_int("TELEGRAM_REQUEST_TIMEOUT", 10)
# The public address of this installation, for links in Telegram posts (e.g. https://homeward.example).
HOMEWARD_PUBLIC_URL = os.environ.get("HOMEWARD_PUBLIC_URL", "")

# Public pages for visitors without a session are cached this many seconds per process.
ANONYMOUS_CACHE_SECONDS = env_int("ANONYMOUS_CACHE_SECONDS", 30)

OTP_TOTP_ISSUER = os.environ.get("HOMEWARD_NAME", "Homeward")
HOMEWARD_NAME = os.environ.get("HOMEWARD_NAME", "Homeward")
