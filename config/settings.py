"""Vachan settings. Everything that differs between machines comes from the environment.

The variables are listed in README.md ("Configuration") and in .env.example.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# Local use is the default; production sets DJANGO_DEBUG=false and the variables in README.
DEBUG = env_bool("DJANGO_DEBUG", default=True)

# A development key is allowed only while DEBUG is on; production must set its own.
SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (
    "django-insecure-development-only-key" if DEBUG else ""
)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for local use).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks_db",
    "clients",
    "agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (hashed, compressed, cached for ever) before anything that needs a session.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused by django-axes into the "try again later" page.
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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Widgets may be overridden from templates/ (e.g. the currency code suggestions).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Database: SQLite (WAL, IMMEDIATE transactions, a busy timeout) unless DATABASE_URL says otherwise.
SQLITE_PATH = Path(env_str("VACHAN_SQLITE_PATH", str(BASE_DIR / "var" / "vachan.sqlite3")))
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 5,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
            },
            # Tests use a file beside it, as production does: an in-memory database behaves
            # differently under concurrent writers (shared-cache table locks, no busy timeout).
            "TEST": {"NAME": SQLITE_PATH.with_name(f"test_{SQLITE_PATH.name}")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes watches every login (freelancers and portal contacts) and comes first; a portal
# login is never a Django user (clients/portal/backend.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "clients.portal.backend.PortalBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "agreements:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: 5 failures for one email from one IP address lock that pair out for
# 15 minutes. Never permanently, and never by email alone: a stranger who types someone's email
# wrongly locks out only themselves, and the lock ends by itself.
AXES_FAILURE_LIMIT = env_int("VACHAN_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("VACHAN_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_CALLABLE = "clients.portal.evidence.login_name"
AXES_CLIENT_IP_CALLABLE = "clients.portal.evidence.client_ip"
AXES_LOCKOUT_CALLABLE = "clients.portal.evidence.locked_out"
AXES_VERBOSE = False

# The client's IP address, recorded with approvals and acceptances, is REMOTE_ADDR unless the
# site runs behind a proxy that sets this header (e.g. HTTP_X_FORWARDED_FOR). Only the address
# the trusted proxy appended is used (the last one): earlier ones are whatever the client sent.
VACHAN_TRUSTED_PROXY_HEADER = env_str("VACHAN_TRUSTED_PROXY_HEADER")

# Languages: the interface is written in English and marked for translation into
# Hindi, Marathi and Nepali. Money is formatted with Babel per language (agreements/money.py).
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("hi", _("Hindi")),
    ("mr", _("Marathi")),
    ("ne", _("Nepali")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language (day first; 12,34,567 grouping): config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Production (DEBUG off) serves what `manage.py collectstatic` wrote to STATIC_ROOT: names with a
# content hash (vachan.3f2a….css) and .gz/.br copies, which WhiteNoise sends with a far-future
# Cache-Control. Local use and the tests (DEBUG on in the environment) keep plain names, read
# from static/ by the finders: hashed names need a collectstatic run first (and 404 under
# live_server). Decided here, from the environment: the test runner turns DEBUG off at runtime.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work (django.tasks): in-process by default; "database" queues tasks as rows for
# `manage.py db_worker` (django-tasks-db), any number of workers on PostgreSQL.
VACHAN_TASKS = env_str("VACHAN_TASKS", "immediate")
if VACHAN_TASKS not in ("immediate", "database"):
    raise ImproperlyConfigured("VACHAN_TASKS must be “immediate” or “database”.")
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if VACHAN_TASKS == "immediate" else "django_tasks_db.DatabaseBackend",
    }
}

# Where links in emails and calendar feeds point (alerts are sent with no request to ask).
VACHAN_SITE_URL = env_str("VACHAN_SITE_URL", "http://127.0.0.1:8000")

# Email (Django 6.1 MAILERS). Console by default; SMTP when SMTP_HOST is set.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Vachan <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env_str("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SMTP_HOST"),
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_USE_TLS", default=True),
                "timeout": env_int("SMTP_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Security. Production (DEBUG off) gets HTTPS-only cookies, HSTS and a redirect to HTTPS.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The language menu's choice (a year), like the other cookies HTTPS-only in production.
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer polls the health check over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint reports every rendering step at INFO; its warnings (a refused URL) still show.
    "loggers": {
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes reports every login at INFO; lockouts come as warnings.
        "axes": {"level": "WARNING"},
    },
}
