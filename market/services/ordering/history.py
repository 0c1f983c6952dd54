"""The buyer's order history: tab counts in one grouped query, and one page of a tab's orders with their
lines, outlets and product thumbnails in a fixed number of queries (whatever the page holds)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.buyer_tabs import BuyerTab, buyer_tab, default_tab
from market.domain.order_flow import Action, OrderFacts, OrderStatus
from market.domain.paging import Page
from market.extensions import db
from market.models import Category, Listing, Order, Payment, Product, User
from market.payments import get_provider
from market.services.catalog.photos import listing_thumb

PER_PAGE = 10

Group = tuple[str, str, str | None, bool]  # status, fulfilment, payment provider, paid


@dataclass(frozen=True)
class LinePicture:
    """How to draw an order line's product: its listing's first photo thumbnail, else the category drawing."""

    thumb_key: str | None
    category_code: str


@dataclass(frozen=True)
class OrderHistory:
    """One page of one tab of the buyer's orders, with the counts of every tab."""

    tab: BuyerTab
    counts: dict[BuyerTab, int]
    page: Page
    orders: list[Order]
    pictures: dict[int, LinePicture]  # by listing id


@dataclass(frozen=True)
class Closing:
    """Why a cancelled order was cancelled, and the outlet's reason when the outlet cancelled it."""

    by: str  # "buyer", "outlet", "payment" (failed or abandoned) or "expiry" (not paid in time)
    note: str | None


def _tab_of(group: Group) -> BuyerTab:
    status, fulfilment, provider, paid = group
    cash = bool(provider and get_provider(provider).pay_at_pickup)
    return buyer_tab(OrderFacts(status=status, fulfilment=fulfilment, pay_at_pickup=cash, paid=paid))


def _groups(user: User) -> dict[Group, int]:
    """The user's orders counted by the facts that decide their tab, in one query."""
    paid = Order.paid_at.is_not(None)
    rows = db.session.execute(
        sa.select(Order.status, Order.fulfilment, Payment.provider, paid, sa.func.count())
        .select_from(Order).outerjoin(Payment, Payment.id == Order.payment_id)
        .where(Order.user_id == user.id)
        .group_by(Order.status, Order.fulfilment, Payment.provider, paid)
    )
    return {(status, fulfilment, provider, bool(is_paid)): n for status, fulfilment, provider, is_paid, n in rows}


def tab_counts(groups: dict[Group, int]) -> dict[BuyerTab, int]:
    """How many orders each tab holds (every tab present, zero when empty)."""
    counts = dict.fromkeys(BuyerTab, 0)
    for group, n in groups.items():
        counts[_tab_of(group)] += n
    return counts


def _in_groups(groups: list[Group]) -> sa.ColumnElement[bool]:
    """SQL: the order (joined to its payment) has one of these combinations of facts."""
    return sa.or_(sa.false(), *(
        sa.and_(Order.status == status, Order.fulfilment == fulfilment,
                Payment.provider.is_(None) if provider is None else Payment.provider == provider,
                Order.paid_at.is_not(None) if paid else Order.paid_at.is_(None))
        for status, fulfilment, provider, paid in groups
    ))


def buyer_history(user: User, tab: BuyerTab | None, page_number: int, per_page: int = PER_PAGE) -> OrderHistory:
    """A page of the user's orders in `tab` (None: the first tab with orders), newest first."""
    groups = _groups(user)
    counts = tab_counts(groups)
    chosen = tab or default_tab(counts)
    page = Page.clamped(page_number, per_page, counts[chosen])
    members = [group for group in groups if _tab_of(group) is chosen]
    orders: list[Order] = []
    if members:
        orders = list(db.session.scalars(
            sa.select(Order).outerjoin(Payment, Payment.id == Order.payment_id)
            .where(Order.user_id == user.id, _in_groups(members))
            .options(so.joinedload(Order.outlet), so.selectinload(Order.lines))
            .order_by(Order.id.desc()).limit(page.size).offset(page.offset)
        ))
    listing_ids = {line.listing_id for order in orders for line in order.lines}
    return OrderHistory(tab=chosen, counts=counts, page=page, orders=orders, pictures=line_pictures(listing_ids))


def line_pictures(listing_ids: set[int]) -> dict[int, LinePicture]:
    """The picture of each listing's product, in one query (none for no listings)."""
    if not listing_ids:
        return {}
    rows = db.session.execute(
        sa.select(Listing.id, listing_thumb(), Category.code)
        .join(Product, Product.id == Listing.product_id).join(Category, Category.id == Product.category_id)
        .where(Listing.id.in_(listing_ids))
    )
    return {listing_id: LinePicture(thumb, code) for listing_id, thumb, code in rows}


def order_pictures(order: Order) -> dict[int, LinePicture]:
    """The pictures of one order's lines (by listing id)."""
    return line_pictures({line.listing_id for line in order.lines})


def closing(order: Order) -> Closing | None:
    """For a cancelled order, who cancelled it and the outlet's reason (from its loaded timeline)."""
    if order.status != OrderStatus.CANCELLED:
        return None
    for event in reversed(order.events):
        if event.action == Action.EXPIRE:
            return Closing("expiry", None)
        if event.action == Action.CANCEL:
            if event.actor_id is None:  # the payment failed or its checkout ran out: the note is internal
                return Closing("payment", None)
            if event.actor_id == order.user_id:
                return Closing("buyer", None)
            return Closing("outlet", event.note)
    return None

