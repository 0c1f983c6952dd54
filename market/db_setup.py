"""Per-connection database settings: SQLite WAL, foreign keys, busy timeout, and write transactions.

pysqlite starts a transaction only at the first write, so plain reads never hold a snapshot that a later
write would have to upgrade (SQLite refuses such an upgrade at once, "database is locked", when another
connection wrote meanwhile). Use cases that must read then write consistently under contention, such as
reserving stock at checkout, call `write_transaction()`: on SQLite it starts with BEGIN IMMEDIATE, taking
the write lock (waiting up to the busy timeout) before the first read.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from market.extensions import db

IMMEDIATE = "sqlite_begin_immediate"


def _sqlite_connect(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(IMMEDIATE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def write_transaction() -> None:
    """End the request's current transaction and start one that holds the write lock from its start.

    On PostgreSQL this is an ordinary transaction (row locks and conditional UPDATEs do the work).
    Call it in a view before a service that reads then writes contended rows; commit once after.
    """
    db.session.rollback()
    db.session.connection(execution_options={IMMEDIATE: True})


def statement_savepoint() -> AbstractContextManager[object]:
    """Guard one statement that may be refused (a unique index, a race) so the transaction goes on.

    A savepoint on PostgreSQL, where a refused statement spoils the whole transaction. SQLite undoes only the
    refused statement by itself; and pysqlite, which begins its transaction at the first write, would make a
    savepoint taken before any write the transaction itself, so releasing it would commit early (and a later
    rollback would undo nothing)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return db.session.begin_nested()
    return nullcontext()


def register(app: Flask) -> None:
    """Attach the SQLite settings to the app's engine."""
    with app.app_context():
        engine: Engine = db.engine
        if engine.dialect.name == "sqlite" and not event.contains(engine, "connect", _sqlite_connect):
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
