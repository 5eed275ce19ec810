"""The `overleg` command: what the secretariat runs by hand."""

from typing import Annotated

import typer
import uvicorn

from service import demo, migrate
from service.clock import utcnow
from service.db import create_engine, session_scope
from service.settings import get_settings

app = typer.Typer(help="Overleg: coordination of the KCVS working groups.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Run the web service (applies migrations and loads demo data at start)."""
    settings = get_settings()
    uvicorn.run(
        "service.web.main:app",
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
    )


@app.command("migrate")
def migrate_command() -> None:
    """Apply the database migrations up to the newest revision."""
    engine = create_engine(get_settings().resolved_database_url())
    migrate.upgrade(engine)
    typer.echo(f"database at revision {migrate.current_revision(engine)}")


@app.command("demo-data")
def demo_data() -> None:
    """Load the demo organisation; rows that already exist are left alone."""
    engine = create_engine(get_settings().resolved_database_url())
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        report = demo.load(session, now=utcnow())
    typer.echo(f"demo data: {report.total} rows added {report.added}")


def main() -> None:
    """Entry point of the `overleg` script."""
    app()
