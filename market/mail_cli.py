"""`market mail send`: send the outbox's mail that is due (cron, every minute)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group(name="mail")
def mail() -> None:
    """Outgoing mail (the transactional outbox)."""


@mail.command("send")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 10000),
              help="Send at most this many mails in this run; the rest wait for the next run.")
@with_appcontext
def send(limit: int) -> None:
    """Send the mail that is due: queued mail not sent after its commit, retries whose time has come, and
    mail whose sender stopped. Safe to run in several processes at once (each mail is claimed first).

    \b
    Cron, every minute:
      * * * * * cd /srv/market && .venv/bin/market mail send
    """
    import sqlalchemy as sa

    from market.extensions import db
    from market.models.base import utcnow
    from market.services.accounts import outbox

    if not sa.inspect(db.engine).has_table("outgoing_mail"):
        raise click.ClickException("the database has no outbox yet: run `market db upgrade` first")
    report = outbox.send_due(utcnow(), limit)
    click.echo(f"Sent {report.sent}, retrying later {report.retrying}, failed {report.failed}; "
               f"{report.left} waiting.")
