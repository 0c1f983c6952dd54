"""Uploaded images: what is stored is a clean re-encoding; every kind of bad file is refused and leaves nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from market import storage
from market.services import uploads
from market.services.errors import ServiceError
from tests import images


@pytest.fixture
def upload_root(app, tmp_path, monkeypatch) -> Path:
    """An empty upload folder for this test."""
    root = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "MARKET_UPLOADS", str(root))
    return root


def files_in(root: Path) -> list[Path]:
    """Every file under the folder, temporary ones included."""
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def stored(key: str) -> Image.Image:
    """The stored file, decoded."""
    return Image.open(io.BytesIO(storage.read(key)))


def test_a_photo_is_stored_re_encoded_with_a_webp_thumbnail(app, upload_root):
    result = uploads.store_image(images.upload(images.photo((3200, 2400))), folder="listings")
    assert (result.width, result.height) == (1600, 1200)
    assert result.content_type == "image/jpeg" and result.key.endswith(".jpg")
    main, thumb = stored(result.key), stored(result.thumb_key)
    assert (main.format, main.size) == ("JPEG", (1600, 1200))
    assert (thumb.format, thumb.size) == ("WEBP", (400, 300))
    assert sorted(p.relative_to(upload_root).as_posix() for p in files_in(upload_root)) == sorted(
        [result.key, result.thumb_key])


def test_exif_orientation_is_applied_and_exif_gps_and_comments_are_dropped(app, upload_root):
    result = uploads.store_image(images.upload(images.jpeg_with_gps_and_rotation((800, 600))), folder="listings")
    main = stored(result.key)
    assert main.size == (600, 800) == (result.width, result.height)  # turned upright
    assert main.getpixel((300, 50))[0] > 150 > main.getpixel((300, 750))[0]  # the red half is now on top
    assert not main.getexif() and "exif" not in main.info and "comment" not in main.info
    raw = storage.read(result.key)
    assert b"Exif" not in raw and b"PhoneMaker" not in raw and b"<script>" not in raw


@pytest.mark.parametrize("data, content_type", [
    (images.photo(fmt="PNG"), "image/jpeg"),
    (images.photo(fmt="WEBP"), "image/jpeg"),
    (images.photo(fmt="PNG", mode="L"), "image/jpeg"),
    (images.photo(fmt="PNG", mode="P"), "image/jpeg"),
    (images.photo(fmt="PNG", mode="RGBA"), "image/webp"),  # see-through pixels keep their transparency
], ids=["png", "webp", "grey-png", "palette-png", "transparent-png"])
def test_png_and_webp_are_accepted(app, upload_root, data, content_type):
    result = uploads.store_image(images.upload(data, "photo.png", "image/png"), folder="listings")
    assert result.content_type == content_type
    assert stored(result.key).format == {"image/jpeg": "JPEG", "image/webp": "WEBP"}[content_type]
    assert storage.content_type(result.key) == content_type


def test_small_trailing_bytes_pass_but_are_not_stored(app, upload_root):
    result = uploads.store_image(images.upload(images.photo() + b"<html>" * 100), folder="listings")
    assert b"<html>" not in storage.read(result.key)


REFUSED = {
    "renamed PDF": (images.renamed_pdf(), "not a JPEG, PNG or WebP"),
    "truncated JPEG": (images.truncated_jpeg(), "damaged or incomplete"),
    "decompression bomb (48 megapixels)": (images.png_bomb(8000, 6000), "more than 40 megapixels"),
    "decompression bomb (400 megapixels)": (images.png_bomb(20000, 20000), "more than 40 megapixels"),
    "animated PNG": (images.animated("PNG"), "Animated"),
    "animated WebP": (images.animated("WEBP"), "Animated"),
    "CMYK JPEG": (images.photo(mode="CMYK"), "CMYK"),
    "16-bit grey PNG": (images.photo(fmt="PNG", mode="I;16"), "unusual colour format"),
    "JPEG that is also a ZIP": (images.with_zip_appended(), "other data after the picture"),
    "over 5 MB": (images.noise_png((1400, 1400)), "larger than 5 MB"),
    "empty file": (b"", "empty"),
    "text file": (b"hello, this is not a picture\n" * 10, "not a JPEG, PNG or WebP"),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_bad_file_is_refused_with_a_clear_message_and_nothing_is_stored(app, upload_root, name):
    data, message = REFUSED[name]
    with pytest.raises(ServiceError) as refused:
        uploads.store_image(images.upload(data), folder="listings", field="photos")
    assert message in str(refused.value.message)
    assert refused.value.field == "photos"
    assert files_in(upload_root) == []


def test_no_file_chosen_is_refused(app, upload_root):
    with pytest.raises(ServiceError, match="Choose a photo"):
        uploads.store_image(images.upload(b"", filename=""), folder="listings")
    with pytest.raises(ServiceError, match="Choose a photo"):
        uploads.store_image(None, folder="listings")


def test_a_bomb_is_refused_from_its_header_before_any_pixel_is_decoded(app, upload_root, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("pixels decoded")

    monkeypatch.setattr(Image.Image, "load", never)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", never)
    with pytest.raises(ServiceError, match="40 megapixels"):
        uploads.store_image(images.upload(images.png_bomb(8000, 6000)), folder="listings")


@pytest.mark.parametrize("data, fmt, cut", [
    (images.photo(), "JPEG", 0), (images.photo(fmt="PNG"), "PNG", 0), (images.photo(fmt="WEBP"), "WEBP", 0),
    (images.photo(), "JPEG", 5), (images.photo(fmt="PNG"), "PNG", 5), (images.photo(fmt="WEBP"), "WEBP", 5),
])
def test_the_image_end_is_found_and_a_cut_file_has_none(data, fmt, cut):
    assert uploads.image_end(data + b"trailer", fmt) == len(data)
    if cut:
        assert uploads.image_end(data[:-cut], fmt) is None


def test_an_mpo_style_jpeg_followed_by_another_jpeg_ends_after_both():
    first, second = images.photo((80, 60)), images.photo((40, 30))
    assert uploads.image_end(first + second + b"x", "JPEG") == len(first) + len(second)


def test_a_failed_second_write_leaves_nothing(app, upload_root, monkeypatch):
    real_put = storage.LocalStorage.put
    calls = []

    def failing_put(self, data, *, folder, suffix):
        calls.append(suffix)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_put(self, data, folder=folder, suffix=suffix)

    monkeypatch.setattr(storage.LocalStorage, "put", failing_put)
    with pytest.raises(OSError):
        uploads.store_image(images.upload(images.photo()), folder="listings")
    assert files_in(upload_root) == []


def test_files_let_go_of_are_deleted_only_when_the_transaction_commits(app, upload_root):
    from market.extensions import db

    key = storage.put(b"x", folder="listings", suffix=".jpg")
    uploads.delete_after_commit(db.session(), [key])
    db.session.rollback()
    db.session.commit()
    assert storage.exists(key)  # the rolled-back transaction deleted nothing, nor did the next one
    uploads.delete_after_commit(db.session(), [key])
    with db.session.begin_nested():  # a released savepoint is no commit of the transaction
        pass
    assert storage.exists(key)
    db.session.rollback()
    assert storage.exists(key)
    uploads.delete_after_commit(db.session(), [key])
    db.session.commit()
    assert not storage.exists(key)
