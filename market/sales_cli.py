"""`market sales import`: import an outlet's counter sales from a CSV or XLSX file, with the web import's checks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from market.sales_notify_cli import notify_command

if TYPE_CHECKING:
    from market.services.sales.importing import SalesPreview

EXIT_BAD_ROWS = 2


@click.group(name="sales")
def sales() -> None:
    """Offline (counter) sales (线下销售) reported by the outlets."""


sales.add_command(notify_command)  # `market sales notify` (the county's daily summaries), in its own module


@sales.command("import")
@click.option("--outlet", "outlet_code", required=True, metavar="CODE", help="The outlet's code, such as LX-O-003.")
@click.option("--as", "email", required=True, metavar="EMAIL",
              help="A staff member of the outlet, recorded as who entered the lines.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; import nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(outlet_code: str, email: str, dry_run: bool, file: Path) -> None:
    """Import FILE (CSV or XLSX with a header row, as the outlet portal's template) as one batch of the outlet.

    Every row is checked as in the outlet portal; nothing is imported unless every row is valid. Exit status 0
    with the batch id on standard output when imported (with --dry-run: when every row is valid); 2 with every
    bad row (its number in the spreadsheet, the header being row 1, and the reason) on standard output otherwise.
    A progress bar goes to standard error.
    """
    from market import clock
    from market.domain.money import format_yuan
    from market.extensions import db
    from market.models import OfflineSaleBatch, Outlet, OutletMembership, User
    from market.services.errors import ServiceError
    from market.services.sales import importing
    from market.services.spreadsheets.reading import MAX_BYTES, SpreadsheetRefused, read_table

    if not sa.inspect(db.engine).has_table(OfflineSaleBatch.__tablename__):
        raise click.ClickException("the database has no offline-sales tables yet: run `market db upgrade` first")
    outlet = db.session.scalar(sa.select(Outlet).where(Outlet.code == outlet_code.strip()))
    if outlet is None:
        raise click.ClickException(f"no outlet has the code {outlet_code!r}")
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
    member = user is not None and db.session.scalar(sa.select(OutletMembership.user_id).where(
        OutletMembership.outlet_id == outlet.id, OutletMembership.user_id == user.id))
    if user is None or not member or not user.active:
        raise click.ClickException(f"{email} is not an active staff member of {outlet.code}")
    with file.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    try:
        table = read_table(data)
        # The bar moves once when the rows are parsed, once when they are checked (and written).
        with click.progressbar(length=2 * len(table.rows), file=sys.stderr,
                               label=f"{file.name}: {len(table.rows)} rows") as bar:
            if dry_run:
                checked = importing.preview_table(outlet, table, clock.today(), progress=bar.update)
                bar.update(len(table.rows))
            else:
                batch = importing.import_table(outlet, table, file.name, user, clock.now(), progress=bar.update)
    except SpreadsheetRefused as err:
        click.echo(f"{file.name}: {err.message}")
        sys.exit(EXIT_BAD_ROWS)
    except importing.ImportRefused as refused:
        db.session.rollback()
        _report(refused.preview)
        sys.exit(EXIT_BAD_ROWS)
    except ServiceError as err:  # e.g. a receipt number recorded by someone else between the check and the insert
        db.session.rollback()
        click.echo(f"{file.name}: {err.message}")
        sys.exit(EXIT_BAD_ROWS)
    if dry_run:
        db.session.rollback()
        if not checked.ok:
            _report(checked)
            sys.exit(EXIT_BAD_ROWS)
        click.echo(f"{len(checked.inputs)} rows valid, total {format_yuan(checked.total_fen)}: nothing imported "
                   "(dry run)", err=True)
        return
    db.session.commit()
    click.echo(f"imported {batch.row_count} rows as batch {batch.id}", err=True)
    click.echo(str(batch.id))


def _report(checked: SalesPreview) -> None:
    """Every bad row's errors on standard output, one line each: "row 7: C7 数量: not a whole number"."""
    bad = checked.preview.bad_rows
    for row in bad:
        for error in row.errors:
            click.echo(f"row {row.number}: {error}")
    click.echo(f"rows with errors: {len(bad)} of {len(checked.preview.rows)}; nothing imported", err=True)
