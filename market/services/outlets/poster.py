"""The counter QR poster: what an A4 sheet at the counter says, and the QR code of the shop page's address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathFillImage

from market.models import Outlet, OutletCertification


@dataclass(frozen=True)
class Poster:
    """One outlet's poster: its name, kind, certificate in force (if any), hours, shop address and QR code."""

    code: str
    name: str
    kind: str
    certification: OutletCertification | None
    opening_hours: str
    shop_phone: str
    shop_url: str
    qr_svg: str


def qr_svg(text: str) -> str:
    """An SVG QR code of the text: one path on a white square, with a quiet zone of four modules and
    medium error correction; no inline style or script, so it renders under the site's CSP."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                         image_factory=SvgPathFillImage)
    code.add_data(text)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    # The sheet sizes the code by CSS: drop the fixed size in mm, keep the viewBox.
    head, _, rest = svg.partition(">")
    head = " ".join(part for part in head.split(" ") if not part.startswith(("width=", "height=")))
    return head.replace("<svg", '<svg aria-hidden="true" focusable="false" class="qr-code"', 1) + ">" + rest


def poster_for(outlet: Outlet, today: date, shop_url: str) -> Poster:
    """The poster of the outlet as of today, its QR code pointing at `shop_url` (the shop page's absolute URL)."""
    return Poster(code=outlet.code, name=outlet.name, kind=outlet.kind,
                  certification=outlet.current_certification(today), opening_hours=outlet.opening_hours,
                  shop_phone=outlet.shop_phone, shop_url=shop_url, qr_svg=qr_svg(shop_url))
