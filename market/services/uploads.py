"""Uploaded images: read, checked, decoded and fully re-encoded with Pillow before anything is stored.

What is stored is never the uploaded file: it is a new JPEG (a WebP when the picture has transparency)
drawn from the decoded pixels, at most 1600 px on its longest side, with EXIF orientation applied and every
piece of metadata (EXIF, GPS, XMP, comments) left behind, plus a 400 px WebP thumbnail. Whatever the upload
hid (a script in a comment, a ZIP after the image) is therefore not in the stored file; on top of that, a
file with much data after the image's end is refused outright. Colours in an embedded ICC profile (a
phone's Display P3) are converted to sRGB, since the profile is not kept.

Refused, with a message for the person uploading and nothing stored: an empty upload, more than 5 MB,
anything that does not decode as JPEG, PNG or WebP (a renamed PDF), more than 40 megapixels (checked from
the header, before any pixel is decoded: a decompression bomb never gets decoded), a truncated or damaged
file, an animated PNG or WebP, CMYK and other unusual colour modes (we refuse CMYK rather than convert it:
print files' colours come out wrong without their press profile, and the uploader can export RGB).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy import orm as so
from werkzeug.datastructures import FileStorage

from market import storage
from market.services.errors import ServiceError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 1600
THUMB_SIDE = 400
MAX_TRAILING_BYTES = 64 * 1024  # after the image's end; a camera's small trailer passes, an appended file not
FORMATS = ("JPEG", "PNG", "WEBP")  # decoders Pillow may try; MPO (a multi-picture JPEG) comes through JPEG
MODES = frozenset({"1", "L", "LA", "P", "PA", "RGB", "RGBA"})
JPEG_QUALITY = 85
WEBP_QUALITY = 82


@dataclass(frozen=True)
class StoredImage:
    """A stored, re-encoded image and its thumbnail, as storage keys."""

    key: str
    thumb_key: str
    width: int
    height: int
    content_type: str


def store_image(upload: FileStorage | None, *, folder: str, field: str = "photo") -> StoredImage:
    """Check, re-encode and store one uploaded image in the storage folder; ServiceError(message, field)
    for anything refused, in which case nothing is stored."""
    data = _read(upload, field)
    picture = _decode(data, field)
    main, content_type, suffix = _encode_main(picture)
    thumb = _encode_thumb(picture)
    key = storage.put(main, folder=folder, suffix=suffix)
    try:
        thumb_key = storage.put(thumb, folder=folder, suffix=".webp")
    except BaseException:
        storage.delete(key)
        raise
    return StoredImage(key=key, thumb_key=thumb_key, width=picture.width, height=picture.height,
                       content_type=content_type)


def _read(upload: FileStorage | None, field: str) -> bytes:
    """The upload's bytes, refusing an empty one or one over MAX_BYTES (read no further than that)."""
    if upload is None:
        raise ServiceError(_l("Choose a photo to upload."), field)
    data = upload.stream.read(MAX_BYTES + 1)
    if not data and not upload.filename:
        raise ServiceError(_l("Choose a photo to upload."), field)
    if not data:
        raise ServiceError(_l("The file is empty: choose a photo to upload."), field)
    if len(data) > MAX_BYTES:
        raise ServiceError(_l("The photo is larger than 5 MB: choose a smaller one."), field)
    return data


def _decode(data: bytes, field: str) -> Image.Image:
    """The checked, fully decoded picture, upright, in RGB, RGBA or L; ServiceError for anything refused."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:  # a process-wide switch some library could flip: refuse to run with it
        raise RuntimeError("PIL.ImageFile.LOAD_TRUNCATED_IMAGES must stay off to refuse truncated uploads")
    damaged = ServiceError(_l("The photo is damaged or incomplete: take or export it again."), field)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
        except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            if isinstance(exc, UnidentifiedImageError):
                raise ServiceError(_l("This file is not a JPEG, PNG or WebP photo."), field) from None
            raise _too_many_pixels(field) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise damaged from None
        if image.width * image.height > MAX_PIXELS:  # from the header, before a pixel is decoded
            raise _too_many_pixels(field)
        if image.format in ("PNG", "WEBP") and getattr(image, "is_animated", False):
            raise ServiceError(_l("Animated images cannot be used: upload a still photo."), field)
        if image.mode == "CMYK":
            raise ServiceError(_l("The photo uses CMYK print colours: export it as an RGB JPEG or PNG."), field)
        if image.mode not in MODES:
            raise ServiceError(_l("The photo uses an unusual colour format: export it as a JPEG or PNG."), field)
        end = image_end(data, image.format or "")
        if end is None:
            raise damaged
        if len(data) - end > MAX_TRAILING_BYTES:
            raise ServiceError(_l("The file carries %(kb)d kB of other data after the picture (a motion photo's "
                                  "video, or another file): save it as a plain photo.",
                                  kb=(len(data) - end) // 1024), field)
        try:
            if image.format in ("JPEG", "MPO"):
                image.draft(image.mode, (LONGEST_SIDE, LONGEST_SIDE))  # decode big JPEGs at a reduced scale
            image.load()
        except (OSError, SyntaxError, ValueError, EOFError):
            raise damaged from None
    return _normalise(image)


def _too_many_pixels(field: str) -> ServiceError:
    return ServiceError(_l("The photo has more than 40 megapixels: choose a smaller one."), field)


def _normalise(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation), sRGB, in RGB, RGBA (only if some pixel is see-through) or L, no metadata."""
    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image) or image
    transparent = upright.mode in ("LA", "PA", "RGBA") or (upright.mode == "P" and "transparency" in upright.info)
    if transparent:
        picture = upright.convert("RGBA")
        if picture.getchannel("A").getextrema() == (255, 255):
            picture = picture.convert("RGB")
    elif upright.mode in ("1", "L"):
        picture = upright.convert("L")
    else:
        picture = upright.convert("RGB")
    if icc and picture.mode in ("RGB", "RGBA"):
        # A broken or grey profile: keep the pixels as they are.
        with contextlib.suppress(ImageCms.PyCMSError, OSError, ValueError, TypeError):
            picture = ImageCms.profileToProfile(picture, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                                                ImageCms.createProfile("sRGB"), outputMode=picture.mode)
    picture.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    picture.info = {}
    return picture


