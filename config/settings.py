"""Settings, read from the environment (django-environ).

Two profiles:
- development (DEBUG=True): zero setup; SQLite unless DATABASE_URL is set.
- production (DEBUG=False, the default): SECRET_KEY and ALLOWED_HOSTS are
  required and `manage.py check --deploy` is clean.

A missing or malformed variable stops the app with ImproperlyConfigured
naming the variable, rather than starting with a silent fallback.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """Parse a boolean strictly: 'DEBUG=maybe' is an error, not False."""
    raw = env.str(name, default="").strip().lower()
    if raw == "":
        return default
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of {sorted(TRUE_WORDS | FALSE_WORDS)}."
    )


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default="").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


def env_required(name: str) -> str:
    value = env.str(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"The environment variable {name} is required when DEBUG is off.")
    return value


def trusted_proxies_from_env() -> list[str]:
    """TRUSTED_PROXIES: the reverse proxies in front of the app, outermost first, each an address or a network.

    Unset: no proxy is trusted and X-Forwarded-For is ignored (audit.log.client_address).
    """
    raw = env.str("TRUSTED_PROXIES", default="").strip()
    if not raw:
        return []
    proxies = [entry.strip() for entry in raw.split(",")]
    for entry in proxies:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES has {entry!r}, which is not an IP address or network "
                "(expected e.g. 10.0.0.5 or 10.0.0.0/24, comma-separated)."
            ) from None
    return proxies


def email_from_env(debug: bool) -> dict:
    """EMAIL_URL (e.g. smtp+tls://user:password@mail.example.no:587) or EMAIL_HOST & co.

    Development without either prints e-mails to the console.
    """
    url = env.str("EMAIL_URL", default="").strip()
    if url:
        try:
            return environ.Env.email_url_config(url)
        except ImproperlyConfigured:
            raise ImproperlyConfigured(
                "EMAIL_URL is malformed: expected e.g. smtp+tls://user:password@mail.example.no:587."
            ) from None
    if debug and not env.str("EMAIL_HOST", default="").strip():
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": env.str("EMAIL_HOST", default="localhost"),
        "EMAIL_PORT": env_int("EMAIL_PORT", 25),
        "EMAIL_HOST_USER": env.str("EMAIL_HOST_USER", default=""),
        "EMAIL_HOST_PASSWORD": env.str("EMAIL_HOST_PASSWORD", default=""),
        "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", default=False),
        "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", default=False),
    }


def database_from_env() -> dict:
    url = env.str("DATABASE_URL", default="").strip()
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    config = environ.Env.db_url_config(url)
    if config.get("ENGINE") not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ImproperlyConfigured(
            "DATABASE_URL is malformed: expected postgres://user:password@host:port/name "
            "(or sqlite:///path)."
        )
    config["CONN_HEALTH_CHECKS"] = True
    config["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    if config["ENGINE"] == "django.db.backends.postgresql":
        # The app's queries are short; at county scale a few cross PostgreSQL's JIT cost
        # threshold and then spend ~80 ms compiling to save a millisecond (bench/explain.py).
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        options.update(prepared_statements_from_env())
    return config


def prepared_statements_from_env() -> dict:
    """psycopg's server-side binding, so a query asked often on a connection is prepared once and
    PostgreSQL skips parsing and planning it again (35–50 % of its CPU per page, bench/README.md).

    On by default, for direct connections. Off (DB_PREPARED_STATEMENTS=False) behind PgBouncer in
    transaction mode unless it keeps prepared statements itself (max_prepared_statements, 1.21+):
    a prepared statement lives in one server session, and such a pooler hands each transaction
    to any session. DB_PREPARE_THRESHOLD: executions of a query before it is prepared.
    """
    if not env_bool("DB_PREPARED_STATEMENTS", default=True):
        return {}
    return {"server_side_binding": True, "prepare_threshold": env_int("DB_PREPARE_THRESHOLD", 5)}


DEBUG = env_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-secret-key-never-use-in-production-0123456789")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
else:
    SECRET_KEY = env_required("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY is too weak: use at least 50 random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    ALLOWED_HOSTS = [host.strip() for host in env_required("ALLOWED_HOSTS").split(",") if host.strip()]

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "config.apps.GuardianConfig",
    "config.apps.AxesConfig",
    "csp",
    # The second factor (accounts/second_factor.py): TOTP apps and recovery codes.
    "config.apps.OtpConfig",
    "config.apps.OtpTotpConfig",
    "config.apps.OtpStaticConfig",
    # Background tasks (the roster import), queued in the database and run by `manage.py db_worker`.
    "config.apps.TasksConfig",
    "config.apps.TasksDbConfig",
    "audit",
    "accounts",
    "roster",
    "documents",
    "applications",
    "iop",
    "followup",
    "cases",
    "records",
    # The versions of IOP and application texts (history/), kept by django-simple-history.
    "simple_history",
    "history",
    "notices",
    # The goal bank: competence goals from Udir's Grep (curriculum/, NLOD).
    "curriculum",
    "demo",
]

MIDDLEWARE = [
    # First: a request id (or the proxy's X-Request-ID) and the user id on every log line; one line per request.
    "config.logging.RequestContextMiddleware",
    # Before anything reads the body: refuses an oversized one (413) unread.
    "config.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp); Permissions-Policy and no caching of a logged-in user's pages.
    "csp.middleware.CSPMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Records 403/404 raised by the access helpers in the access log.
    "audit.middleware.DeniedAccessMiddleware",
    # Logs out a login idle longer than SESSION_IDLE_MINUTES (accounts/idle.py), before anything
    # else looks at the login (an idle login that still owes its code is simply logged out).
    "accounts.idle.IdleTimeoutMiddleware",
    # request.user.is_verified() (django-otp), then the second factor a password login owes.
    "django_otp.middleware.OTPMiddleware",
    "accounts.second_factor.SecondFactorMiddleware",
    # An anonymous POST (the login expired) goes to the login page, then back to the form.
    "accounts.middleware.ExpiredLoginPostMiddleware",
    # Who saved: a history row (history/) names the logged-in user of the request that saved it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.header",
            ],
        },
    },
]

# Project templates may override form widgets (they add Designsystemet's classes).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": database_from_env()}
# A second connection to the same PostgreSQL database: a roster import writes its progress through
# it, so the import's page sees the progress while the import's own transaction is still open.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("ROSTER_PROGRESS_CONNECTION", True):
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes must come first so a locked-out login never reaches the others.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Sensitive data: sessions end with the browser and after a working day at most.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * 60 * 10
# ...and after this many minutes without a request (accounts/idle.py): staff (anyone with a staff
# membership), and students and guardians, who see only their own or their child's records.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_IDLE_MINUTES_OTHERS = env_int("SESSION_IDLE_MINUTES_OTHERS", 60)
SESSION_IDLE_WARNING_SECONDS = 120  # the page warns this long before (static/js/idle.js)

# Login throttling (django-axes, accounts/throttle.py). Three counts of failed logins, each
# within the cool-off (it runs from the last failure): one account from one address
# (AXES_FAILURE_LIMIT), one account from any address (LOGIN_ACCOUNT_FAILURE_LIMIT: guessing
# from many addresses), one address against any account (LOGIN_ADDRESS_FAILURE_LIMIT: password
# spraying; high, because a school's staff share one NAT address). Every lock ends after the
# cool-off: attempts refused during a lock do not extend it, so a stranger who locks a teacher's
# account on purpose cannot keep it locked for longer than that.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 10)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "accounts.throttle.LoginThrottleHandler"
AXES_USERNAME_CALLABLE = "accounts.throttle.throttled_username"  # a username typed only if it names an account
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# The client's address as the access log sees it (X-Forwarded-For only from TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "audit.log.client_address"
TRUSTED_PROXIES = trusted_proxies_from_env()
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# The second factor (django-otp): the name authenticator apps show. Wrong codes also count as
# failed logins under django-axes (above); django-otp's per-device wait after wrong codes stays on.
OTP_TOTP_ISSUER = "IOP"

# django-guardian: explicit object grants only; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("nn", "Norsk nynorsk"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploaded PDFs (documents app): limits for untrusted files.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20) * 1024 * 1024
UPLOAD_MAX_PAGES = env_int("UPLOAD_MAX_PAGES", 500)
# Roster imports (roster app): the uploaded zip, and what its files may unpack to (a zip bomb stops there).
ROSTER_UPLOAD_MAX_BYTES = env_int("ROSTER_UPLOAD_MAX_MB", 20) * 1024 * 1024
ROSTER_UNPACKED_MAX_BYTES = env_int("ROSTER_UNPACKED_MAX_MB", 150) * 1024 * 1024
# Any request body: the largest upload plus room for the form around it. A longer
# Content-Length is refused before the body is read (config.middleware.RequestBodyLimitMiddleware).
REQUEST_BODY_MAX_BYTES = max(UPLOAD_MAX_BYTES, ROSTER_UPLOAD_MAX_BYTES) + 1024 * 1024
# Form fields other than files (Django's default, stated): the longest texts are a few pages.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# An accepted upload stays in memory: a PDF about a child is never spooled to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES

# Background work runs in `manage.py db_worker` (no broker). TASKS_IMMEDIATE=True runs each task
# inside the call that queues it (the tests; a demo without a worker).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend",
    }
}


def file_storage_from_env() -> dict:
    """Uploaded and generated files: the folder MEDIA_ROOT, or an S3-compatible object store.

    The store is for several web nodes (README, "More than one web node"). Its bucket stays
    private: every download streams through a view that checks access (documents/downloads.py),
    so no object URL is ever handed out.
    """
    bucket = env.str("STORAGE_S3_BUCKET", default="").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = env.str("STORAGE_S3_ENDPOINT_URL", default="").strip() or None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": env.str("STORAGE_S3_REGION", default="").strip() or None,
            # Unset: boto3's own chain (AWS_* variables, an instance role).
            "access_key": env.str("STORAGE_S3_ACCESS_KEY_ID", default="").strip() or None,
            "secret_key": env.str("STORAGE_S3_SECRET_ACCESS_KEY", default="").strip() or None,
            "location": env.str("STORAGE_S3_PREFIX", default="").strip().strip("/"),
            # Stores other than AWS (MinIO, Ceph, Garage) answer on paths, not on bucket host names.
            "addressing_style": env.str("STORAGE_S3_ADDRESSING_STYLE", default="path" if endpoint else "auto"),
            # As on disk: a new file never replaces one of the same name (a suffix is added).
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }


STORAGES = {
    "default": file_storage_from_env(),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# The cache: per process by default. Several web nodes share one (CACHE_URL=dbcache://iop_cache,
# after `manage.py createcachetable`), so what one node forgets, all forget (the page header's
# roles after a grant is revoked, the guidance word lists after an edit).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4): only our own scripts, styles and fonts; no inline
# script or style anywhere (templates/ has none). Designsystemet's CSS draws its icons as
# data: SVG images, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login with Feide and ID-porten (OpenID Connect, accounts/oidc/). A provider is on when its
# issuer, client id and client secret are all set, off when none is; half set is an error.
# Nothing secret is in the repository: the client secrets and PID_HASH_KEY come from the environment.
def oidc_provider_from_env(prefix: str, *, scope: str, acr_values: str) -> dict | None:
    names = [f"{prefix}_ISSUER", f"{prefix}_CLIENT_ID", f"{prefix}_CLIENT_SECRET"]
    values = [env.str(name, default="").strip() for name in names]
    if not any(values):
        return None
    missing = [name for name, value in zip(names, values) if not value]
    if missing:
        raise ImproperlyConfigured(f"{prefix} login is half configured: set {', '.join(missing)} too (or none of them).")
    issuer, client_id, client_secret = values
    return {
        "issuer": issuer.rstrip("/"),
        "client_id": client_id,
        "client_secret": client_secret,
        "scope": env.str(f"{prefix}_SCOPES", default=scope).strip(),
        "acr_values": env.str(f"{prefix}_ACR_VALUES", default=acr_values).strip(),
    }


OIDC_PROVIDERS = {
    name: config
    for name, config in {
        "feide": oidc_provider_from_env(
            "FEIDE", scope="openid userid-feide", acr_values="urn:mace:feide.no:auth:level:fad08:3"
        ),
        "idporten": oidc_provider_from_env(
            "IDPORTEN", scope="openid profile", acr_values="idporten-loa-substantial"
        ),
    }.items()
    if config
}
OIDC_HTTP_TIMEOUT = env_int("OIDC_HTTP_TIMEOUT", 10)
# National identity numbers are stored only as HMAC-SHA256 with this key (accounts/oidc/pid.py).
PID_HASH_KEY = env.str("PID_HASH_KEY", default="").strip() or (SECRET_KEY if DEBUG else "")
if "idporten" in OIDC_PROVIDERS and len(PID_HASH_KEY) < 32:
    raise ImproperlyConfigured("PID_HASH_KEY (at least 32 random characters) is required when ID-porten is on.")
# Logging out of a provider is a redirect after the Log out form; CSP form-action must allow its origin.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += sorted(
    {"/".join(config["issuer"].split("/")[:3]) for config in OIDC_PROVIDERS.values()}
    | {origin.strip() for origin in env.list("OIDC_LOGOUT_ORIGINS", default=[]) if origin.strip()}
)

# Password reset e-mails (accounts/views/password.py).
globals().update(email_from_env(DEBUG))  # EMAIL_BACKEND, EMAIL_HOST, ...
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="webmaster@localhost")
EMAIL_TIMEOUT = 10
# Reset requests per client address and hour (counted in the access log).
PASSWORD_RESET_PER_HOUR = env_int("PASSWORD_RESET_PER_HOUR", 10)


def site_url_from_env(debug: bool, allowed_hosts: list[str]) -> str:
    """SITE_URL: where users reach the app, for the links in notice e-mails (no request to build them from).

    Unset: http://127.0.0.1:8000 under DEBUG, else https:// and the first of ALLOWED_HOSTS.
    """
    url = env.str("SITE_URL", default="").strip().rstrip("/")
    if not url:
        host = next((h for h in allowed_hosts if h and not h.startswith((".", "*"))), "")
        if debug or not host:
            return "http://127.0.0.1:8000"
        return f"https://{host}"
    scheme, _, rest = url.partition("://")
    if scheme not in {"http", "https"} or not rest or "/" in rest:
        raise ImproperlyConfigured(f"SITE_URL={url!r} is malformed: expected e.g. https://iop.example.no.")
    return url


# Notice e-mails (notices app) link here.
SITE_URL = site_url_from_env(DEBUG, ALLOWED_HOSTS)

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes the health checks over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^helse/"]
    if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host-: the browser accepts the cookie only over HTTPS, for this host and path /,
    # so a sibling subdomain cannot plant or overwrite it. (Renaming logs everyone out once.)
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # check --deploy asks for SSL redirect; a deployment that terminates TLS in
    # a proxy without forwarding the scheme sets SECURE_SSL_REDIRECT=False
    # and silences exactly that check, nothing else.
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS = ["security.W008"]

# JSON lines in production, readable lines under DEBUG; request id and user id on each
# (config/logging.py). Never a name: django-axes's lines name the address, not the username.
from config.logging import logging_config  # noqa: E402 (kept beside its one use)

LOGGING_CONFIG = "config.logging.configure"
LOGGING = logging_config(debug=DEBUG, level=env.str("LOG_LEVEL", default="INFO"))
AXES_CLIENT_STR_CALLABLE = "config.logging.axes_client_str"
