"""A per-process memo of catalogue reads that is never stale: an entry is used only while the database is
exactly as it was when the entry was computed.

Each request asks the database one cheap question, "has anything been committed since?":
- SQLite: `PRAGMA data_version` on a side connection of this process that never writes (SQLite changes
  the number whenever another connection, in any process, commits to the file);
- PostgreSQL: the current snapshot (`pg_current_snapshot()`), which changes whenever a writing
  transaction starts or ends anywhere in the database; equal snapshots see identical data.
Any commit, to any table, invalidates every entry, so processes never need to agree and nothing has to
remember to "bump" a version. The business date is part of every key (certificates change at midnight).
Caching is off in tests (TESTING) unless CATALOGUE_CACHE is set; other databases are never cached.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa
from flask import current_app, g, has_request_context, request

from market.extensions import db

T = TypeVar("T")
MAX_ENTRIES = 2048  # page-sized values of a few kB each: a few MB per process at most


class _SqliteVersion:
    """`PRAGMA data_version` read on this process's own read-only connection to the database file."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pid = -1
        self.connection: sqlite3.Connection | None = None
        self.lock = threading.Lock()

    def read(self) -> int:
        with self.lock:
            if self.connection is None or self.pid != os.getpid():  # never share a connection across fork
                self.connection = sqlite3.connect(self.path, check_same_thread=False)
                self.connection.execute("PRAGMA query_only=1")
                self.pid = os.getpid()
            return int(self.connection.execute("PRAGMA data_version").fetchone()[0])


class CatalogueCache:
    """Least-recently-used entries keyed by (database, key), each stored with the database version it saw."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.entries: OrderedDict[Hashable, tuple[Hashable, object]] = OrderedDict()
        self.lock = threading.Lock()
        self.sqlite_versions: dict[str, _SqliteVersion] = {}
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        """Forget every entry (tests)."""
        with self.lock:
            self.entries.clear()
            self.hits = self.misses = 0

    def database_version(self) -> Hashable | None:
        """Something that changes whenever anything is committed to the app's database; None: unknown.

        Read once per request (the first read is the one that matters: values computed after it are
        stored under it, so a commit in between makes the next request miss)."""
        if has_request_context() and request.method in ("GET", "HEAD"):  # reading requests commit nothing
            if "_catalogue_version" not in g:
                g._catalogue_version = self._read_version()
            return g._catalogue_version
        return self._read_version()

    def _read_version(self) -> Hashable | None:
        engine = db.engine
        if engine.dialect.name == "sqlite":
            path = engine.url.database
            if not path or path == ":memory:":
                return None
            with self.lock:
                probe = self.sqlite_versions.setdefault(path, _SqliteVersion(path))
            return probe.read()
        if engine.dialect.name == "postgresql":
            return db.session.scalar(sa.text("SELECT pg_current_snapshot()::text"))
        return None

    def enabled(self) -> bool:
        """Whether caching is on for this app (off in tests unless CATALOGUE_CACHE is set)."""
        return bool(current_app.config.get("CATALOGUE_CACHE", not current_app.testing))

    def lookup(self, key: Hashable, version: Hashable) -> object | None:
        """The value stored under the key if it was computed at this database version."""
        full_key = (str(db.engine.url), key)
        with self.lock:
            entry = self.entries.get(full_key)
            if entry is not None and entry[0] == version:
                self.entries.move_to_end(full_key)
                self.hits += 1
                return entry[1]
            self.misses += 1
        return None

    def store(self, key: Hashable, version: Hashable, value: object) -> None:
        """Keep a value computed at this database version (read before computing it)."""
        full_key = (str(db.engine.url), key)
        with self.lock:
            self.entries[full_key] = (version, value)
            self.entries.move_to_end(full_key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)

    def fetch(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for the key if the database is unchanged since it was computed, else compute it.

        The version is read before computing, so a commit that lands during the computation makes the
        next request miss rather than trust a value that may predate it.
        """
        if not self.enabled():
            return compute()
        version = self.database_version()
        if version is None:
            return compute()
        found = self.lookup(key, version)
        if found is not None:
            return found  # type: ignore[return-value]
        value = compute()
        self.store(key, version, value)
        return value


cache = CatalogueCache()
