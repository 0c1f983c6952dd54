"""The `market` command: a FlaskGroup with demo data, reference data, users and subsidy tools."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from market import create_app
from market.mail_cli import mail
from market.sales_cli import sales
from market.subsidy_cli import subsidy


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """陇县消费帮扶商城 — Long County consumption-assistance market."""


main.add_command(subsidy)
main.add_command(sales)
main.add_command(mail)


def _require_schema() -> None:
    """Stop with one clear line when the database has not been migrated yet."""
    from market.extensions import db

    if not sa.inspect(db.engine).has_table("users"):
        raise click.ClickException("the database has no tables yet: run `market db upgrade` first")


@main.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load reference data (towns, villages, categories); safe to run again."""
    from market.extensions import db
    from market.services.catalog.reference import seed_reference

    _require_schema()
    created = seed_reference()
    db.session.commit()
    click.echo("Reference data: " + ", ".join(f"{k} +{v}" for k, v in created.items()))


@main.command("demo")
@with_appcontext
def demo_command() -> None:
    """Seed, then fill an empty database with demo data and print the demo logins."""
    from market import clock
    from market.demo import DEMO_PASSWORD, load_demo
    from market.extensions import db

    if current_app.config["MARKET_ENV"] == "production":
        raise click.ClickException("demo data is refused in production (MARKET_ENV=production)")
    _require_schema()
    result = load_demo(clock.today())
    if result is None:
        db.session.rollback()
        click.echo("Users already exist: demo data not loaded, nothing changed.")
        return
    db.session.commit()
    click.echo("Demo data loaded: " + ", ".join(f"{n} {kind}" for kind, n in result.counts.items()))
    click.echo(f"Demo logins (password: {DEMO_PASSWORD}):")
    for email, description in result.accounts:
        click.echo(f"  {email:<24} {description}")


@main.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create")
@click.option("--email", required=True, help="Login email of the new user.")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["consumer", "institution_buyer", "outlet_staff", "county_staff", "admin"]),
              help="Role to grant; repeat for several.")
@click.option("--name", default="", help="Display name (defaults to the part of the email before @).")
@click.password_option(help="Password (prompted, hidden, asked twice).")
@with_appcontext
def users_create(email: str, roles: tuple[str, ...], name: str, password: str) -> None:
    """Create a user with the given roles (for the first staff and admin accounts)."""
    from market.extensions import db
    from market.services.accounts.users import create_user
    from market.services.errors import ServiceError

    _require_schema()
    try:
        user = create_user(email, password, name or email.split("@")[0], roles)
    except ServiceError as err:
        db.session.rollback()
        raise click.ClickException(str(err.message)) from None
    db.session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(user.role_names))}.")


@main.group("orders")
def orders_group() -> None:
    """Order housekeeping."""


@orders_group.command("expire")
@with_appcontext
def orders_expire() -> None:
    """Cancel unpaid orders whose hold has passed and return their stock (run from cron)."""
    from market import clock
    from market.extensions import db
    from market.services.ordering.orders import expire_overdue

    _require_schema()
    count = expire_overdue(clock.now())
    db.session.commit()
    click.echo(f"Expired {count} unpaid order(s).")
