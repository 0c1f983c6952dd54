"""`market sales notify`: mail each outlet the county's decisions on its offline lines of a day (cron, daily)."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask.cli import with_appcontext


@click.command("notify")
@click.option("--day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="The day to sum up (Asia/Shanghai); default: yesterday.")
@with_appcontext
def notify_command(day: object | None) -> None:
    """Queue to each outlet's staff one mail summing up the county's decisions (verified, rejected, reopened,
    with the reasons) on the outlet's offline sale lines that day. A second run for the same day mails nobody.

    \b
    Cron, shortly after midnight Beijing time:
      10 0 * * * cd /srv/market && .venv/bin/market sales notify
    """
    from market import clock
    from market.extensions import db
    from market.services.errors import ServiceError
    from market.services.sales.decision_mail import notify_day

    today = clock.today()
    chosen: date = day.date() if day is not None else today - timedelta(days=1)  # type: ignore[attr-defined]
    try:
        queued = notify_day(chosen, today)
    except ServiceError as err:
        raise click.ClickException(err.message) from None
    db.session.commit()
    click.echo(f"{chosen.isoformat()}: {queued} mails queued.")
