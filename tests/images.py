"""Real image files made on the spot for upload tests: good photos and every kind of bad one."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

from PIL import Image
from werkzeug.datastructures import FileStorage

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo(size: tuple[int, int] = (800, 600), fmt: str = "JPEG", mode: str = "RGB", **save: object) -> bytes:
    """A picture with a red left half and a blue right half (so a rotation can be seen), in the format."""
    image = Image.new("RGB", size, (30, 60, 200))
    image.paste((220, 30, 30), (0, 0, size[0] // 2, size[1]))
    if mode == "RGBA":
        image = image.convert("RGBA")
        image.putalpha(Image.linear_gradient("L").resize(size))
    elif mode == "I;16":
        image = image.convert("I").point(lambda v: v * 256).convert("I;16")
    elif mode != "RGB":
        image = image.convert(mode)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps_and_rotation(size: tuple[int, int] = (800, 600)) -> bytes:
    """A JPEG whose EXIF says "rotate 90° clockwise to view" and carries a GPS position and a comment."""
    image = Image.open(io.BytesIO(photo(size)))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (34.0, 53.0, 0.0), 3: "E", 4: (106.0, 51.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"<script>alert(1)</script>")
    return out.getvalue()


def renamed_pdf() -> bytes:
    """A real PDF (one page holding a picture), to be uploaded as photo.jpg."""
    out = io.BytesIO()
    Image.open(io.BytesIO(photo((200, 150)))).save(out, "PDF")
    return out.getvalue()


def truncated_jpeg() -> bytes:
    """A JPEG cut in the middle of its picture data."""
    data = photo((1200, 900), quality=95)
    return data[: len(data) // 2]


def png_bomb(width: int, height: int) -> bytes:
    """A black 1-bit PNG of the given size, compressed to a few kB: the classic decompression bomb."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts))
            + chunk(b"IEND", b""))


def animated(fmt: str) -> bytes:
    """A two-frame animated PNG or WebP."""
    frames = [Image.new("RGB", (120, 90), colour) for colour in ((200, 0, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=200, loop=0)
    return out.getvalue()


def with_zip_appended(size: int = 200 * 1024) -> bytes:
    """A JPEG that is also a ZIP archive: an incompressible file appended after the image's end."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("payload.bin", random.Random(7).randbytes(size))
    return photo((400, 300)) + archive.getvalue()


def noise_png(size: tuple[int, int]) -> bytes:
    """A PNG of random pixels: it does not compress, so its file is about width × height × 3 bytes."""
    pixels = random.Random(3).randbytes(size[0] * size[1] * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", size, pixels).save(out, "PNG", compress_level=1)
    return out.getvalue()


def upload(data: bytes, filename: str = "photo.jpg", content_type: str = "image/jpeg") -> FileStorage:
    """The bytes as the FileStorage a browser's upload becomes."""
    return FileStorage(io.BytesIO(data), filename=filename, content_type=content_type)
