"""The storage module: keys it makes, keys it refuses, atomic writes, and how files are served."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from market import storage
from tests import images


@pytest.fixture
def upload_root(app, tmp_path, monkeypatch) -> Path:
    """An empty upload folder for this test."""
    root = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "MARKET_UPLOADS", str(root))
    return root


def test_put_read_delete_round_trip_under_the_instance_folder_by_default(app, monkeypatch, tmp_path):
    monkeypatch.delitem(app.config, "MARKET_UPLOADS", raising=False)
    monkeypatch.setitem(app.config, "MARKET_INSTANCE_PATH", str(tmp_path))
    key = storage.put(b"abc", folder="listings", suffix=".jpg")
    assert storage.KEY_RE.fullmatch(key) and key.startswith("listings/")
    assert (tmp_path / "uploads" / key).read_bytes() == b"abc" == storage.read(key)
    storage.delete(key)
    storage.delete(key)  # twice is harmless
    assert not storage.exists(key)


def test_every_put_gets_a_new_key_and_leaves_no_temporary_file(app, upload_root):
    keys = {storage.put(b"same", folder="premises/lx-o-001", suffix=".webp") for _ in range(5)}
    assert len(keys) == 5
    assert sorted(p.name for p in (upload_root / "premises" / "lx-o-001").iterdir()) == sorted(
        k.rsplit("/", 1)[1] for k in keys)


def test_a_failed_write_leaves_no_file(app, upload_root, monkeypatch):
    def no_space(fd: int) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OSError):
        storage.put(b"abc", folder="listings", suffix=".jpg")
    assert [p for p in upload_root.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("key", [
    "../secret.jpg", "listings/../../etc/passwd", "/etc/passwd", "listings/..\\x.jpg", "listings/abc.jpg",
    "listings/" + "0" * 32, "Listings/" + "0" * 32 + ".jpg", "listings/" + "0" * 32 + ".jpg/..", "",
    "listings//" + "0" * 32 + ".jpg", "listings/" + "0" * 32 + ".JPG",
])
def test_keys_it_did_not_make_are_refused(app, upload_root, key):
    for use in (storage.read, storage.delete, storage.exists, storage.send):
        with pytest.raises(storage.StorageError):
            use(key)


@pytest.mark.parametrize("folder, suffix", [("..", ".jpg"), ("a/../b", ".jpg"), ("/abs", ".jpg"), ("ok", "jpg"),
                                            ("ok", ".j/g"), ("UPPER", ".jpg"), ("a/b/c/d", ".jpg")])
def test_bad_folders_and_suffixes_are_refused(app, upload_root, folder, suffix):
    with pytest.raises(storage.StorageError):
        storage.put(b"x", folder=folder, suffix=suffix)


def test_a_public_photo_is_served_with_long_caching_its_type_and_nosniff(app, client, upload_root):
    data = images.photo((40, 30))
    key = storage.put(data, folder="listings", suffix=".jpg")
    with client.get(f"/media/{key}") as response:
        assert response.status_code == 200 and response.data == data
        assert response.mimetype == "image/jpeg"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    with client.get(f"/media/{key}", headers={"If-None-Match": response.headers["ETag"]}) as again:
        assert again.status_code == 304
    webp = storage.put(images.photo((40, 30), fmt="WEBP"), folder="listings", suffix=".webp")
    with client.get(f"/media/{webp}") as response:
        assert response.mimetype == "image/webp"


def test_private_files_are_never_served_by_the_public_route(app, client, upload_root):
    key = storage.put(b"premises", folder="premises", suffix=".jpg")
    assert client.get(f"/media/{key}").status_code == 404
    assert client.get("/media/../instance/dev-secret-key").status_code == 404
    assert client.get("/media/listings/" + "0" * 32 + ".jpg").status_code == 404  # no such file


def test_send_serves_a_private_file_that_no_cache_keeps(app, upload_root):
    key = storage.put(b"receipt", folder="premises", suffix=".jpg")
    with app.test_request_context(), storage.send(key) as response:
        response.direct_passthrough = False
        assert response.get_data() == b"receipt"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == "image/jpeg"


def test_another_backend_replaces_the_folder_without_touching_callers(app, monkeypatch):
    class MemoryStorage:
        def __init__(self) -> None:
            self.objects: dict[str, bytes] = {}

        def put(self, data: bytes, *, folder: str, suffix: str) -> str:
            key = f"{folder}/{len(self.objects):032x}{suffix}"
            self.objects[key] = data
            return key

        def read(self, key: str) -> bytes:
            return self.objects[key]

    memory = MemoryStorage()
    monkeypatch.setitem(app.extensions, "market.storage", memory)
    key = storage.put(b"in the bucket", folder="listings", suffix=".jpg")
    assert storage.read(key) == b"in the bucket" and memory.objects == {key: b"in the bucket"}
