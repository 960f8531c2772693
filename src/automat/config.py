"""Process configuration: environment variables with the prefix ``AUTOMAT_``.

Secrets that are not given in the environment (the JWT signing key, the password of the
application's database role) are generated once and kept in ``$AUTOMAT_HOME/secrets.json``
(mode 0600), so a laptop install needs no configuration and a multi-host install sets them.

Every secret can also come from a file: ``AUTOMAT_<NAME>_FILE=/run/secrets/…`` (Docker and
Kubernetes secrets mounted as files; leading/trailing whitespace is dropped). The variable itself
wins over its ``_FILE``.
"""

from __future__ import annotations

import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from automat.kit.proxies import parse_networks

APP_DB_ROLE = "automat_app"
OWNER_DB_ROLE = "automat_owner"
ENV_PREFIX = "AUTOMAT_"
# The settings that may come from a file named by AUTOMAT_<NAME>_FILE (credentials, or URLs with one).
SECRET_FIELDS = (
    "database_url", "app_database_url", "app_db_password", "redis_url", "secret_key", "smtp_url",
    "metrics_token", "demo_password",
)  # fmt: skip


class SecretFileError(ValueError):
    """An ``AUTOMAT_<NAME>_FILE`` names a file that cannot be read."""


class _SecretFiles(PydanticBaseSettingsSource):
    """``AUTOMAT_<NAME>_FILE`` for each of ``SECRET_FIELDS``: the file's content, stripped."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # everything happens in __call__

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in SECRET_FIELDS:
            var = f"{ENV_PREFIX}{name.upper()}_FILE"
            path = os.environ.get(var)
            if not path:
                continue
            try:
                values[name] = Path(path).read_text().strip()
            except OSError as exc:
                raise SecretFileError(f"{var}={path} cannot be read: {exc.strerror or exc}") from None
        return values


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Earlier sources win: the variable itself, then its _FILE.
        return init_settings, env_settings, _SecretFiles(settings_cls), dotenv_settings, file_secret_settings

    home: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8888
    env: str = "development"

    # Admin/owner connection used by migrations. Unset: the embedded PostgreSQL under `home`.
    database_url: str | None = None
    # Connection of the unprivileged application role. Unset: derived from `database_url`.
    app_database_url: str | None = None
    app_db_password: str | None = None
    database_name: str = "automat"
    redis_url: str | None = None

    secret_key: str | None = None
    access_token_minutes: int = 30
    refresh_token_days: int = 14

    # Login throttling (auth/ratelimit.py): free failed attempts for one account from one address,
    # and from one address across accounts; after that each attempt waits, doubling from the
    # base up to the cap. Failures are forgotten `login_failure_window_s` after the last wait.
    login_max_failures_per_email: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=30, ge=1)
    login_failure_window_s: int = Field(default=900, ge=1)
    login_backoff_base_s: int = Field(default=30, ge=1)
    login_backoff_max_s: int = Field(default=900, ge=1)
    # Proxies whose X-Forwarded-For is believed: comma-separated addresses or networks
    # ("10.0.0.5, 10.1.0.0/16"). Empty: none; the client address is the connection's peer.
    trusted_proxies: str = ""

    # `automat up` restarts a child that dies; this many deaths of one child within the window
    # is a crash loop, and the installation stops.
    supervisor_max_deaths: int = Field(default=5, ge=1)
    supervisor_death_window_s: int = Field(default=300, ge=1)

    # E-mail (notifications/mail.py): smtp://[user:password@]host[:port] (STARTTLS when the server
    # offers it; ?starttls=require to insist) or smtps://… for implicit TLS. Unset: messages are
    # written to the maildir `<home>/mail` (shown to admins at /api/dev/mailbox) instead of sent.
    smtp_url: str | None = None
    mail_from: str = "Automat <automat@localhost>"
    # Set by `automat up` when it runs the local debugging SMTP server (notifications/dev_smtp.py)
    # for an installation without AUTOMAT_SMTP_URL: /api/dev/mailbox shows what it received.
    dev_mailbox: bool = False
    # The web UI's address as people reach it, for links in e-mails. Unset: http://<host>:<port>.
    public_base_url: str | None = None
    # Attempts at a temporary SMTP failure before an alert is raised (it is still tried later).
    mail_alert_after_attempts: int = Field(default=3, ge=1)

    # GET /metrics (Prometheus): answered to clients from these networks without a token, and to
    # anyone with `Authorization: Bearer <metrics_token>` when a token is set.
    metrics_allow_from: str = "127.0.0.0/8, ::1"
    metrics_token: str | None = None
    # How often beat brings the workers' pools to what worker_configs asks (seconds).
    worker_scaling_interval_s: int = Field(default=60, ge=5)

    max_body_bytes: int = Field(default=1_048_576, description="limit for JSON bodies")
    demo_password: str | None = None
    log_level: str = "INFO"
    # The built web UI served at `/`. Unset: `frontend/dist` of this checkout.
    web_dist: Path | None = None

    @field_validator("trusted_proxies", "metrics_allow_from")
    @classmethod
    def _valid_networks(cls, value: str) -> str:
        parse_networks(value)  # raises ValueError naming the bad entry
        return value

    def resolved_home(self) -> Path:
        home = self.home.expanduser()
        home.mkdir(parents=True, exist_ok=True)
        return home.resolve()

    def secret(self, name: str) -> str:
        """A value from the environment, else from (or generated into) $AUTOMAT_HOME/secrets.json."""
        given = getattr(self, name, None)
        if given:
            return str(given)
        return _stored_secret(self.resolved_home() / "secrets.json", name)


def _stored_secret(path: Path, name: str) -> str:
    data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    if name not in data:
        data[name] = secrets.token_urlsafe(32)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2)
        tmp.replace(path)
    return str(data[name])


@lru_cache
def get_settings() -> Settings:
    return Settings()
