"""Settings of the portal, read from the environment.

With no environment set, the portal runs embedded: SQLite, Celery tasks executed eagerly
in-process, e-mail printed to the console, DEBUG on. Production sets DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and REDIS_URL (Celery broker and cache); see
README.md and .env.example.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production). "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-embedded-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_NAME = env_str("SITE_NAME", "Open Government Forum")
# The name under the portal's icon on a phone's home screen
# (default: SITE_NAME if short, else its initials).
SITE_SHORT_NAME = env_str("SITE_SHORT_NAME", "")
# The portal's public address, for links in e-mails. In development (DEBUG) with SITE_URL
# unset, links use the address actually serving instead (core/site.py).
SITE_URL = env_str("SITE_URL")
SITE_URL_FROM_REQUESTS = DEBUG and not SITE_URL
SITE_URL = SITE_URL or "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    # Two-factor log-in: an authenticator app (TOTP) and recovery codes, for every account.
    "allauth.mfa",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    # The portal's packages, from the ground floor up (README, "Architecture").
    "core",
    "core.notifications",
    "core.audit",
    "core.translation",
    "core.search",
    "members",
    "cocreation",
    "events",
    "actionplans",
    "health",
    "forum",
]

MIDDLEWARE = [
    # First: answers /healthz before host validation and the HTTPS redirect, so that
    # container health checks on 127.0.0.1 over plain HTTP work in production.
    "core.healthcheck.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses the pages (HTML, JSON, CSV) for browsers that accept gzip. Above every
    # middleware that reads or changes the body; below WhiteNoise, which answers static
    # files itself with its own pre-compressed copies. BREACH: Django masks the CSRF token
    # anew in every response (its default, kept), and GZipMiddleware pads its output with
    # random bytes, so a compressed page does not leak the token.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # In development, the address serving, for links in e-mails (core/site.py).
    "core.site.ServingAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a member's preferred language (core/i18n.py gives the order).
    "core.i18n.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the messages and allauth: the secretariat and the site administrator set up
    # two-factor log-in before their pages open (FORUM_REQUIRE_MFA_FOR_STAFF).
    "members.middleware.TwoFactorRequiredMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"
ASGI_APPLICATION = "forum.asgi.application"

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
                "forum.context_processors.portal",
                "core.kept_pages.csrf_context",
            ],
        },
    },
]

# Forms drawn in Python with the HTML of Django's own form templates (core/form_rendering.py):
# a quarter of a list page's time went to its filter form's templates.
FORM_RENDERER = "core.form_rendering.FastFormRenderer"

# Pages kept in the cache for their visitor until anything is written (core/kept_pages.py);
# off: every page computed for every request.
KEPT_PAGES = env_bool("KEPT_PAGES", True)

# --- Database: SQLite by default, PostgreSQL (psycopg 3) from DATABASE_URL -------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # A file, not memory, so that the browser tests' live server threads each open
            # their own connection (pytest-xdist adds a suffix per worker).
            "TEST": {"NAME": str(BASE_DIR / "test-db.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: Celery broker and shared cache; absent means eager tasks and local cache ---
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, failing open: with Redis down a read is a miss and a write
            # is dropped (logged), so pages, log-in and the API keep working (core/cache.py).
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "forum",
            # Short, so that an unreachable host costs a request little (one timeout: the
            # backend then leaves Redis alone for a few seconds).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database alone (Django's default, said here), not cached in Redis: with
# Redis down a cached session could not be read, and a log-out or a new session key made
# during an outage could not reach the cache, so the old session would come back with Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Machine translation of what members write (core/translation/): "none" (nothing is
# translated or called), "libretranslate" (its HTTP API at LIBRETRANSLATE_URL) or "deepl"
# (DEEPL_API_KEY; a free key ends in ":fx"). The worker translates; pages never wait.
MACHINE_TRANSLATION_BACKEND = env_str("MACHINE_TRANSLATION_BACKEND", "none")
LIBRETRANSLATE_URL = env_str("LIBRETRANSLATE_URL")
LIBRETRANSLATE_API_KEY = env_str("LIBRETRANSLATE_API_KEY")
DEEPL_API_KEY = env_str("DEEPL_API_KEY")
# seconds a backend may take for one text before its original is kept
MACHINE_TRANSLATION_TIMEOUT = env_int("MACHINE_TRANSLATION_TIMEOUT", 10)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Long tasks (a plan's PDF) that no broker takes (eager tasks, or the broker down) run in a
# thread of the web process, so that the page returns at once and shows their progress
# (core.queue.background_run); the tests that need them built at once turn this off.
BACKGROUND_THREADS = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request must not hang when the broker is down: fail fast, the caller decides. One
# attempt to connect when sending (kombu would retry for about 6 seconds per task); the
# sweep sends later what could not be queued (core/queue.py).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = env_str("TIME_ZONE", "UTC")
# Every periodic job of the portal is declared here, in one place.
CELERY_BEAT_SCHEDULE = {
    # Sends what is pending: new notifications whose task was lost (broker down), mail
    # retried after a failure, and rows abandoned by a worker that died.
    "notifications-deliver-due": {"task": "notifications.deliver_due", "schedule": 60.0},
    "workshops-send-reminders": {"task": "cocreation.send_workshop_reminders", "schedule": 300.0},
    "workshops-release-quotas": {"task": "cocreation.release_quotas", "schedule": 300.0},
    # Once an hour is plenty for day-granular notices; each goes once (deduplicated).
    "milestones-notify-due": {"task": "actionplans.notify_due_milestones", "schedule": 3600.0},
    "consultations-notify-closing": {
        "task": "actionplans.notify_closing_consultations",
        "schedule": 3600.0,
    },
    "events-send-reminders": {"task": "events.send_event_reminders", "schedule": 300.0},
    # What is kept only for a time: guests' unconfirmed requests, their data after the event.
    "personal-data-expire": {"task": "core.expire_personal_data", "schedule": 3600.0},
    # Members' digests of what they chose to read daily or weekly: 07:00 in TIME_ZONE (the
    # portal's; members have no time zone of their own), the weekly one on Mondays. Each
    # goes once per member and period, however often the job runs.
    "notifications-daily-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7),
        "args": ["daily"],
    },
    "notifications-weekly-digest": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
        "args": ["weekly"],
    },
    # Forum health is computed again when its records change (health/stored.py); hourly
    # too, for what the clock alone changes (a deadline passed) and for bulk updates.
    "forum-health-recompute": {"task": "health.recompute_all", "schedule": 3600.0},
    # Whether anonymous visitors may open each search entry's row, asked again for what a
    # bulk update changed without a signal (core/search/services.py).
    "search-public-refresh": {"task": "search.public_refresh", "schedule": 3600.0},
    # The open-data files (forum/open_data_files.py), also written when their records change.
    "open-data-write": {"task": "open_data.write", "schedule": 3600.0},
    # The secretariat's weekly digest of forum health: Mondays, 07:00 in TIME_ZONE.
    "forum-health-weekly-digest": {
        "task": "standards.send_health_digest",
        "schedule": crontab(minute=0, hour=7, day_of_week=1),
    },
}

# --- Accounts ----------------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
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
LOGIN_REDIRECT_URL = "members:my_forum"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
# allauth's e-mails in the person's language, with the site's name and the portal's address.
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's rate limits stay at their defaults (on); the admin's log-in is allauth's too
# (forum/urls.py).

# How many reverse proxies in front of the portal append the client's address to
# X-Forwarded-For: the rate limits (the API's and allauth's) count visitors by the address
# that many hops from the end. 0: the header is ignored and the connection's address counts.
NUM_PROXIES = env_int("NUM_PROXIES", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = NUM_PROXIES

# Two-factor log-in (allauth.mfa): an authenticator app and recovery codes, offered to every
# account on its profile. WebAuthn (security keys, passkeys) stays off: its pages run
# allauth's scripts, which this CSP has not been checked against.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Required for a forum's secretariat and the site administrator: without an authenticator
# they are sent to set one up before /manage/, /admin/ or another secretariat page opens
# (members/middleware.py). On in production (DEBUG=0); off by default in the embedded setup
# (DEBUG=1), so that `make run`'s demo logins and the tests open the back office with a
# password alone. FORUM_REQUIRE_MFA_FOR_STAFF=1/0 decides.
FORUM_REQUIRE_MFA_FOR_STAFF = env_bool("FORUM_REQUIRE_MFA_FOR_STAFF", not DEBUG)

# --- E-mail: console by default, SMTP when EMAIL_HOST is set -----------------------------
# Django 6.1 replaces EMAIL_BACKEND and the SMTP EMAIL_* settings with MAILERS.
if env_str("EMAIL_HOST"):
    _mail_backend = "django.core.mail.backends.smtp.EmailBackend"
    _smtp = {
        "host": env_str("EMAIL_HOST"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_str("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
else:
    _mail_backend = "django.core.mail.backends.console.EmailBackend"
    _smtp = {}
if django.VERSION >= (6, 1):
    MAILERS = {"default": {"BACKEND": _mail_backend, "OPTIONS": _smtp}}
else:
    EMAIL_BACKEND = _mail_backend
    if _smtp:
        EMAIL_HOST = _smtp["host"]
        EMAIL_PORT = _smtp["port"]
        EMAIL_HOST_USER = _smtp["username"]
        EMAIL_HOST_PASSWORD = _smtp["password"]
        EMAIL_USE_TLS = _smtp["use_tls"]
        EMAIL_USE_SSL = _smtp["use_ssl"]
        EMAIL_TIMEOUT = _smtp["timeout"]
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "forum@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# --- Languages and time ------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("el", _("Greek")),
    ("uk", _("Ukrainian")),
    ("sr", _("Serbian")),
    ("pt", _("Portuguese")),
    ("pl", _("Polish")),
]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}; got {LANGUAGE_CODE!r}"
    )
# The portal's catalogues (compiled .mo files are committed: see README, "Translations").
# locale/vendor/ holds European Portuguese catalogues of allauth and django-countries, which
# ship them as pt_PT while the portal's language is "pt".
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale" / "vendor" / "allauth",
    BASE_DIR / "locale" / "vendor" / "django_countries",
]
USE_I18N = True
# The language switcher's choice is kept for a year (Django's default: until the browser
# closes); the core/i18n.py docstring gives the order in which a page's language is chosen.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True
# The portal's corrections to Django's date formats (Greek times in the 24-hour clock,
# Portuguese month names in lower case): forum/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["forum.formats"]

# --- Static and uploaded files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# The largest file the plan's public repository accepts.
REPOSITORY_MAX_UPLOAD_MB = env_int("REPOSITORY_MAX_UPLOAD_MB", 20)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security: Django's defaults kept on; HTTPS everywhere when DEBUG is off -------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
if env_bool("BEHIND_TLS_PROXY", False):
    # The reverse proxy terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Open data ----------------------------------------------------------------------------
# Each forum's members by self-described gender, in aggregate with the small-group rule
# (members.voices), among the open-data downloads; 0 leaves it out (the balance pages still
# show it).
OPEN_DATA_GENDER = env_bool("OPEN_DATA_GENDER", True)
# Where the open-data files are written (forum/open_data_files.py) and served from.
OPEN_DATA_ROOT = Path(env_str("OPEN_DATA_ROOT", str(MEDIA_ROOT / "open-data")))

# --- Invitations: the secretariat invites a person instead of a sign-up ---------------------
# An invitation's link works this many days after its (latest) e-mail (members.invitations).
MEMBERS_INVITATION_DAYS = env_int("MEMBERS_INVITATION_DAYS", 14)
# The largest spreadsheet a forum's secretariat may import (members/imports.py), in bytes.
MEMBERS_IMPORT_MAX_BYTES = env_int("MEMBERS_IMPORT_MAX_BYTES", 25 * 1024 * 1024)

# --- Guests at events: people without an account ------------------------------------------
# A guest's request waits this many hours for them to confirm their e-mail address; their
# name and address are erased this many days after the event ends (core.personal_data).
EVENTS_GUEST_REQUEST_HOURS = env_int("EVENTS_GUEST_REQUEST_HOURS", 48)
EVENTS_GUEST_DATA_DAYS = env_int("EVENTS_GUEST_DATA_DAYS", 7)
# Guest registrations one address may send in an hour (more is refused with 429).
EVENTS_GUEST_REQUESTS_PER_HOUR = env_int("EVENTS_GUEST_REQUESTS_PER_HOUR", 20)

# --- The events map: Leaflet (shipped in static/) draws tiles from this server ----------
# A URL template with {z}/{x}/{y} (and optionally {s}); empty: markers on a plain background.
# OpenStreetMap's own tile servers are for light use only: production should name its own.
EVENTS_MAP_TILE_URL = env_str(
    "EVENTS_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
EVENTS_MAP_ATTRIBUTION = env_str(
    "EVENTS_MAP_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


def _tile_origin(url_template: str) -> list[str]:
    """The tile server's origin for the CSP ("{s}" subdomains become a wildcard)."""

    parts = urlsplit(url_template)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"]


