"""All configuration in one place, read from the environment (prefix OVERLEG_) or a .env file."""

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
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
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public URL of the web app, used in emails and calendar feeds.",
    )
    load_demo_data: bool = Field(
        default=True, description="Load the demo organisation when the service starts."
    )

    def resolved_database_url(self) -> str:
        """Return the configured URL, or the embedded SQLite file under data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'overleg.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    """Return the settings of this process, read once."""
    return Settings()
