"""Settings for the milk bank app, read from the environment (and a `.env` file if present).

Every variable is documented in `.env.example`. Settings fail closed: DEBUG is off unless asked for, and
with DEBUG off a missing secret key or host list stops start-up with a message naming the variable.
"""

import datetime
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    # Real environment variables win over the file.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _required(name: str, value):
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set when DJANGO_DEBUG is off. See .env.example for what it means."
        )
    return value


def _bounded_int(name: str, default: int, low: int, high: int) -> int:
    try:
        value = env.int(name, default=default)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {env.str(name)!r}.") from exc
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, not {value}.")
    return value


def _float(name: str, default: float) -> float:
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from exc


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


DEBUG = _bool("DJANGO_DEBUG", False)

if DEBUG:
    SECRET_KEY = (
        env.str("DJANGO_SECRET_KEY", default="") or "debug-only-insecure-key-never-used-in-production"
    )
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = _required("DJANGO_SECRET_KEY", env.str("DJANGO_SECRET_KEY", default=""))
    ALLOWED_HOSTS = _required("DJANGO_ALLOWED_HOSTS", env.list("DJANGO_ALLOWED_HOSTS", default=[]))

INSTALLED_APPS = [
    # Editors' content in each language (resources/translation.py); must come before the admin.
    "modeltranslation",
    "milkbank.apps.MilkbankAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "auditlog",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "milkbank",
    "donors",
    "memorials",
    "resources",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "milkbank.middleware.StaffPagesInEnglish",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "milkbank.middleware.StaffSessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "milkbank.middleware.AuditlogMiddleware",  # django-auditlog's, with the visitor's real address
    # Last, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "milkbank.urls"
WSGI_APPLICATION = "milkbank.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "milkbank.context_processors.bank",
            ],
        },
    },
]

# Databases: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at BEGIN, so two writers
    # queue (up to the timeout) instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # PostgreSQL's JIT compiler starts on queries it guesses are costly; on these short page queries the
        # compiling took longer than the query (25 ms against 5 ms on the depot work page at 1M drop-offs).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared cache: flood limits and cached pages live in the database (or Redis/Memcached via CACHE_URL), not in
# one process's memory. "local" is each process's own small copy of the public pages in front of it (see
# resources.content.cached_response): a content edit reaches every process within PUBLIC_PAGE_LOCAL_SECONDS.
_shared_cache = env.cache_url("CACHE_URL", default="dbcache://milkbank_cache")
# django-environ hands ?key_prefix=, ?timeout=... to Django's Redis backend in lower case, which Django
# ignores: put them where Django reads them (a bank sharing one Redis between apps needs its own prefix).
for _option in ("key_prefix", "timeout", "version"):
    if _option in _shared_cache:
        _shared_cache[_option.upper()] = _shared_cache.pop(_option)
CACHES = {
    "default": _shared_cache,
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "milkbank-public-pages",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}
PUBLIC_PAGE_LOCAL_SECONDS = env.int("PUBLIC_PAGE_LOCAL_SECONDS", default=5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out username+address pairs before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "milkbank.auth.StaffBackend",
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Donors and families read the public site in English, Spanish or French (English unprefixed, /es/ and /fr/);
# the staff site stays in English (milkbank.middleware.StaffPagesInEnglish).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]

# The screening reports' covering indexes (INCLUDE columns, donors/reports/models.py) are PostgreSQL's; SQLite
# builds them without the extra columns, which is all a development database needs. Don't warn every command.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail: printed to the console unless EMAIL_URL names a server (smtp+tls://user:pass@host:587).
_email = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(_email)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="milk bank <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. The proxy terminates TLS and says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not DEBUG and _bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "milkbank.errors.csrf_failure"

# Content Security Policy: only our own files; no inline script or style anywhere (the admin included).
from csp.constants import NONE, SELF  # noqa: E402

_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Bootstrap draws form controls with data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
if _bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP

PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}

# Staff sign-in: lock out a username+address pair after repeated failures, for a while.
AXES_FAILURE_LIMIT = _bounded_int("AXES_FAILURE_LIMIT", 5, 1, 100)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=_bounded_int("AXES_COOLOFF_MINUTES", 30, 1, 24 * 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "milkbank.errors.locked_out"  # the bank's page, the pause in words
# How many proxies of ours stand in front of the app; flood limits and lockouts key on the real visitor.
TRUSTED_PROXY_COUNT = _bounded_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1, 0, 5)
RATELIMIT_IP_META_KEY = "milkbank.net.client_ip"
# The same address for lockouts (axes would otherwise key on the proxy's address without django-ipware,
# so five wrong passwords from anyone would lock the account for everyone).
AXES_CLIENT_IP_CALLABLE = RATELIMIT_IP_META_KEY
AXES_VERBOSE = False  # its log lines name the username; ours say only that a lockout happened

