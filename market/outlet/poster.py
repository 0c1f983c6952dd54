"""The counter QR poster: a printable A4 sheet per outlet, its QR code leading buyers to the shop page."""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from market import clock
from market.outlet import bp
from market.security import acting_user
from market.services.outlets import access
from market.services.outlets import poster as posters


@bp.route("/<code>/poster")
def poster(code: str) -> ResponseReturnValue:
    """The outlet's poster, for any of its staff to print (the print stylesheet makes it one A4 page)."""
    outlet = access.staff_outlet(acting_user(), code) or abort(404)
    shop_url = current_app.config["MARKET_PUBLIC_URL"].rstrip("/") + url_for("storefront.shop", code=outlet.code)
    sheet = posters.poster_for(outlet, clock.today(), shop_url)
    qr = Markup(sheet.qr_svg)  # noqa: S704 - made here by qrcode: paths and fixed attributes, no input text
    return render_template("outlet/poster.html", poster=sheet, outlet=outlet, qr=qr)
