"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from market.models.address import Address
from market.models.audit import AuditEvent
from market.models.calendar import CalendarDay, CalendarYear
from market.models.cart import Cart, CartLine
from market.models.catalog import Category, Product, ProductCertification
from market.models.geo import Town, Village
from market.models.household import Household, Producer
from market.models.institution import Institution
from market.models.invitation import OutletInvitation
from market.models.mail import OutgoingMail
from market.models.offline_sale import OfflineSale, OfflineSaleBatch, OfflineSaleRisk, OfflineSaleSample
from market.models.order import Order, OrderEvent, OrderLine
from market.models.outlet import Listing, Outlet, OutletCertification
from market.models.outlet_application import (
    CodeCounter,
    OutletApplication,
    OutletApplicationEvent,
    OutletApplicationPhoto,
)
from market.models.payment import Payment, PaymentIssue, Refund, RefundLine, WebhookEvent
from market.models.photo import ListingPhoto
from market.models.pricing import ListingPriceTier
from market.models.stock import StockMovement
from market.models.user import InstitutionMembership, OutletMembership, User, UserRole

__all__ = [
    "Address",
    "Cart",
    "CartLine",
    "OfflineSale",
    "OfflineSaleBatch",
    "OfflineSaleRisk",
    "OfflineSaleSample",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Payment",
    "PaymentIssue",
    "Refund",
    "RefundLine",
    "AuditEvent",
    "CalendarDay",
    "CalendarYear",
    "Category",
    "Household",
    "Institution",
    "InstitutionMembership",
    "Listing",
    "ListingPhoto",
    "ListingPriceTier",
    "Outlet",
    "OutletCertification",
    "OutletApplication",
    "OutletApplicationEvent",
    "OutletApplicationPhoto",
    "CodeCounter",
    "OutletInvitation",
    "OutgoingMail",
    "OutletMembership",
    "Producer",
    "Product",
    "ProductCertification",
    "StockMovement",
    "Town",
    "User",
    "UserRole",
    "Village",
    "WebhookEvent",
]
