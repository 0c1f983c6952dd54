"""Translated display names for the codes stored in the database (roles, kinds, statuses)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.domain.buyer_tabs import BuyerTab
from market.domain.certification import Lapse
from market.domain.order_flow import OrderStatus
from market.domain.payment_flow import PaymentIssueKind

ROLES = {
    "consumer": _l("Consumer"),
    "institution_buyer": _l("Institution buyer"),
    "outlet_staff": _l("Outlet staff"),
    "county_staff": _l("County staff"),
    "admin": _l("Administrator"),
}
OUTLET_KINDS = {
    "counter": _l("Assistance counter"),
    "hall": _l("Assistance hall"),
    "zone": _l("Assistance zone"),
    "online": _l("Online store"),
}
PRODUCER_KINDS = {
    "household": _l("Household farm"),
    "cooperative": _l("Cooperative"),
    "enterprise": _l("Enterprise"),
}
LAPSES = {
    Lapse.EXPIRED: _l("expired on"),
    Lapse.REVOKED: _l("revoked on"),
    Lapse.PENDING: _l("in force from"),
    Lapse.NEVER: _l("never certified"),
}
HOUSEHOLD_STATUSES = {"lifted": _l("Lifted out of poverty"), "monitored": _l("Under monitoring")}
INSTITUTION_KINDS = {
    "government": _l("Government unit"),
    "soe": _l("State-owned enterprise"),
    "school": _l("School"),
    "union": _l("Trade union"),
    "other": _l("Other"),
}
PROGRAMMES = {
    "local": _l("Local procurement"),
    "su_shaan": _l("Jiangsu–Shaanxi cooperation"),
    "central": _l("Central paired assistance"),
    "other": _l("Other"),
}

ORDER_STATUSES = {
    OrderStatus.PLACED: _l("Placed"),
    OrderStatus.PAID: _l("Paid"),
    OrderStatus.PACKED: _l("Packed"),
    OrderStatus.SHIPPED: _l("Shipped"),
    OrderStatus.READY_FOR_PICKUP: _l("Ready for pickup"),
    OrderStatus.COMPLETED: _l("Completed"),
    OrderStatus.CANCELLED: _l("Cancelled"),
    OrderStatus.REFUND_REQUESTED: _l("Refund requested"),
    OrderStatus.REFUNDED: _l("Refunded"),
}
OUTLET_BUTTONS = {
    "ready": _l("Mark ready for pickup"),
    "pack": _l("Mark packed"),
    "ship": _l("Mark shipped"),
    "complete": _l("Mark completed"),
    "cancel": _l("Cancel order"),
}
ORDER_EVENTS = {  # timeline entries that say more than the status they led to
    "refund": _l("Refunded"),
    "refuse_refund": _l("Refund refused"),
    "late_pay": _l("Paid late"),
    "late_refund": _l("Refunded: paid too late"),
    "expire": _l("Hold expired"),
    "collect": _l("Collected at the counter"),
}
BUYER_TABS = {
    BuyerTab.TO_PAY: _l("To pay"),
    BuyerTab.TO_COLLECT: _l("To collect"),
    BuyerTab.SHIPPED: _l("To receive"),
    BuyerTab.COMPLETED: _l("Completed"),
    BuyerTab.REFUNDS: _l("Refunds"),
    BuyerTab.CANCELLED: _l("Cancelled"),
}
BUYER_ACTIONS = {"cancel": _l("Cancel order"), "complete": _l("Confirm receipt")}
FULFILMENTS = {"pickup": _l("Pickup at the outlet"), "delivery": _l("Delivered to an address")}
PAYMENT_PROVIDERS = {"pickup": _l("Pay at pickup"), "stripe": _l("Online payment")}

PAYMENT_ISSUES = {
    PaymentIssueKind.AMOUNT_MISMATCH: _l("Amount or currency does not match the orders"),
    PaymentIssueKind.UNKNOWN_REFUND: _l("Refund made outside the market"),
    PaymentIssueKind.LATE_PAYMENT_RESERVED: _l("Paid after the order expired: stock reserved again"),
    PaymentIssueKind.LATE_PAYMENT_REFUNDED: _l("Paid after the order expired: refunded automatically"),
    PaymentIssueKind.REFUND_FAILED: _l("Refund failed"),
    PaymentIssueKind.DUPLICATE_PAYMENT: _l("A second payment for orders already paid"),
}

AUDIT_ACTIONS = {
    "user.create": _l("Account created"),
    "user.password_change": _l("Password changed"),
    "user.password_reset": _l("Password reset by emailed link"),
    "role.grant": _l("Role granted"),
    "role.revoke": _l("Role revoked"),
    "payment_issue.resolve": _l("Flagged payment resolved"),
    "user.close": _l("Account closed"),
    "user.sessions_end": _l("Logged out everywhere"),
    "outlet.profile_update": _l("Outlet profile changed"),
    "outlet.invite": _l("Staff member invited"),
    "outlet.invitation_cancel": _l("Staff invitation cancelled"),
    "outlet.invitation_accept": _l("Staff invitation accepted"),
    "outlet.member_add": _l("Staff member added"),
    "outlet.member_attach": _l("Staff member attached by an admin"),
    "outlet.member_role": _l("Staff member's role changed"),
    "outlet.member_remove": _l("Staff member removed"),
    "outlet_application.submit": _l("Outlet application submitted"),
    "outlet_application.withdraw": _l("Outlet application withdrawn"),
    "outlet_application.review": _l("Outlet application reviewed"),
    "outlet_application.put_on_notice": _l("Outlet application put on notice"),
    "outlet_application.return": _l("Outlet application returned for changes"),
    "outlet_application.reject": _l("Outlet application rejected"),
    "outlet_application.certify": _l("Outlet certified"),
    "outlet_application.uphold_objection": _l("Objection upheld: application withdrawn"),
    "offline_sale.verify": _l("Offline sale line verified"),
    "offline_sale.reject": _l("Offline sale line rejected"),
    "offline_sale.reopen": _l("Offline sale line reopened"),
    "offline_sale.correct": _l("Offline sale line corrected"),
    "offline_sale.withdraw": _l("Offline sale line withdrawn"),
    "offline_sale.delete": _l("Offline sale line deleted"),
    "offline_sale_batch.import": _l("Offline sales imported"),
    "offline_sale_batch.withdraw": _l("Offline sales import withdrawn"),
    "calendar.year_seeded": _l("Published holidays entered from the holidays package"),
    "calendar.day_set": _l("Holiday or adjusted working day entered"),
    "calendar.day_removed": _l("Holiday or adjusted working day removed"),
    "calendar.year_published": _l("Year's holidays marked as published"),
    "calendar.year_withdrawn": _l("Year's holidays no longer marked as published"),
}

ALL = {
    "roles": ROLES,
    "outlet_kinds": OUTLET_KINDS,
    "producer_kinds": PRODUCER_KINDS,
    "household_statuses": HOUSEHOLD_STATUSES,
    "institution_kinds": INSTITUTION_KINDS,
    "programmes": PROGRAMMES,
    "order_statuses": ORDER_STATUSES,
    "outlet_buttons": OUTLET_BUTTONS,
    "order_events": ORDER_EVENTS,
    "buyer_actions": BUYER_ACTIONS,
    "buyer_tabs": BUYER_TABS,
    "fulfilments": FULFILMENTS,
    "payment_providers": PAYMENT_PROVIDERS,
    "payment_issues": PAYMENT_ISSUES,
    "audit_actions": AUDIT_ACTIONS,
    "lapses": LAPSES,
}
