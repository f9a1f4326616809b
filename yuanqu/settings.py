"""Settings for yuanqu, read from the environment.

Local and production:

- **Local** is everything that does not serve HTTP to others: every console command
  (``yuanqu migrate``, ``yuanqu check``, ``yuanqu import …``, ``yuanqu backup`` …), the demo
  and the tests. It needs no environment at all: the database is SQLite under ``var/``
  (``YUANQU_VAR_DIR``) and, without ``YUANQU_SECRET_KEY``, the secret key is the one in
  ``var/secret_key`` — generated there on first use (mode 0600, written atomically) and
  reused after; so is the personal-data field key (``YUANQU_FIELD_KEY``, else
  ``var/field_key``).
- **Production** is serving with ``YUANQU_DEBUG`` false (the default): gunicorn on
  ``yuanqu.wsgi`` or ``yuanqu serve``. It refuses to start, with one line in Chinese naming
  what is missing, unless the environment sets ``YUANQU_SECRET_KEY``, ``YUANQU_ALLOWED_HOSTS``,
  ``DATABASE_URL`` and ``YUANQU_FIELD_KEY`` (``SERVING_MISSING`` below; checked by ``yuanqu.cli.require_serving``).
  ``YUANQU_DEBUG=true`` serves with the local defaults (the demo, development).

A value that cannot be read (``YUANQU_DEBUG=maybe``, a port that is no integer) stops every
command with one line in Chinese naming the variable (``ImproperlyConfigured``, printed by
``yuanqu.cli``). See docs/deployment.md.
"""

import base64
import binascii
import ipaddress
import os
import secrets
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("YUANQU_VAR_DIR", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 应为 true 或 false，现为“{value}”")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，现为“{value}”") from None


def env_decimal(name: str, default: str) -> Decimal:
    value = os.environ.get(name) or default
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ImproperlyConfigured(f"环境变量 {name} 应为数值，现为“{value}”") from None
    if not number.is_finite() or number < 0:
        raise ImproperlyConfigured(f"环境变量 {name} 应为不小于 0 的数值，现为“{value}”")
    return number


def _reason(exc) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _local_key_file(path: Path, make) -> str:
    """The content of a key file of a local install, written on first use by ``make()``.

    The new key is written to a private temporary file (mode 0600) and linked into place,
    which fails if another process got there first — then its key is read. So the file is
    never seen half-written and two first runs agree on one key."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"无法读取密钥文件 {path}：{_reason(exc)}") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(make() + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"无法读取密钥文件 {path}：{_reason(exc)}") from None


def local_secret_key(var_dir: Path) -> str:
    """The secret key of a local install: ``var_dir/secret_key``, generated on first use."""
    path = var_dir / "secret_key"
    key = _local_key_file(path, lambda: secrets.token_urlsafe(50))
    if len(key) < 50:
        raise ImproperlyConfigured(
            f"密钥文件 {path} 内容不完整（少于 50 个字符），请删除后重新运行以生成新密钥"
        )
    return key


def field_key(text: str, where: str) -> bytes:
    """A personal-data field key: base64 of 32 random bytes (``openssl rand -base64 32``)."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (ValueError, binascii.Error):
        key = b""
    if len(key) != 32:
        raise ImproperlyConfigured(
            f"{where} 应为 base64 编码的 32 字节密钥（可用 openssl rand -base64 32 生成），现无法读取"
        )
    return key


