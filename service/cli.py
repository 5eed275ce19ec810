"""The `overleg` command: what the secretariat runs by hand."""

# Each command imports what it needs inside its own body: importing the whole service takes
# about 3 s of CPU, which `--help` and a small command like `deliver` should not pay.
from typing import Annotated

import typer

from service.settings import get_settings

app = typer.Typer(help="Overleg: coordination of the KCVS working groups.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (default OVERLEG_WEB_WORKERS).")
    ] = None,
) -> None:
    """Run the web service (applies migrations and loads demo data at start)."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "service.web.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.web_workers,
        # A worker imports the whole app first; on a busy machine that takes longer than 5 s.
        timeout_worker_healthcheck=60,
        # The C parser and event loop: calendar clients poll feeds all day (bench/feeds.py).
        http="httptools",
        loop="uvloop",
        log_level="info",
        access_log=False,  # uvicorn logs full paths, which carry tokens; the app logs routes
        # The client address counts for sign-in limits: forwarded headers only from our proxies.
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
    )


@app.command()
def up() -> None:
    """Run everything on this machine: Prefect server, deployments, workers and the web app."""
    from service import bootstrap, launcher

    settings = get_settings()
    bootstrap.prepare_database(settings).dispose()
    try:
        launcher.Launcher(settings).run_until_stopped()
    except launcher.LaunchError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error


@app.command("migrate")
def migrate_command() -> None:
    """Apply the database migrations up to the newest revision."""
    from service import migrate
    from service.db import create_engine

    engine = create_engine(get_settings().resolved_database_url())
    migrate.upgrade(engine)
    typer.echo(f"database at revision {migrate.current_revision(engine)}")


@app.command("demo-data")
def demo_data() -> None:
    """Load the demo organisation; rows that already exist are left alone."""
    from service import demo, migrate
    from service.clock import utcnow
    from service.db import create_engine, session_scope

    engine = create_engine(get_settings().resolved_database_url())
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        report = demo.load(session, now=utcnow())
    typer.echo(f"demo data: {report.total} rows added {report.added}")


@app.command("create-secretariat")
def create_secretariat(
    name: Annotated[str, typer.Option(help="Full name of the first secretariat member.")],
    email: Annotated[str, typer.Option(help="Their email address: sign-in links go there.")],
    organisation_name: Annotated[
        str, typer.Option(help="Name of the knowledge centre.")
    ] = "Kenniscentrum Vlaamse Steden",
    organisation_code: Annotated[
        str, typer.Option(help="Short code of the knowledge centre.")
    ] = "kcvs",
) -> None:
    """Create the first secretariat account on an empty database (a real installation)."""
    from models.errors import N_, DomainError
    from service import migrate
    from service.clock import utcnow
    from service.db import create_engine, session_scope
    from service.directory import first_run
    from service.i18n import error_message, translations

    settings = get_settings()
    engine = create_engine(settings.resolved_database_url())
    migrate.upgrade(engine)
    try:
        with session_scope(engine) as session:
            first_run.create_first_secretariat(
                session,
                name=name,
                email=email,
                organisation_code=organisation_code,
                organisation_name=organisation_name,
                now=utcnow(),
            )
    except DomainError as error:
        typer.echo(error_message(error, "nl"), err=True)
        raise typer.Exit(1) from error
    created = N_("Secretariat account created for %(name)s. Ask for a sign-in link at %(url)s.")
    url = f"{settings.public_url}/sign-in"
    typer.echo(translations("nl").gettext(created) % {"name": name, "url": url})


@app.command()
def deliver(
    until_empty: Annotated[
        bool, typer.Option(help="Keep sending batches until none is due.")
    ] = False,
) -> None:
    """Send the outbox messages that are due (what the delivery flow does, without Prefect)."""
    import asyncio

    from service import migrate
    from service.clock import utcnow
    from service.db import create_engine
    from service.mail import delivery
    from service.mail import mailer as mailers

    settings = get_settings()
    engine = create_engine(settings.resolved_database_url())
    migrate.upgrade(engine)
    mailer = mailers.for_settings(settings)
    while True:
        report = asyncio.run(
            delivery.deliver_due(engine, mailer=mailer, settings=settings, now=utcnow())
        )
        typer.echo(f"sent {report.sent}, retry later {report.retried}, failed {report.failed}")
        if not until_empty or report.sent + report.retried + report.failed == 0:
            break


@app.command("annual-report")
def annual_report_command(
    year: Annotated[int, typer.Argument(min=2000, max=2100, help="The year to report on.")],
    csv: Annotated[bool, typer.Option("--csv", help="CSV instead of Markdown.")] = False,
) -> None:
    """Print the annual report helper for a year, in Dutch (Markdown, or CSV with --csv)."""
    from service import migrate
    from service.db import create_engine, session_scope
    from service.reports import annual_report

    engine = create_engine(get_settings().resolved_database_url())
    migrate.upgrade(engine)
    with session_scope(engine) as session:
        report = annual_report.build(session, year=year)
        text = annual_report.csv_text(report) if csv else annual_report.markdown(report, year=year)
    typer.echo(text, nl=False)


def main() -> None:
    """Entry point of the `overleg` script."""
    app()
