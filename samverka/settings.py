"""Samverka's settings, all from the environment.

Embedded mode (nothing set) runs on SQLite under ``var/`` with a secret key
generated on first run. Production sets ``SAMVERKA_PRODUCTION=1``, and then
every unsafe or missing value raises ImproperlyConfigured.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SAMVERKA_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None


def local_secret_key() -> str:
    """A secret kept in var/ for the embedded mode, generated on first run."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


PRODUCTION = env_bool("SAMVERKA_PRODUCTION", False)
DEBUG = env_bool("SAMVERKA_DEBUG", not PRODUCTION)

SECRET_KEY = os.environ.get("SAMVERKA_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SAMVERKA_SECRET_KEY must be set in production.")
    SECRET_KEY = local_secret_key()
if PRODUCTION and (DEBUG or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "Production needs SAMVERKA_DEBUG off and a secret of 40+ characters."
    )

ALLOWED_HOSTS = [h for h in os.environ.get("SAMVERKA_ALLOWED_HOSTS", "").split(",") if h]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("SAMVERKA_ALLOWED_HOSTS must be set in production.")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    # Login: lockout after failures, TOTP second factor, single sign-on (see docs/adr/0006).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "accounts",
    "organisations",
    "audit",
    "logfollowup",
    "people",
    "schooling",
    "responsibility",
    "imports",
    "retention",
    "casework",
    "coordination",
    "letters",
    # The unit's worklists over the casework models (no models of its own).
    "worklists",
    "followup",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks request.user as verified once the session has passed a TOTP code.
    "django_otp.middleware.OTPMiddleware",
    # Sends users who see person data to the code page until they have given
    # a second factor (accounts.twofactor.needs_second_factor).
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A protected identity opened without a stated purpose goes to the purpose form.
    "people.middleware.PurposeRequiredMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samverka.urls"
WSGI_APPLICATION = "samverka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "samverka.context_processors.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    if PRODUCTION:
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production.")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "samverka.sqlite3",
            # The web server and the task worker share the file: wait for locks
            # instead of failing, and let readers proceed during writes (WAL).
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Progress of running imports is shared between the worker and the web
# process; a file cache needs no extra service and never blocks on the
# import's open database transaction.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SAMVERKA_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Login: passwords, lockout, second factor, single sign-on (docs/adr/0006) ---