def local_field_key(var_dir: Path) -> bytes:
    """The personal-data field key of a local install: ``var_dir/field_key`` (mode 0600),
    generated on first use like the secret key."""
    path = var_dir / "field_key"
    text = _local_key_file(path, lambda: base64.b64encode(secrets.token_bytes(32)).decode("ascii"))
    return field_key(text, f"密钥文件 {path}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("YUANQU_DEBUG", False)

# What production serving needs from its environment (empty when debugging); the console
# and the demo run without it. yuanqu.cli.require_serving refuses to serve while it is not.
SERVING_MISSING = (
    []
    if DEBUG
    else [
        name
        for name in ("YUANQU_SECRET_KEY", "YUANQU_ALLOWED_HOSTS", "DATABASE_URL", "YUANQU_FIELD_KEY")
        if not os.environ.get(name)
    ]
)

SECRET_KEY = os.environ.get("YUANQU_SECRET_KEY") or local_secret_key(VAR_DIR)

# The key that encrypts personal data at rest (yuanqu.utilities.crypto): production takes it
# from the environment (serving refuses without it); a local install generates var/field_key.
# YUANQU_FIELD_KEYS_OLD lists former keys (comma-separated) still read until `yuanqu rekey`.
YUANQU_FIELD_KEY = (
    field_key(os.environ["YUANQU_FIELD_KEY"], "环境变量 YUANQU_FIELD_KEY")
    if os.environ.get("YUANQU_FIELD_KEY")
    else local_field_key(VAR_DIR)
)
YUANQU_FIELD_KEYS_OLD = [
    field_key(item, "环境变量 YUANQU_FIELD_KEYS_OLD 中的一项") for item in env_list("YUANQU_FIELD_KEYS_OLD")
]

ALLOWED_HOSTS = env_list("YUANQU_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("YUANQU_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tables2",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "yuanqu.core",
    "yuanqu.users",
    "yuanqu.utilities",
    "yuanqu.figures",
    "yuanqu.targets",
    "yuanqu.enterprises",
    "yuanqu.economy",
    "yuanqu.evaluation",
    "yuanqu.demands",
    "yuanqu.supervision",
    "yuanqu.investment",
    "yuanqu.projects",
    "yuanqu.documents",
    "yuanqu.notifications",
    "yuanqu.jobs",
    "django_tasks",
    "django_tasks_db",
]

# Background jobs (large imports and exports): django-tasks' database backend, run by
# ``yuanqu worker``; the API Django 6 has built in.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "yuanqu.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yuanqu.users.sessions.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yuanqu.core.middleware.RequestContextMiddleware",
    "yuanqu.core.middleware.DeniedRequestAuditMiddleware",
    "yuanqu.users.middleware.LoginRequiredMiddleware",
    "yuanqu.users.middleware.PasswordChangeRequiredMiddleware",
    "yuanqu.core.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "yuanqu.urls"
WSGI_APPLICATION = "yuanqu.wsgi.application"

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
                "yuanqu.core.context_processors.navigation",
            ],
            "builtins": ["yuanqu.utilities.templatetags.yuanqu"],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'yuanqu.sqlite3'}",
            conn_max_age=env_int("YUANQU_DB_CONN_MAX_AGE", 60),
        )
    }
except ValueError as exc:  # an unknown scheme, a port that is no number …
    raise ImproperlyConfigured(f"环境变量 DATABASE_URL 无法识别：{exc}") from None
