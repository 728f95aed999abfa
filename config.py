"""Settings, read from the environment with safe defaults for the embedded run.

Every setting can be overridden by an environment variable of the same name. These
are core's settings; a plugin declares its own, with defaults, through the
``default_settings`` hook (merged by ``core/settings.py``).
``from_env()`` returns a plain dict so that tests can build many apps with
different settings in one process.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def proxy_count(value: str | None) -> int:
    """``PROXY_FIX``: how many reverse proxies in front of the app to trust (0: none).

    "true"/"ja" mean one; a number is that many. Only that many ``X-Forwarded-*`` hops are
    believed, so a client cannot pose as another address by sending the header itself.
    """
    value = (value or "").strip().lower()
    if value.isdigit():
        return int(value)
    return 1 if _bool(value, False) else 0


def instance_dir(environ=os.environ) -> Path:
    path = Path(environ.get("INSTANCE_DIR") or BASE_DIR / "instance")
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(environ=os.environ) -> str:
    """SECRET_KEY from the environment, else generated once and kept in the instance folder."""
    if environ.get("SECRET_KEY"):
        return environ["SECRET_KEY"]
    key_file = instance_dir(environ) / "secret_key"
    if not key_file.exists():
        # Write the whole key under a private name, then link it into place: of several
        # workers starting at once exactly one wins, and none reads a half-written file.
        tmp = key_file.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass  # another worker was first: use its key
        finally:
            tmp.unlink()
    return key_file.read_text().strip()


def database_url(environ=os.environ) -> str:
    url = environ.get("DATABASE_URL") or f"sqlite:///{instance_dir(environ) / 'softwarecatalogus.db'}"
    # Accept the URLs hosting platforms hand out and use the psycopg 3 driver.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def engine_options(url: str, environ=os.environ) -> dict:
    """Pool settings: a dropped connection (database restarted) is replaced before use, and on
    PostgreSQL a host that does not answer fails after DATABASE_CONNECT_TIMEOUT seconds (5)."""
    if not url.startswith("postgresql"):
        return {}
    return {"pool_pre_ping": True,
            "connect_args": {"connect_timeout": int(environ.get("DATABASE_CONNECT_TIMEOUT", "5"))}}


def jobs_redis_url(environ=os.environ) -> str:
    """``JOBS_REDIS_URL``, else the rate limits' Redis (``RATELIMIT_STORAGE_URI``) when that is one;
    empty: jobs run in-process (the embedded default)."""
    url = (environ.get("JOBS_REDIS_URL") or "").strip()
    if url:
        return url
    storage = (environ.get("RATELIMIT_STORAGE_URI") or "").strip()
    return storage if storage.startswith(("redis://", "rediss://", "unix://")) else ""


def from_env(environ=os.environ) -> dict:
    base_url = environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    https = base_url.startswith("https://")
    mail_server = environ.get("MAIL_SERVER", "")
    return {
        "APP_NAME": "GEMMA Softwarecatalogus",
        # Log level of the app and of the libraries it runs on (Flask-AppBuilder, Alembic):
        # WARNING keeps the run output readable; INFO shows every permission and migration step.
        "LOG_LEVEL": environ.get("LOG_LEVEL", "WARNING").upper(),
        # "plain" (readable lines) or "json" (one JSON object per line, with the request id): core/logs.py
        "LOG_FORMAT": environ.get("LOG_FORMAT", "plain").strip().lower() or "plain",
        "SECRET_KEY": secret_key(environ),
        "BASE_URL": base_url,
        "SQLALCHEMY_DATABASE_URI": database_url(environ),
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url(environ), environ),
        # A request above this size is refused with 413 before it is read (uploads check their
        # own, smaller limits; the largest is a GEMMA release of up to 50 MB).
        "MAX_CONTENT_LENGTH": int(environ.get("MAX_CONTENT_LENGTH", str(64 * 1024 * 1024))),
        # Uploaded files (core.files, core.storage), under random names: "local" keeps them in
        # FILE_STORAGE_DIR, "s3" in an S3-compatible bucket (MinIO, AWS, ...) through boto3.
        "STORAGE_BACKEND": environ.get("STORAGE_BACKEND", "local").strip().lower() or "local",
        "FILE_STORAGE_DIR": environ.get("FILE_STORAGE_DIR") or str(instance_dir(environ) / "files"),
        "S3_BUCKET": environ.get("S3_BUCKET", ""),
        "S3_ENDPOINT_URL": environ.get("S3_ENDPOINT_URL", ""),  # empty: AWS itself
        "S3_ACCESS_KEY_ID": environ.get("S3_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": environ.get("S3_SECRET_ACCESS_KEY", ""),
        "S3_REGION": environ.get("S3_REGION", ""),
        "S3_PREFIX": environ.get("S3_PREFIX", ""),  # key prefix inside the bucket, e.g. "bestanden/"
        # Files anybody may read are answered with a short-lived presigned redirect to the store
        # (which browsers must then reach); others are always streamed through the app.
        "S3_PUBLIC_REDIRECT": _bool(environ.get("S3_PUBLIC_REDIRECT"), False),
        # Start-up upgrades the database through the Alembic migrations.
        "AUTO_MIGRATE": _bool(environ.get("AUTO_MIGRATE"), True),
        # --- mail ---------------------------------------------------------
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": int(environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(environ.get("MAIL_USE_TLS"), False),
        "MAIL_USE_SSL": _bool(environ.get("MAIL_USE_SSL"), False),
        # Seconds an SMTP connection may wait for the server (connect, each reply).
        "MAIL_TIMEOUT": float(environ.get("MAIL_TIMEOUT", "10")),
        "MAIL_USERNAME": environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": environ.get(
            "MAIL_DEFAULT_SENDER", "GEMMA Softwarecatalogus <noreply@softwarecatalogus.localhost>"
        ),
        # Without MAIL_SERVER, messages are written to this folder (development).
        "MAIL_OUTBOX_DIR": environ.get("MAIL_OUTBOX_DIR") or str(instance_dir(environ) / "outbox"),
        # Mail goes through the outbox table (core.mail): after a failure it is tried again after
        # these intervals in seconds (the last one repeats), until MAIL_MAX_ATTEMPTS.
        "MAIL_RETRY_INTERVALS": environ.get("MAIL_RETRY_INTERVALS", "60,300,1800,7200,21600,86400"),
        "MAIL_MAX_ATTEMPTS": int(environ.get("MAIL_MAX_ATTEMPTS", "15")),
        # How often the worker sends what is due, and how long a claimed mail is someone else's.
        "MAIL_DELIVERY_INTERVAL": int(environ.get("MAIL_DELIVERY_INTERVAL", "60")),
        "MAIL_CLAIM_SECONDS": int(environ.get("MAIL_CLAIM_SECONDS", "600")),
        # --- jobs (core.jobs) ------------------------------------------------
        # Redis for the job queue (RQ, run by `flask scg worker`); empty: jobs run in this process,
        # in a background thread ("thread") or at once ("sync").
        "JOBS_REDIS_URL": jobs_redis_url(environ),
        "JOBS_QUEUE": environ.get("JOBS_QUEUE", "softwarecatalogus"),
        "JOBS_INPROCESS": environ.get("JOBS_INPROCESS", "thread"),
        "JOBS_THREADS": int(environ.get("JOBS_THREADS", "2")),
        "JOBS_TIMEOUT": int(environ.get("JOBS_TIMEOUT", "3600")),
        "VNG_CONTACT_EMAIL": environ.get("VNG_CONTACT_EMAIL", "softwarecatalogus@vng.nl"),
        # --- security -----------------------------------------------------
        "AUTH_TYPE": 1,  # AUTH_DB
        "AUTH_ROLE_ADMIN": "Functioneel beheerder",
        "AUTH_ROLE_PUBLIC": "Bezoeker",
        "AUTH_USER_REGISTRATION": False,  # suppliers register through F001
        "FAB_PASSWORD_COMPLEXITY_ENABLED": True,
        "FAB_PASSWORD_COMPLEXITY_VALIDATOR": "core.passwords.validate_password",
        "PASSWORD_MIN_LENGTH": int(environ.get("PASSWORD_MIN_LENGTH", "12")),
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_TIME_LIMIT": 3600 * 8,
        # Behind a reverse proxy: the number of proxies whose X-Forwarded-For/Proto/Host are trusted.
        "PROXY_FIX": proxy_count(environ.get("PROXY_FIX")),
        "RATELIMIT_ENABLED": _bool(environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_STORAGE_URI": environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # The catalogue cache (facet counts, anonymous public pages; core/catalogue/cache.py):
        # in Redis when CACHE_REDIS_URL is set (or RATELIMIT_STORAGE_URI is redis://), else in-process.
        "CATALOGUE_CACHE": _bool(environ.get("CATALOGUE_CACHE"), True),
        "CATALOGUE_CACHE_TTL": int(environ.get("CATALOGUE_CACHE_TTL", "600")),
        "CACHE_REDIS_URL": environ.get("CACHE_REDIS_URL") or None,
        "RATELIMIT_HEADERS_ENABLED": True,
        "AUTH_RATE_LIMITED": _bool(environ.get("RATELIMIT_ENABLED"), True),
        "AUTH_RATE_LIMIT": environ.get("AUTH_RATE_LIMIT", "10 per minute"),
        "REGISTRATION_RATE_LIMIT": environ.get("REGISTRATION_RATE_LIMIT", "5 per hour"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(environ.get("SESSION_COOKIE_SECURE"), https),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": _bool(environ.get("SESSION_COOKIE_SECURE"), https),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=15),
        "TOTP_ISSUER": environ.get("TOTP_ISSUER", "GEMMA Softwarecatalogus"),
        # Roles that must log in with two-factor authentication (TOTP); comma-separated.
        # A user holding one of them without TOTP is sent to set it up right after the
        # password, and cannot use the site (or the API) before that is done. The
        # Functioneel beheerder always needs TOTP, whatever this list says.
        "TOTP_REQUIRED_ROLES": [r.strip() for r in environ.get(
            "TOTP_REQUIRED_ROLES", "Functioneel beheerder,Aanbod-beheerder,Gebruik-beheerder").split(",")
            if r.strip()],
        # Number of one-time recovery codes made at two-factor enrolment (and on "new codes").
        "TOTP_RECOVERY_CODES": int(environ.get("TOTP_RECOVERY_CODES", "10")),
        # --- response headers (core.headers) -------------------------------------
        # Sent with every response when BASE_URL is https; empty: not sent.
        "STRICT_TRANSPORT_SECURITY": environ.get("STRICT_TRANSPORT_SECURITY",
                                                 "max-age=31536000; includeSubDomains"),
        # "strict-origin-when-cross-origin" or "same-origin" (stricter: no referrer to other sites).
        "REFERRER_POLICY": environ.get("REFERRER_POLICY", "strict-origin-when-cross-origin"),
        # --- API ----------------------------------------------------------
        "FAB_API_SWAGGER_UI": True,
        # FAB's OpenAPI view is replaced by core.openapi.ProjectOpenApi (core.builtin.api_contract).
        "FAB_ADD_OPENAPI_VIEWS": False,
        "FAB_ADD_SECURITY_API": False,
        # --- language -----------------------------------------------------
        "BABEL_DEFAULT_LOCALE": "nl",
        "LANGUAGES": {"nl": {"flag": "nl", "name": "Nederlands"}},
        # The project's own Dutch (core/translations): FAB puts its catalogue first and
        # Flask-Babel lets a later directory win, so these texts replace FAB's.
        "BABEL_TRANSLATION_DIRECTORIES": str(BASE_DIR / "core" / "translations"),
        "FAB_UPDATE_PERMS": True,
        # --- links and tokens --------------------------------------------
        "RESET_LINK_MAX_AGE": int(environ.get("RESET_LINK_MAX_AGE", str(2 * 3600))),
        # Extra plugins by dotted module name, besides the entry-point group.
        "EXTRA_PLUGINS": [p for p in environ.get("EXTRA_PLUGINS", "").split(",") if p],
        # Default plugins to leave out, by module name (e.g. "plugins.f003_gebruikers.hooks");
        # the core builtins (core.builtin.*) cannot be disabled.
        "DISABLED_PLUGINS": [p.strip() for p in environ.get("DISABLED_PLUGINS", "").split(",") if p.strip()],
    }