def _encode_main(picture: Image.Image) -> tuple[bytes, str, str]:
    """The stored picture: (bytes, content type, suffix); JPEG, or WebP to keep transparency."""
    out = io.BytesIO()
    if picture.mode == "RGBA":
        picture.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
        return out.getvalue(), "image/webp", ".webp"
    picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue(), "image/jpeg", ".jpg"


def _encode_thumb(picture: Image.Image) -> bytes:
    """The 400 px WebP thumbnail for cards and lists."""
    thumb = picture.convert("RGBA" if picture.mode == "RGBA" else "RGB")
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumb.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return out.getvalue()


def image_end(data: bytes, image_format: str) -> int | None:
    """Where the image's own bytes end (a file's length when nothing follows); None when its structure is
    cut short or broken. JPEG: after EOI (and after any JPEG streams following it, as in MPO files);
    PNG: after the IEND chunk; WebP: the RIFF container's declared length."""
    if image_format in ("JPEG", "MPO"):
        end = _jpeg_end(data, 0)
        while end is not None and data[end:end + 2] == b"\xff\xd8":
            following = _jpeg_end(data, end)
            if following is None:
                break
            end = following
        return end
    if image_format == "PNG":
        i = 8
        while i + 12 <= len(data):
            length = int.from_bytes(data[i:i + 4], "big")
            chunk, i = data[i + 4:i + 8], i + 12 + length
            if chunk == b"IEND":
                return i if i <= len(data) else None
        return None
    if image_format == "WEBP" and len(data) >= 12:
        end = 8 + int.from_bytes(data[4:8], "little")
        return end if end <= len(data) else None
    return None


def _jpeg_end(data: bytes, start: int) -> int | None:
    """The index after the EOI marker of the JPEG stream at `start`, walking its segments and scans."""
    n = len(data)
    if data[start:start + 2] != b"\xff\xd8":
        return None
    i = start + 2
    while i < n:
        if data[i] != 0xFF:
            return None
        while i < n and data[i] == 0xFF:  # fill bytes before a marker
            i += 1
        if i >= n:
            return None
        marker = data[i]
        i += 1
        if marker == 0xD9:
            return i
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            continue
        if i + 2 > n:
            return None
        i += int.from_bytes(data[i:i + 2], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next real marker
            while True:
                j = data.find(b"\xff", i)
                if j < 0 or j + 1 >= n:
                    return None
                following = data[j + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:  # a stuffed byte or a restart marker
                    i = j + 2
                    continue
                if following == 0xFF:
                    i = j + 1
                    continue
                i = j
                break
    return None


def delete_after_commit(session: so.Session, keys: Iterable[str]) -> None:
    """Delete the stored files once the session's transaction commits (a removed photo's files), so a
    transaction that rolls back never leaves a row pointing at deleted files."""
    session.connection()  # inside a transaction, so that its rollback forgets these keys
    session.info.setdefault(_PENDING, []).extend(keys)


_PENDING = "market.storage.delete_after_commit"


@event.listens_for(so.Session, "after_commit")
def _delete_pending(session: so.Session) -> None:
    """Delete the files the committed transaction let go of. A released savepoint also fires after_commit:
    its files wait for the real commit, which may still roll back."""
    if session.in_nested_transaction():
        return
    for key in session.info.pop(_PENDING, []):
        storage.delete(key)


@event.listens_for(so.Session, "after_soft_rollback")
def _forget_pending(session: so.Session, previous_transaction: so.SessionTransaction) -> None:
    """A rolled-back transaction deletes nothing: its rows still point at the files."""
    if previous_transaction.parent is None:
        session.info.pop(_PENDING, None)