# Argon2id for every new or changed password; the others only verify older
# hashes, which Django rehashes with Argon2 at the user's next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout (django-axes): this many failed passwords or codes for one username
# lock it for this many minutes; every further try while locked starts the
# time again. Per username, so that changing address does not help a guesser.
# Not per address as well (axes.W006): a municipality's staff share a few
# public addresses, and behind the proxy all requests come from one, so five
# mistakes anywhere would lock everybody out.
AXES_FAILURE_LIMIT = env_int("SAMVERKA_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SAMVERKA_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# A correct password alone must not wipe out wrong codes: accounts resets the
# count only when the whole login, second factor included, has succeeded.
AXES_RESET_ON_SUCCESS = False
# Logins are already in the audit log; no second table of addresses and browsers.
AXES_DISABLE_ACCESS_LOG = True
# Never keep a tried code in the attempt's recorded form data.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]

# Second factor (django-otp, TOTP): the name authenticator apps show.
OTP_TOTP_ISSUER = os.environ.get("SAMVERKA_TOTP_ISSUER", "Samverka")

# Single sign-on with the municipality's identity provider (OpenID Connect),
# on only when a client id is set. Users are never created here: an
# administrator provisions them, and the provider's claim picks the account.
OIDC_RP_CLIENT_ID = os.environ.get("SAMVERKA_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("SAMVERKA_OIDC_CLIENT_SECRET", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
# With an issuer, endpoints not given below are read from its discovery document.
SAMVERKA_OIDC_ISSUER = os.environ.get("SAMVERKA_OIDC_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("SAMVERKA_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("SAMVERKA_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("SAMVERKA_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("SAMVERKA_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("SAMVERKA_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("SAMVERKA_OIDC_SCOPES", "openid email profile")
# The claim that names the account: "email" (the user's e-mail address) or
# "preferred_username" (the username).
SAMVERKA_OIDC_USER_CLAIM = os.environ.get("SAMVERKA_OIDC_USER_CLAIM", "email")
# Whether a login at the provider counts as a second factor: always (the
# provider demands one of everybody), or when its acr or amr claim says so.
SAMVERKA_OIDC_MFA_TRUSTED = env_bool("SAMVERKA_OIDC_MFA_TRUSTED", False)
SAMVERKA_OIDC_MFA_ACR_VALUES = [
    v for v in os.environ.get("SAMVERKA_OIDC_MFA_ACR_VALUES", "").split(",") if v
]
SAMVERKA_OIDC_MFA_AMR_VALUES = [
    v for v in os.environ.get("SAMVERKA_OIDC_MFA_AMR_VALUES", "mfa").split(",") if v
]
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
if OIDC_ENABLED:
    if SAMVERKA_OIDC_USER_CLAIM not in ("email", "preferred_username"):
        raise ImproperlyConfigured(
            "SAMVERKA_OIDC_USER_CLAIM must be 'email' or 'preferred_username'."
        )
    explicit = [OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT]
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
        explicit.append(OIDC_OP_JWKS_ENDPOINT)
    if not SAMVERKA_OIDC_ISSUER and not all(explicit):
        raise ImproperlyConfigured(
            "Single sign-on needs SAMVERKA_OIDC_ISSUER, or the authorization, token, "
            "userinfo and JWKS endpoints."
        )
    if not OIDC_RP_CLIENT_SECRET:
        raise ImproperlyConfigured("SAMVERKA_OIDC_CLIENT_SECRET must be set with a client id.")
    AUTHENTICATION_BACKENDS.append("accounts.oidc.OIDCBackend")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_ROOT = VAR_DIR / "uploads"
# Uploaded import files stay on disk only until the worker has read them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SAMVERKA_MAX_IMPORT_BYTES = env_int("SAMVERKA_MAX_IMPORT_BYTES", 1024 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
# An idle session ends: every request pushes the end forward by the idle time,
# and the cookie itself lasts only until the browser closes.
SESSION_COOKIE_AGE = env_int("SAMVERKA_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# HTTPS only in production: redirect plain HTTP (off where the proxy already
# does it), and tell browsers for a year never to try HTTP, on subdomains too.
SECURE_SSL_REDIRECT = env_bool("SAMVERKA_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SAMVERKA_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy, trust its X-Forwarded-Proto; only then, since
# without a proxy that strips it any client could claim HTTPS.
if env_bool("SAMVERKA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAMVERKA_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies can hold personal data: never log them.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
        # fpdf2's font subsetting reports every glyph at INFO: noise in the server log.
        "fontTools": {"level": "WARNING"},
    },
}

SAMVERKA_DATA_DIR = BASE_DIR / "data"

# A Unicode TrueType font for PDFs (Debian: fonts-dejavu-core, which bin/test and
# bin/start install); its "-Bold" sibling must lie beside it. Without it PDFs
# use Helvetica and spell letters outside Latin-1 without their accents.
SAMVERKA_PDF_FONT = os.environ.get(
    "SAMVERKA_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
)

# Coordination: a referral not answered within this many days is overdue, on the
# sender's list and the receiver's.
SAMVERKA_REFERRAL_ANSWER_DAYS = env_int("SAMVERKA_REFERRAL_ANSWER_DAYS", 14)
# SIP follow-ups this many days ahead show as reminders in the participants' inbox.
SAMVERKA_SIP_REMINDER_DAYS = env_int("SAMVERKA_SIP_REMINDER_DAYS", 14)