# Content Security Policy: everything from our own origin; no inline script or style.
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *_tile_origin(EVENTS_MAP_TILE_URL)],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    # The check-in page's QR decoder (static/vendor/qr-scanner) runs in a worker it makes
    # from a blob: URL of its own code.
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if django.VERSION >= (6, 0):
    SECURE_CSP = CSP_DIRECTIVES
    MIDDLEWARE.insert(2, "django.middleware.csp.ContentSecurityPolicyMiddleware")
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}
    MIDDLEWARE.insert(2, "csp.middleware.CSPMiddleware")

# --- REST framework: the public API under /api/v1/ (forum/api.py) -----------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # "Authorization: Token <key>"; a member gets a key at /api/token/ (or from an
        # administrator: manage.py drf_create_token <e-mail>). First, so that a request
        # without credentials is answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON only: DRF's browsable HTML pages need inline styles the CSP forbids; people
    # explore the API in the documentation at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        # ?search= on the lists of a searchable kind, by relevance unless ordered.
        "core.api_filters.SearchFilter",
        "core.api_base.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api_base.Pagination",
    # A service's refusal (core.errors.ForumError) becomes 400 or 403 with its message.
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 50),
    # drf-spectacular's, plus summaries and the error responses of every operation.
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.api_base.AnonThrottle", "core.api_base.UserThrottle"],
    # Visitors are counted by the address the request came from; X-Forwarded-For is read only
    # behind NUM_PROXIES trusted proxies (else anyone could send a new address each time).
    "NUM_PROXIES": NUM_PROXIES,
    # Requests per client (IP address for visitors, account for members), counted in the cache.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/minute"),
        "user": env_str("API_THROTTLE_USER", "600/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Open Government Forum API",
    "DESCRIPTION": (
        "Open data of the forum: organisations, sectors, co-creation processes, workshops, "
        "published contributions with their reasoned responses, action plans, commitments, "
        "milestones and events. Reading needs no account. Members register for workshops "
        "and post contributions with a token (the header Authorization: Token followed by "
        "the key from /api/token/) or their logged-in session. Lists are paginated "
        "(page, page_size up to 200) and ordered with ordering=field or -field. The lists "
        "of what the portal's search finds take search=words (the rows found, the most "
        "relevant first); /api/v1/search/ searches everything, grouped by kind."
    ),
    "VERSION": "1",
    "LICENSE": {"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0.html"},
    "SERVERS": [{"url": SITE_URL.rstrip("/")}],
    # drf-spectacular's own hook first, then the nulls made explicit for OpenAPI 3.0 clients.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api_schema.postprocess_nullable",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "StakeholderGroupEnum": "members.models.StakeholderGroup",
        "WorkshopKindEnum": "cocreation.models.Workshop.Kind",
        "ContributionKindEnum": "cocreation.models.Contribution.Kind",
        "PortalLanguageEnum": LANGUAGES,
        "EventLanguageEnum": "events.models.LANGUAGE_CHOICES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Eager tasks would log every success in the web process's console.
    "loggers": {"celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"}},
}