# Behind PgBouncer in transaction pooling a cursor cannot outlive its transaction: set
# YUANQU_DB_DISABLE_SERVER_SIDE_CURSORS=true there (QuerySet.iterator() then reads in chunks
# on the client). See docs/deployment.md.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("YUANQU_DB_DISABLE_SERVER_SIDE_CURSORS", False)
# PostgreSQL with two roles (docs/deployment.md): the application role, to which
# `yuanqu restore` grants again what it had (the audit tables: INSERT and SELECT only).
YUANQU_DB_APP_ROLE = os.environ.get("YUANQU_DB_APP_ROLE", "").strip()
# WAL: readers never wait for the writer, and a commit appends to the log instead of
# rewriting pages; synchronous=NORMAL syncs at checkpoints, not at every commit (safe
# against corruption in WAL mode; a power cut may lose the last commits, not the file).
# timeout: a writer waits up to 20 s for another writer (busy timeout). IMMEDIATE: a
# transaction takes the write lock when it begins, so it waits there; a deferred one that
# read first and then writes after another connection committed fails at once with
# “database is locked”, whatever the timeout (a delete reads what it deletes first).
YUANQU_SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Connections persist like PostgreSQL's (YUANQU_DB_CONN_MAX_AGE): opening one and running
    # the PRAGMAs on every request cost more than a constant view (load test: /healthz 430 →
    # 1,800 req/s, the cockpit 16 → 38 req/s).
    DATABASES["default"].setdefault("OPTIONS", {}).update(YUANQU_SQLITE_OPTIONS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "users.User"
YUANQU_DEPARTMENT_MODEL = "users.Department"
LOGIN_URL = "users:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "users:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "yuanqu.users.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "yuanqu.users.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yuanqu.users.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# Login lockout and idle timeout (minutes).
YUANQU_LOGIN_MAX_FAILURES = env_int("YUANQU_LOGIN_MAX_FAILURES", 5)
YUANQU_LOGIN_LOCK_MINUTES = env_int("YUANQU_LOGIN_LOCK_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("YUANQU_SESSION_IDLE_MINUTES", 30) * 60
# Accounts (等保三级): failed logins from one address (any usernames) within the window lock
# the address; a password is changed after so many days; a session ends after so many hours
# however busy; an API token expires after so many days (and on every password change).
YUANQU_LOGIN_ADDRESS_MAX_FAILURES = env_int("YUANQU_LOGIN_ADDRESS_MAX_FAILURES", 20)
YUANQU_LOGIN_ADDRESS_WINDOW_MINUTES = env_int("YUANQU_LOGIN_ADDRESS_WINDOW_MINUTES", 15)
YUANQU_PASSWORD_MAX_AGE_DAYS = env_int("YUANQU_PASSWORD_MAX_AGE_DAYS", 90)
YUANQU_SESSION_ABSOLUTE_HOURS = env_int("YUANQU_SESSION_ABSOLUTE_HOURS", 12)
YUANQU_API_TOKEN_DAYS = env_int("YUANQU_API_TOKEN_DAYS", 90)
# Roles that must add a one-time code (TOTP) to the password; others may. By default the three
# administrators and leaders in production, nobody in the demo (debug) — set it to require it there.
YUANQU_OTP_REQUIRED_ROLES = env_list(
    "YUANQU_OTP_REQUIRED_ROLES", "" if DEBUG else "sysadmin,secadmin,auditor,leader"
)
# The expiry moves with each request, but the session is saved at most once a minute
# (yuanqu.users.sessions.IdleSessionMiddleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
# Django's model backend, the session's user read by a statement prepared once per connection
# (yuanqu.users.backends). Sessions made under another backend path log in again.
AUTHENTICATION_BACKENDS = ["yuanqu.users.backends.UserBackend"]
# Database sessions, loaded by one plain statement (yuanqu.users.sessions.SessionStore).
SESSION_ENGINE = "yuanqu.users.sessions"
# Read-only pages an app opts in (cockpit, lists …) are answered again from a per-session
# cache while the change log, the day and the unread count are unchanged (yuanqu.core.pagecache).
YUANQU_PAGE_CACHE = env_bool("YUANQU_PAGE_CACHE", True)
# PostgreSQL: a transaction writing only an audit event of a read (personal data shown in
# clear) commits without waiting for the WAL flush (docs/configuration.md).
YUANQU_AUDIT_READS_ASYNC_COMMIT = env_bool("YUANQU_AUDIT_READS_ASYNC_COMMIT", True)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("YUANQU_STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("YUANQU_MEDIA_ROOT", VAR_DIR / "media"))
# Demand attachments: the largest accepted file (bytes).
YUANQU_ATTACHMENT_MAX_BYTES = env_int("YUANQU_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# The target sheet: how far an “approx” (左右) target may fall short before it counts, when
# the target sets no tolerance of its own — percentage points of growth, percent of a total.
# The key of the audit trail's hash chain (core.chain); derived from the secret key when unset.
# Set it in production and keep it apart from the database: whoever holds it can re-link a
# rewritten trail.
AUDIT_KEY = os.environ.get("YUANQU_AUDIT_KEY", "")

YUANQU_TARGET_TOLERANCE_PP = env_decimal("YUANQU_TARGET_TOLERANCE_PP", "0.5")
YUANQU_TARGET_TOLERANCE_PERCENT = env_decimal("YUANQU_TARGET_TOLERANCE_PERCENT", "5")

# Imports: refuse anything larger than this (bytes) and xlsx files that expand beyond it.
YUANQU_IMPORT_MAX_BYTES = env_int("YUANQU_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
YUANQU_IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("YUANQU_IMPORT_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)
YUANQU_IMPORT_MAX_ROWS = env_int("YUANQU_IMPORT_MAX_ROWS", 50000)
# Files with more data rows than this are imported by the worker (a job with a progress bar),
# and lists with more rows than YUANQU_BACKGROUND_EXPORT_ROWS exported by it, and reports of
# a zone with more enterprises than YUANQU_BACKGROUND_REPORT_ENTERPRISES written by it; a job's
# files are removed after YUANQU_JOB_KEEP_DAYS (the job shows 已过期), and a running job with no
# heartbeat for YUANQU_JOB_STALE_MINUTES (its worker was killed) ends as 未完成.
YUANQU_BACKGROUND_IMPORT_ROWS = env_int("YUANQU_BACKGROUND_IMPORT_ROWS", 5000)
YUANQU_BACKGROUND_EXPORT_ROWS = env_int("YUANQU_BACKGROUND_EXPORT_ROWS", 10000)
YUANQU_BACKGROUND_REPORT_ENTERPRISES = env_int("YUANQU_BACKGROUND_REPORT_ENTERPRISES", 200)
YUANQU_JOB_KEEP_DAYS = env_int("YUANQU_JOB_KEEP_DAYS", 7)
YUANQU_JOB_STALE_MINUTES = env_int("YUANQU_JOB_STALE_MINUTES", 10)
# The cockpit warns of enterprises whose YTD output fell by more than this share year on year.
YUANQU_WARNING_DROP = float(env_decimal("YUANQU_WARNING_DROP", "0.2"))
FILE_UPLOAD_MAX_MEMORY_SIZE = YUANQU_IMPORT_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = YUANQU_IMPORT_MAX_BYTES + 1024 * 1024

# The working-day clock (core.workdays): whether the day of receipt counts as the first
# working day, and the local hour from which a request counts as received the next working
# day (24: no cut-off).
YUANQU_WORKDAY_COUNT_RECEIPT_DAY = env_bool("YUANQU_WORKDAY_COUNT_RECEIPT_DAY", False)
YUANQU_WORKDAY_CUTOFF_HOUR = env_int("YUANQU_WORKDAY_CUTOFF_HOUR", 17)
# Overdue demands escalate (yuanqu escalate): 催办 on the first working day overdue, 督办单
# and 通报 once overdue this many working days; each step repeats every N working days.
YUANQU_DEMAND_SUPERVISE_AFTER_WORKDAYS = env_int("YUANQU_DEMAND_SUPERVISE_AFTER_WORKDAYS", 3)
YUANQU_DEMAND_CIRCULATE_AFTER_WORKDAYS = env_int("YUANQU_DEMAND_CIRCULATE_AFTER_WORKDAYS", 5)
YUANQU_DEMAND_ESCALATION_REPEAT_WORKDAYS = env_int("YUANQU_DEMAND_ESCALATION_REPEAT_WORKDAYS", 2)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "yuanqu.users.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["yuanqu.utilities.api.RestrictedPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "yuanqu 园区运行平台 API",
    "DESCRIPTION": "企业库等模块的 REST 接口。令牌认证：请求头 Authorization: Token <令牌>。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One enum name per choice set shared by several fields (e.g. status and from_status).
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "yuanqu.investment.choices.Stage",
        "DemandStatusEnum": "yuanqu.demands.choices.DemandStatus",
        "TaskStatusEnum": "yuanqu.supervision.choices.TaskStatus",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap4.html"

EMAIL_BACKEND = os.environ.get("YUANQU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("YUANQU_DEFAULT_FROM_EMAIL", "yuanqu@localhost")
# The address of the site, for links in notification mail (e.g. https://yuanqu.example.gov.cn).
YUANQU_SITE_URL = os.environ.get("YUANQU_SITE_URL", "")

# Security headers. Production defaults are strict; behind a TLS-terminating proxy set
# YUANQU_SECURE_PROXY_SSL_HEADER=true so Django knows the request was HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("YUANQU_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("YUANQU_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("YUANQU_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("YUANQU_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("YUANQU_SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy (django-csp): only our own files; an inline script or style runs
# only with the request's nonce ({{ request.csp_nonce }}, added to the header when a page
# uses it); no eval, no inline handlers or style attributes (ECharts styles through the
# CSSOM, which the policy allows); charts export as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The addresses (or networks, CIDR) of the reverse proxies in front of yuanqu, e.g.
# "127.0.0.1,10.0.0.0/8". X-Forwarded-For is read only on requests from these, taking the
# right-most address that is not one of them; from anyone else it is ignored (a client
# could write any address there). See yuanqu.core.context.client_ip.
YUANQU_TRUSTED_PROXIES = env_list("YUANQU_TRUSTED_PROXIES")
for _proxy in YUANQU_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"YUANQU_TRUSTED_PROXIES 中的“{_proxy}”不是IP地址或网段（应如 127.0.0.1 或 10.0.0.0/8，多个以逗号分隔）"
        ) from None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YUANQU_LOG_LEVEL", "WARNING")},
}
