"""Django's settings, made for one workspace at run time: there is no settings module on disk and no
manage.py, because the workspace directory is only known when `serve` or `user` is given ``-w``."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import desk

PACKAGE = Path(__file__).resolve().parent
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


class WorkbenchError(Exception):
    """A setting the workbench cannot start with, said in plain Chinese: the CLI prints it and exits
    with ``status`` (1, or 2 where the command was pointed at something that is not a workspace)."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def secret_key(root: Path) -> str:
    """Made once per workspace and kept beside its database, readable only by its owner: sessions and
    CSRF tokens survive a restart, and no key is ever shipped in the package."""
    folder = root / desk.WORKBENCH_DIR
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it between our read and our create: theirs wins
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key


def postgres(url: str, origin: str) -> dict:
    """``postgresql://user@host:port/name`` as Django's DATABASES entry. The password never sits in a
    setting: libpq reads PGPASSWORD or ~/.pgpass (%APPDATA%\\postgresql\\pgpass.conf on Windows)."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise WorkbenchError(
            f"{origin}: 错误: 数据库地址应当以 postgresql:// 开头，例如 postgresql://用户@主机:5432/库名。"
        )
    if parts.password:
        raise WorkbenchError(
            f"{origin}: 错误: 数据库地址里不要写密码；请把密码放在环境变量 PGPASSWORD 或 .pgpass 文件里。"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name or "/" in name:
        raise WorkbenchError(f"{origin}: 错误: 数据库地址缺少库名，例如 postgresql://用户@主机:5432/noticeboard。")
    try:
        port = parts.port
    except ValueError:
        raise WorkbenchError(f"{origin}: 错误: 数据库地址里的端口不是数字。") from None
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": "",
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def database(root: Path, url: str | None = None) -> dict:
    """The environment variable wins over noticeboard.yaml, so a county server can point every
    township's workbench at its PostgreSQL without editing their files."""
    if url:
        return postgres(url, "noticeboard")
    env = os.environ.get("NOTICEBOARD_DATABASE")
    if env:
        return postgres(env, "NOTICEBOARD_DATABASE")
    configured = desk.database_url(root)
    if configured:
        return postgres(configured, "noticeboard.yaml")
    (root / desk.WORKBENCH_DIR).mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(root / desk.WORKBENCH_DIR / "workbench.sqlite3"),
        # waitress serves from several threads: wait for a writer rather than fail with "database is locked"
        "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
    }


def settings_for(root: Path, host: str = "127.0.0.1", database_url: str | None = None) -> dict:
    loopback = is_loopback(host)
    return {
        "DEBUG": False,
        "SECRET_KEY": secret_key(root),
        # a county server is reached by whatever name or address its LAN gives it; there are no
        # password-reset mails or absolute links that a forged Host header could poison
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "[::1]", "::1"] if loopback else ["*"],
        "NOTICEBOARD_ROOT": root,
        "INSTALLED_APPS": [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "axes",
            "noticeboard.web.apps.WorkbenchConfig",
        ],
        "MIDDLEWARE": [
            "django.middleware.security.SecurityMiddleware",
            "noticeboard.web.middleware.SecurityHeaders",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.auth.middleware.LoginRequiredMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "noticeboard.web.middleware.WorkspaceErrors",
            "axes.middleware.AxesMiddleware",
        ],
        "AUTHENTICATION_BACKENDS": [
            "axes.backends.AxesStandaloneBackend",
            "django.contrib.auth.backends.ModelBackend",
        ],
        "ROOT_URLCONF": "noticeboard.web.urls",
        "TEMPLATES": [
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                        "noticeboard.web.views.roles_context",
                    ]
                },
            }
        ],
        "DATABASES": {"default": database(root, database_url)},
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "AUTH_PASSWORD_VALIDATORS": [
            {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
            {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        ],
        "LANGUAGE_CODE": "zh-hans",
        "LANGUAGES": [("zh-hans", "简体中文")],
        "USE_I18N": True,
        "TIME_ZONE": "Asia/Shanghai",
        "USE_TZ": True,
        "LOGIN_URL": "/signin/",
        "LOGIN_REDIRECT_URL": "/",
        "LOGOUT_REDIRECT_URL": "/signin/",
        "SESSION_COOKIE_AGE": 12 * 3600,  # a working day; a shared office computer should not stay signed in
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_FAILURE_VIEW": "noticeboard.web.views.csrf_failure",
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        # an upload may be as large as desk allows, plus the form around it; the rest stays in memory
        "DATA_UPLOAD_MAX_MEMORY_SIZE": 2 * 1024 * 1024,
        "FILE_UPLOAD_MAX_MEMORY_SIZE": 2 * 1024 * 1024,
        "AXES_FAILURE_LIMIT": 5,
        "AXES_COOLOFF_TIME": dt.timedelta(minutes=15),
        "AXES_LOCKOUT_PARAMETERS": [["username", "ip_address"]],
        "AXES_RESET_ON_SUCCESS": True,
        "AXES_LOCKOUT_TEMPLATE": "web/locked.html",
        "AXES_VERBOSE": False,
    }


_configured: Path | None = None


def configure(root: Path, host: str = "127.0.0.1", database: str | None = None) -> None:
    """Django for this workspace, once per process (Django's settings cannot be made twice)."""
    global _configured
    import django
    from django.conf import settings

    root = Path(root).resolve()
    if _configured is not None:
        if _configured != root:
            raise WorkbenchError(f"noticeboard: 错误: 这个进程已经打开了工作区 {_configured}，不能再打开 {root}。")
        return
    if not (root / "noticeboard.yaml").is_file():
        raise WorkbenchError(f"{root}: 错误: 这里不是工作区（没有 noticeboard.yaml）。请用 -w 指定工作区目录。", 2)
    settings.configure(**settings_for(root, host, database))
    django.setup()
    _configured = root


def migrate() -> None:
    """Creates or updates the tables, quietly: run before every `serve` and `user` command."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # it holds the password hashes and the sessions: for the office's own account only, like secret_key
        with contextlib.suppress(OSError):  # a file system without modes (FAT on a USB stick) keeps its own
            os.chmod(database["NAME"], 0o600)
