"""Where uploaded files live: one storage module that every caller goes through.

Callers only ever hold a *key* (e.g. ``listings/3f1c…9a.jpg``) and use the module functions ``put``,
``read``, ``delete``, ``exists`` and ``send``; they never build paths. By default files are kept in a
folder under the instance path (``MARKET_INSTANCE_PATH/uploads``, or ``app.config["MARKET_UPLOADS"]``).

To move to an object store (S3, OSS, MinIO…) without touching a caller: write a class with the methods of
``Storage`` (put the bytes under the key, read them, delete them, and answer ``send`` with the object's
bytes or a redirect to a short-lived signed URL), and install it in the app factory with
``app.extensions["market.storage"] = ObjectStorage(...)``. Keys stay the same strings, so the rows that
hold them need no migration; copy the folder's files to the bucket under their keys.

Keys are made here (``folder/<32 hex digits><suffix>``) and every key given back is checked against that
shape before it is used, so no key can climb out of the folder (no ``..``, no absolute path, no
backslash). Files are written to a temporary file beside the target and renamed, so a reader never sees a
half-written file. Public folders (listing photos) are served by the storefront's /media/<key> route;
every other folder is private and only ever served by an access-checked view through ``send``.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from flask import Response, current_app, send_file
from werkzeug.exceptions import NotFound

FOLDER_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}(?:/[a-z0-9][a-z0-9_-]{0,39}){0,2}")
SUFFIX_RE = re.compile(r"\.[a-z0-9]{1,8}")
KEY_RE = re.compile(rf"(?P<folder>{FOLDER_RE.pattern})/[0-9a-f]{{32}}(?P<suffix>{SUFFIX_RE.pattern})")
PUBLIC_FOLDERS = frozenset({"listings"})  # first segment of a key the /media/ route may serve to anyone
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".pdf": "application/pdf"}
PUBLIC_MAX_AGE = 365 * 24 * 3600  # a key names one content forever (files are never rewritten)


class StorageError(ValueError):
    """A key or folder that this module did not make, or would not accept."""


def check_key(key: str) -> str:
    """The key itself if it has the shape put() gives keys; StorageError otherwise (never a path)."""
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise StorageError(f"not a storage key: {key!r}")
    return key


def is_public(key: str) -> bool:
    """True for a well-formed key in a public folder (listing photos), which anyone may fetch."""
    return bool(KEY_RE.fullmatch(key)) and key.split("/", 1)[0] in PUBLIC_FOLDERS


def content_type(key: str) -> str:
    """The media type of the file under the key, from its suffix (which put() was given by the caller)."""
    suffix = Path(key).suffix
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"


class Storage(Protocol):
    """What a storage backend does; the local folder below is one, an object store can be another."""

    def put(self, data: bytes, *, folder: str, suffix: str) -> str:
        """Keep the bytes under a new key in the folder and return the key."""

    def read(self, key: str) -> bytes:
        """The bytes kept under the key (FileNotFoundError when there are none)."""

    def exists(self, key: str) -> bool:
        """Whether something is kept under the key."""

    def delete(self, key: str) -> None:
        """Forget the key's bytes; deleting a missing key is not an error."""

    def send(self, key: str, *, public: bool) -> Response:
        """A response carrying the key's file (404 when missing), cacheable by anyone only if `public`."""


class LocalStorage:
    """Files in a folder on this machine (the instance folder by default)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, key: str) -> Path:
        """The file's path for a checked key; StorageError if it would fall outside the root anyway."""
        root = self.root.resolve()
        path = (root / check_key(key)).resolve()
        if root not in path.parents:
            raise StorageError(f"not a storage key: {key!r}")
        return path

    def put(self, data: bytes, *, folder: str, suffix: str) -> str:
        """Write the bytes atomically (temporary file, fsync, rename) under a new random key."""
        if not FOLDER_RE.fullmatch(folder):
            raise StorageError(f"not a storage folder: {folder!r}")
        if not SUFFIX_RE.fullmatch(suffix):
            raise StorageError(f"not a file suffix: {suffix!r}")
        key = f"{folder}/{secrets.token_hex(16)}{suffix}"
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(temporary, 0o640)
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return key

    def read(self, key: str) -> bytes:
        """The file's bytes."""
        return self.path_for(key).read_bytes()

    def exists(self, key: str) -> bool:
        """Whether the file is there."""
        return self.path_for(key).is_file()

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        with contextlib.suppress(FileNotFoundError):
            self.path_for(key).unlink()

    def send(self, key: str, *, public: bool) -> Response:
        """The file as a response: long-lived public caching for public keys, never stored otherwise."""
        path = self.path_for(key)
        if not path.is_file():
            raise NotFound()
        response = send_file(path, mimetype=content_type(key), conditional=True, etag=True,
                             max_age=PUBLIC_MAX_AGE if public else None)
        return _cache_headers(response, public)


def _cache_headers(response: Response, public: bool) -> Response:
    """Long-lived shared caching for a public file; a private file is never kept by any cache."""
    if public:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}, immutable"
    else:
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    return response


def backend() -> Storage:
    """The app's storage: the one installed in app.extensions, else the uploads folder under the instance path."""
    installed = current_app.extensions.get("market.storage")
    if installed is not None:
        return installed  # type: ignore[no-any-return]
    root = current_app.config.get("MARKET_UPLOADS") or Path(current_app.config["MARKET_INSTANCE_PATH"]) / "uploads"
    return LocalStorage(Path(root))


def put(data: bytes, *, folder: str, suffix: str) -> str:
    """Keep the bytes in the folder (e.g. "listings") with the suffix (e.g. ".jpg"); return the new key."""
    return backend().put(data, folder=folder, suffix=suffix)


def read(key: str) -> bytes:
    """The bytes kept under the key."""
    return backend().read(key)


def exists(key: str) -> bool:
    """Whether something is kept under the key."""
    return backend().exists(key)


def delete(key: str) -> None:
    """Forget the key (missing keys are fine: deleting twice is harmless)."""
    backend().delete(key)


def send(key: str, *, public: bool = False) -> Response:
    """The key's file as a Flask response, for an access-checked view to return (private by default:
    `Cache-Control: private, no-store`). Raises NotFound when nothing is kept under the key."""
    return backend().send(check_key(key), public=public)