# Staff sessions: end after 30 idle minutes and after 12 hours in all, whatever the activity.
SESSION_COOKIE_AGE = 60 * _bounded_int("SESSION_IDLE_MINUTES", 30, 1, 24 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # each request pushes the idle deadline back
SESSION_ABSOLUTE_SECONDS = 3600 * _bounded_int("SESSION_ABSOLUTE_HOURS", 12, 1, 24 * 7)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor sign-in for staff (TOTP app, with one-time recovery codes). On unless DEBUG, or set.
REQUIRE_STAFF_2FA = _bool("REQUIRE_STAFF_2FA", not DEBUG)
OTP_TOTP_ISSUER = env.str("MILKBANK_NAME", default="Community Milk Bank")
# No one, superusers included, can read another person's authenticator key (or its QR code) in the admin.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Logging: health data and names never go to logs; requests are logged by the proxy, not here.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every record written has private-link tokens hidden (paths, tracebacks): milkbank/logs.py.
    "filters": {"private_links": {"()": "milkbank.logs.RedactPrivateLinks"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["private_links"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Server errors are written (with their path, tokens hidden); "Not Found" lines for every 404 are not.
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

# Where the site lives, for links in emails (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")


def _schedule(name: str, default: str) -> str:
    from resources.hours import parse_schedule  # plain Python: safe to import before Django is set up

    value = env.str(name, default=default)
    try:
        parse_schedule(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}.") from exc
    return value


def _phone_lines(name: str, default: str) -> list[dict]:
    """'Name|number; Name|number' -> [{'name': ..., 'phone': ...}]."""
    lines = []
    for part in filter(None, (piece.strip() for piece in env.str(name, default=default).split(";"))):
        line_name, sep, phone = (text.strip() for text in part.rpartition("|"))
        if not (sep and line_name and phone):
            raise ImproperlyConfigured(f"{name}: write each line as 'Name|number', not {part!r}.")
        lines.append({"name": line_name, "phone": phone})
    return lines


# The bank's own settings.
MILKBANK = {
    "NAME": env.str("MILKBANK_NAME", default="Community Milk Bank"),
    "COORDINATOR_PHONE": env.str("MILKBANK_COORDINATOR_PHONE", default="555-0100"),
    "COORDINATOR_EMAIL": env.str("MILKBANK_COORDINATOR_EMAIL", default="coordinators@example.org"),
    "SUPPORT_HOURS": env.str("MILKBANK_SUPPORT_HOURS", default="Monday to Friday, 8 am to 4:30 pm"),
    # Working days within which a coordinator calls back a new inquiry (the thanks page says so).
    "CALLBACK_WORKING_DAYS": _bounded_int("MILKBANK_CALLBACK_WORKING_DAYS", 3, 1, 30),
    # The same hours, for telling visitors whether the line is open now (in TIME_ZONE).
    "SUPPORT_SCHEDULE": _schedule("MILKBANK_SUPPORT_SCHEDULE", "mon-fri 08:00-16:30"),
    # Lines that answer at every hour, shown whenever the coordinators' line is closed.
    "AFTER_HOURS_LINES": _phone_lines(
        "MILKBANK_AFTER_HOURS_LINES",
        "988 Suicide & Crisis Lifeline (United States)|988; "
        "National Maternal Mental Health Hotline (United States)|1-833-852-6262; "
        "9-8-8 Suicide Crisis Helpline (Canada)|988",
    ),
    "BLOODWORK_VALID_DAYS": _bounded_int("MILKBANK_BLOODWORK_VALID_DAYS", 180, 1, 3650),
    "MILK_AGE_LIMIT_DAYS": _bounded_int("MILKBANK_MILK_AGE_LIMIT_DAYS", 180, 1, 3650),
    "FREEZER_LIMIT_C": _float("MILKBANK_FREEZER_LIMIT_C", -20.0),
    "FREEZER_RECHECK_MINUTES": _bounded_int("MILKBANK_FREEZER_RECHECK_MINUTES", 60, 5, 24 * 60),
    "MAX_ML_PER_CONTAINER": _bounded_int("MILKBANK_MAX_ML_PER_CONTAINER", 500, 10, 10_000),
    "QUESTIONNAIRE_LINK_DAYS": _bounded_int("MILKBANK_QUESTIONNAIRE_LINK_DAYS", 30, 1, 365),
    "STATUS_LINK_DAYS": _bounded_int("MILKBANK_STATUS_LINK_DAYS", 365, 1, 3650),
    "WAIVE_INFANT_RELEASE_WHEN_BEREAVED": _bool("MILKBANK_WAIVE_INFANT_RELEASE_WHEN_BEREAVED", True),
    "EMBROIDERY_NAME_MAX": _bounded_int("MILKBANK_EMBROIDERY_NAME_MAX", 20, 1, 60),
    "REMINDER_AFTER_DAYS": _bounded_int("MILKBANK_REMINDER_AFTER_DAYS", 7, 1, 90),
    "RETENTION_YEARS": _bounded_int("MILKBANK_RETENTION_YEARS", 7, 1, 100),
    "SECURITY_EMAIL": env.str("MILKBANK_SECURITY_EMAIL", default="security@example.org"),
    # `check --deploy` refuses a console, file or in-memory mail backend unless this says it is meant.
    "ALLOW_LOCAL_EMAIL": _bool("MILKBANK_ALLOW_LOCAL_EMAIL", False),
}

# Files staff attach (the lab's bloodwork reports): kept outside the static and media paths, so the web server
# never serves them; the app hands them only to coordinators, and logs each opening.
MILKBANK_PRIVATE_FILES_DIR = Path(
    env.str("MILKBANK_PRIVATE_FILES_DIR", default=str(BASE_DIR / "private-files"))
)
MILKBANK_LAB_REPORT_MAX_MB = _bounded_int("MILKBANK_LAB_REPORT_MAX_MB", 10, 1, 100)
