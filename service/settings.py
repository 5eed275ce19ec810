"""All configuration in one place, read from the environment (prefix OVERLEG_) or a .env file."""

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting has a default that works for the embedded, single-machine run."""

    model_config = SettingsConfigDict(env_prefix="OVERLEG_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"),
        description="Folder for the SQLite database, the local mailbox and other local state.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "OVERLEG_DATABASE_URL"),
        description="SQLAlchemy URL; empty means a SQLite file in data_dir.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web app listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the web app listens on.")
    base_url: str | None = Field(
        default=None,
        description="Public URL of the web app, used in emails and calendar feeds;"
        " empty means http://<host>:<port>.",
    )
    load_demo_data: bool = Field(
        default=True, description="Load the demo organisation when the service starts."
    )
    secret_key: str | None = Field(
        default=None,
        description="Key that signs sign-in links and form tokens; empty means a random key"
        " kept in data_dir/secret_key.",
    )
    sign_in_link_minutes: int = Field(
        default=15, ge=1, le=1440, description="How long a sign-in link stays valid."
    )
    session_days: int = Field(
        default=14, ge=1, le=90, description="How long a browser stays signed in."
    )
    submission_retention_years: int = Field(
        default=2, ge=1, le=20, description="Submissions older than this are anonymised."
    )

    mail_from: str = Field(
        default="Overleg KCVS <overleg@kcvs.example>",
        description="Sender of every email; its domain also ends each Message-ID.",
    )
    organizer: str = Field(
        default="Secretariaat KCVS <secretariaat@kcvs.example>",
        description="ORGANIZER of meeting invitations: a real mailbox of the secretariat, where"
        " Accept and Decline answers arrive.",
    )
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server; empty means mail goes to the local mailbox under data_dir.",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP port.")
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS."
    )
    smtp_username: str | None = Field(default=None, description="SMTP login, when required.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_timeout_seconds: float = Field(
        default=30, gt=0, description="SMTP timeout per command, and for each whole message."
    )
    delivery_batch_size: int = Field(
        default=200, ge=1, le=5000, description="Messages sent over one SMTP connection."
    )
    delivery_lease_seconds: float | None = Field(
        default=None,
        description="How long a delivery run holds the rows it claimed before another run may"
        " take them; renewed while it sends. Empty means 1.5 x the SMTP timeout + 10 s"
        " (55 s for 30 s); at least the SMTP timeout + 10 s.",
    )
    delivery_max_attempts: int = Field(
        default=8, ge=1, le=50, description="Attempts before a message is marked failed."
    )

    materials_dir: Path | None = Field(
        default=None,
        description="Where uploaded meeting materials are kept, by content hash; empty means"
        " data_dir/materials. Point it at a shared volume when several machines serve the app.",
    )
    material_max_megabytes: int = Field(
        default=25, ge=1, le=1000, description="The largest file one may upload as a material."
    )
    meeting_materials_max_megabytes: int = Field(
        default=250,
        ge=1,
        le=100_000,
        description="The most all files of one meeting's materials may take together.",
    )
    imap_host: str | None = Field(
        default=None,
        description="IMAP server of the organizer's mailbox, where calendar answers arrive;"
        " empty means answers are read from the answer links only.",
    )
    imap_port: int = Field(default=993, ge=1, le=65535, description="IMAP port.")
    imap_tls: Literal["tls", "starttls", "none"] = Field(
        default="tls",
        description="tls: TLS from the start (port 993); starttls: upgrade; none: loopback only.",
    )
    imap_username: str | None = Field(default=None, description="IMAP login.")
    imap_password: SecretStr | None = Field(default=None, description="IMAP password.")
    imap_folder: str = Field(default="INBOX", description="Folder the answers arrive in.")
    imap_max_message_bytes: int = Field(
        default=2_000_000,
        ge=10_000,
        description="Larger messages are not downloaded: they are left for a person.",
    )

    minutes_reminder_working_days: int = Field(
        default=3,
        ge=1,
        le=30,
        description="Working days after a meeting before the secretariat is reminded of the"
        " minutes; the chair is reminded after twice as many.",
    )
    materials_deadline_working_days: int = Field(
        default=3,
        ge=1,
        le=30,
        description="Working days before a meeting by which presenters add their materials;"
        " on that day (09:00 Brussels time) a presenter who has added nothing is reminded once.",
    )
    call_reminder_days: list[int] = Field(
        default=[3, 1],
        description="Days before a call's deadline on which members who have not sent their"
        " questions are reminded.",
    )
    invitation_days_before: int = Field(
        default=5,
        ge=1,
        le=60,
        description="Invitations go out when the agenda is published, and at the latest this"
        " many days before the meeting.",
    )
    meeting_reminder_days: int = Field(
        default=2,
        ge=1,
        le=30,
        description="Days before a meeting when its reminder goes out (the published agenda,"
        " the place or video link, the answer links).",
    )
    absent_organisation_reminder_days: int = Field(
        default=7,
        ge=1,
        le=60,
        description="Days before a meeting when the members of an organisation that no one"
        " comes for are reminded, once.",
    )
    stale_feed_grace_minutes: int = Field(
        default=60,
        ge=0,
        le=720,
        description="After a change close to a meeting, how long calendar feeds get to fetch"
        " it before the members whose feed has not are mailed the change directly.",
    )
    feed_recheck_seconds: float = Field(
        default=2,
        ge=0,
        le=300,
        description="How long a web worker answers a calendar feed from memory before it checks"
        " the token and the data again.",
    )
    forwarded_allow_ips: str = Field(
        default="",
        max_length=1000,
        description="Comma-separated addresses (or networks) of the reverse proxies whose"
        " X-Forwarded-For and X-Forwarded-Proto are believed; empty: none, the client is the"
        " peer of the connection (uvicorn's forwarded_allow_ips).",
    )
    web_workers: int = Field(
        default=1,
        ge=1,
        le=32,
        description="Web worker processes started by `overleg serve` and `overleg up`.",
    )
    prefect_workers: int = Field(
        default=1,
        ge=1,
        le=32,
        description="Prefect workers `overleg up` starts on the work pool (each runs flow runs"
        " in processes of their own).",
    )
    prefect_worker_limit: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description="Flow runs one Prefect worker of `overleg up` runs at once (each is a"
        " process); empty: no limit.",
    )
    prefect_port: int = Field(
        default=4200, ge=1, le=65535, description="Port of the local Prefect server (overleg up)."
    )
    prefect_enabled: bool = Field(
        default=False,
        description="Start urgent flows (mail delivery) at once through Prefect deployments;"
        " the embedded launcher turns this on.",
    )

    prefect_ui_url: str | None = Field(
        default=None,
        description="Address of the Prefect UI, for links to flow runs; empty means the local"
        " server http://127.0.0.1:<prefect_port>.",
    )

    @field_validator("call_reminder_days")
    @classmethod
    def _reminder_days_valid(cls, days: list[int]) -> list[int]:
        if any(not 1 <= day <= 30 for day in days) or len(set(days)) != len(days):
            raise ValueError("reminder days must be distinct whole days from 1 to 30")
        return sorted(days, reverse=True)

    @model_validator(mode="after")
    def _lease_fits_a_message(self) -> "Settings":
        # A run only starts a message when its lease outlasts the message's timeout + margins.
        lease = self.delivery_lease_seconds
        if lease is not None and lease < self.smtp_timeout_seconds + 10:
            raise ValueError("delivery_lease_seconds must be at least smtp_timeout_seconds + 10")
        return self

    @property
    def prefect_ui(self) -> str:
        """The Prefect UI's address, without a trailing slash."""
        return (self.prefect_ui_url or f"http://127.0.0.1:{self.prefect_port}").rstrip("/")

    @property
    def mailbox_dir(self) -> Path:
        """Where the embedded default delivers mail instead of an SMTP server."""
        return self.data_dir / "mailbox"

    @property
    def materials_store(self) -> Path:
        """Where uploaded materials are kept."""
        return self.materials_dir or self.data_dir / "materials"

    @property
    def public_url(self) -> str:
        """The URL people reach the app at, without a trailing slash."""
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def cookie_secure(self) -> bool:
        """Send cookies over HTTPS only when the service is served over HTTPS."""
        return self.public_url.startswith("https://")

    def resolved_secret_key(self) -> str:
        """Return the configured key, or a random one created once and kept in data_dir."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()

    def resolved_database_url(self) -> str:
        """Return the configured URL, or the embedded SQLite file under data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'overleg.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    """Return the settings of this process, read once."""
    return Settings()
