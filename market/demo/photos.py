"""Demo listing photos: a simple drawing per category (an apple, a tin of goat-milk powder, a honey jar…),
made with Pillow, always the same picture for the same product, stored through the real upload path."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from market.extensions import db
from market.models import Listing, ListingPhoto
from market.services.outlets.photos import FOLDER
from market.services.uploads import store_image

SIZE = (640, 480)
CLOSE_UP_OUTLET = "LX-O-001"  # its featured listings get a second, close-up photo (a gallery to browse)
BACKGROUNDS = {"apple": "#fbeee8", "goat_milk": "#eef3f8", "honey": "#fff6e0", "walnut": "#f3ece4",
               "pepper": "#fdecea", "other": "#edf5ec"}

Drawer = Callable[[ImageDraw.ImageDraw, int, int, int, int], None]  # draw, centre x, centre y, size, shade


def _apple(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, shade: int) -> None:
    draw.ellipse((x - r, y - r, x + r, y + r), fill=(200 - shade, 30 + shade // 3, 40))
    draw.ellipse((x - r // 2, y - r // 2, x - r // 5, y), fill=(240, 150, 150))
    draw.line((x, y - r, x + r // 6, y - r - r // 3), fill="#5d4037", width=max(3, r // 10))
    draw.ellipse((x + r // 6, y - r - r // 3, x + r // 2 + r // 6, y - r - r // 8), fill="#2e7d32")


def _goat_milk(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, shade: int) -> None:
    draw.rounded_rectangle((x - r, y - r, x + r, y + r), radius=r // 6, fill=(250, 250, 245), outline="#90a4ae",
                           width=4)
    draw.rectangle((x - r, y - r // 4, x + r, y + r // 4), fill=(40 + shade, 110, 180))
    draw.ellipse((x - r // 3, y - r // 2 - r // 3, x + r // 3, y - r // 2), fill="#cfd8dc")


def _honey(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, shade: int) -> None:
    draw.rounded_rectangle((x - r, y - r // 2, x + r, y + r), radius=r // 4, fill=(230, 150 - shade // 2, 20))
    draw.rectangle((x - r * 2 // 3, y - r, x + r * 2 // 3, y - r // 2), fill="#8d6e63")
    draw.ellipse((x - r // 2, y, x - r // 5, y + r // 2), fill=(250, 210, 120))


def _walnut(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, shade: int) -> None:
    y += r // 2  # two nuts lying side by side
    for dx in (-r // 2, r // 2):
        draw.ellipse((x + dx - r // 2, y - r // 2, x + dx + r // 2, y + r // 2), fill=(150 - shade // 2, 105, 60),
                     outline="#5d4037", width=3)
        draw.line((x + dx, y - r // 2, x + dx, y + r // 2), fill="#5d4037", width=3)


def _pepper(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, shade: int) -> None:
    berry = max(8, r // 5)
    for i in range(12):
        bx = x + ((i * 37) % (2 * r)) - r
        by = y + ((i * 53) % (2 * r)) - r
        draw.ellipse((bx - berry, by - berry, bx + berry, by + berry), fill=(180 - shade // 2, 30, 30))
    draw.line((x - r, y - r, x + r // 2, y + r // 2), fill="#33691e", width=4)


def _other(draw: ImageDraw.ImageDraw, x: int, y: int, r: int, shade: int) -> None:
    draw.rounded_rectangle((x - r, y - r * 2 // 3, x + r, y + r * 2 // 3), radius=r // 8, fill=(60, 140 - shade, 70))
    draw.rectangle((x - r // 6, y - r * 2 // 3, x + r // 6, y + r * 2 // 3), fill="#c62828")


DRAWERS: dict[str, Drawer] = {"apple": _apple, "goat_milk": _goat_milk, "honey": _honey, "walnut": _walnut,
                              "pepper": _pepper}


def demo_picture(sku: str, category: str, close_up: bool = False) -> bytes:
    """The PNG drawing of a product: the category's object on its colour, placed and shaded by the SKU."""
    seed = zlib.crc32(sku.encode())
    picture = Image.new("RGB", SIZE, BACKGROUNDS.get(category, "#f5f5f5"))
    draw = ImageDraw.Draw(picture)
    table = SIZE[1] * 3 // 4
    draw.rectangle((0, table, SIZE[0], SIZE[1]), fill="#d7ccc8")
    size = 150 if close_up else 100 + seed % 35
    x = SIZE[0] // 2 + (0 if close_up else seed % 100 - 50)
    DRAWERS.get(category, _other)(draw, x, table - size + size // 8, size, seed % 60)  # standing on the table
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def add_demo_listing_photos(listings: Sequence[Listing]) -> int:
    """Give every product a photo on its listing at the first outlet (by code) that lists it, and featured
    listings of LX-O-001 a second, close-up one; store them as an upload would be. The number of photos."""
    photographed: set[int] = set()
    count = 0
    for listing in sorted(listings, key=lambda item: (item.outlet.code, item.id)):
        pictures = []
        if listing.product_id not in photographed:
            pictures.append(demo_picture(listing.product.sku, listing.product.category.code))
            photographed.add(listing.product_id)
        if listing.featured and listing.outlet.code == CLOSE_UP_OUTLET:
            if not pictures:
                pictures.append(demo_picture(listing.product.sku, listing.product.category.code))
            pictures.append(demo_picture(listing.product.sku, listing.product.category.code, close_up=True))
        for position, data in enumerate(pictures):
            upload = FileStorage(io.BytesIO(data), filename=f"{listing.product.sku}-{position + 1}.png",
                                 content_type="image/png")
            image = store_image(upload, folder=FOLDER)
            db.session.add(ListingPhoto(listing_id=listing.id, key=image.key, thumb_key=image.thumb_key,
                                        width=image.width, height=image.height, position=position))
            count += 1
    db.session.flush()
    return count
