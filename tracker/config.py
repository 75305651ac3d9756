"""Settings, read from the environment (README.md has the table).

Development gets safe defaults (a SQLite file and a generated secret key in instance/);
production refuses to start without a real SECRET_KEY.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any


class ConfigError(RuntimeError):
    """A setting is missing or unsafe for the environment the app runs in."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _development_secret(instance_path: Path) -> str:
    """A random key kept in instance/, so sessions survive restarts on a developer's machine."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance_path / 'tracker.db'}")
    # Hosting platforms hand out postgres:// URLs; we speak psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _engine_options(url: str) -> dict[str, Any]:
    """PostgreSQL: a pool as large as a worker's threads (gunicorn_conf.py), so no thread waits
    for a connection another holds; behind PgBouncer in transaction mode (DATABASE_PGBOUNCER),
    no server-side prepared statements, which a pooled server connection would not know."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        threads = int(os.environ.get("WEB_THREADS", "4"))
        options["pool_size"] = int(os.environ.get("DATABASE_POOL_SIZE", threads))
        options["max_overflow"] = int(os.environ.get("DATABASE_MAX_OVERFLOW", "2"))
        if _flag("DATABASE_PGBOUNCER", False):
            options["connect_args"] = {"prepare_threshold": None}
    return options


def load_settings(instance_path: Path) -> dict[str, Any]:
    environment = os.environ.get("TRACKER_ENV", "development")
    production = environment == "production"
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError("SECRET_KEY must be set when TRACKER_ENV=production.")
        secret_key = _development_secret(instance_path)
    redis_url = os.environ.get("REDIS_URL")
    database_url = _database_url(instance_path)
    return {
        "TRACKER_ENV": environment,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(database_url),
        "REDIS_URL": redis_url,
        # Import jobs go on this RQ queue when REDIS_URL is set (tracker/jobs.py)
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "tracker-jobs"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        # Failed sign-ins: per (address, username), per username, and per address (README.md)
        "LOGIN_ATTEMPTS_LIMIT": os.environ.get("LOGIN_ATTEMPTS_LIMIT", "5 per 15 minutes"),
        "LOGIN_USERNAME_LIMIT": os.environ.get("LOGIN_USERNAME_LIMIT", "10 per 15 minutes"),
        "LOGIN_ADDRESS_LIMIT": os.environ.get("LOGIN_ADDRESS_LIMIT", "100 per 15 minutes"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").upper(),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", production),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": None,  # a form left open during a field visit still submits
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        # Boards computed once per data version: "redis" (shared by every process), "process"
        # (one process only), or "off" (tracker/data_versions.py, docs/operations.md)
        "DATA_CACHE": os.environ.get("DATA_CACHE", "redis" if redis_url else "process"),
        "DATA_CACHE_SECONDS": int(os.environ.get("DATA_CACHE_SECONDS", "600")),
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_BR_LEVEL": 4,  # 11, the default, is for files compressed once, not every page
        "COMPRESS_STREAMS": False,  # a streamed export keeps its first byte early
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "PROXY_FIX": _flag("PROXY_FIX", False),
    }
