"""Outlet certification applications (认定申请): the form as filed, its decisions and its premises photos;
and the counters that hand out outlet codes and certificate numbers that are never reused."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import orm as so

from market.domain.outlet_application import ApplicationPurpose, ApplicationStatus
from market.extensions import db
from market.models.base import UTCDateTime, created_column, enum_check, id_column
from market.models.geo import Town
from market.models.outlet import Outlet

if TYPE_CHECKING:
    from market.models.user import User


class OutletApplication(db.Model):
    """One application for an outlet: new, renewal or a change of certified fields, through one state machine."""

    __tablename__ = "outlet_applications"
    __table_args__ = (
        enum_check("status", ApplicationStatus, name="status_known"),
        enum_check("purpose", ApplicationPurpose, name="purpose_known"),
        sa.CheckConstraint("kind IN ('counter', 'hall', 'zone', 'online')", name="kind_known"),
        sa.CheckConstraint("floor_area_m2 > 0", name="floor_area_positive"),
    )

    id: so.Mapped[int] = id_column()
    outlet_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("outlets.id"), index=True)
    applicant_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    purpose: so.Mapped[str] = so.mapped_column(sa.String(16), default=ApplicationPurpose.NEW,
                                               server_default=ApplicationPurpose.NEW.value)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default=ApplicationStatus.DRAFT,
                                              server_default=ApplicationStatus.DRAFT.value)
    # The form as filed.
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    name_zh: so.Mapped[str] = so.mapped_column(sa.String(80))
    name_en: so.Mapped[str | None] = so.mapped_column(sa.String(80))
    address: so.Mapped[str] = so.mapped_column(sa.String(200))
    town_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("towns.id"))
    floor_area_m2: so.Mapped[int] = so.mapped_column(sa.Integer)
    operator: so.Mapped[str] = so.mapped_column(sa.String(80))
    credit_code: so.Mapped[str] = so.mapped_column(sa.String(18))
    legal_representative: so.Mapped[str] = so.mapped_column(sa.String(40))
    contact_phone: so.Mapped[str] = so.mapped_column(sa.String(20))
    opening_hours: so.Mapped[str] = so.mapped_column(sa.String(80))
    bank_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    bank_account_name: so.Mapped[str] = so.mapped_column(sa.String(80))
    bank_account_number: so.Mapped[str] = so.mapped_column(sa.String(34))
    pledged_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())  # 如实申报承诺, ticked at submitting
    # The county's decisions (the two people, the certificate dates chosen, the notice).
    reviewer_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    approver_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    starts_on: so.Mapped[date | None] = so.mapped_column(sa.Date)  # chosen first day of the certificate
    ends_on: so.Mapped[date | None] = so.mapped_column(sa.Date)  # chosen last day
    notice_until: so.Mapped[date | None] = so.mapped_column(sa.Date)  # last day of the public notice
    certification_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("outlet_certifications.id"))
    created_at: so.Mapped[datetime] = created_column()
    submitted_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())
    decided_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime())

    outlet: so.Mapped[Outlet] = so.relationship()
    town: so.Mapped[Town] = so.relationship()
    applicant: so.Mapped[User] = so.relationship(foreign_keys=[applicant_id])
    events: so.Mapped[list[OutletApplicationEvent]] = so.relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="OutletApplicationEvent.id"
    )
    photos: so.Mapped[list[OutletApplicationPhoto]] = so.relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="OutletApplicationPhoto.id"
    )


class OutletApplicationEvent(db.Model):
    """One step in an application's history: the status it led to, who took it, why, and when."""

    __tablename__ = "outlet_application_events"
    __table_args__ = (enum_check("status", ApplicationStatus, name="status_known"),)

    id: so.Mapped[int] = id_column()
    application_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("outlet_applications.id", ondelete="CASCADE"), index=True
    )
    action: so.Mapped[str] = so.mapped_column(sa.String(24))
    status: so.Mapped[str] = so.mapped_column(sa.String(16))
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))  # None: the system
    reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    created_at: so.Mapped[datetime] = created_column()

    application: so.Mapped[OutletApplication] = so.relationship(back_populates="events")
    actor: so.Mapped[User | None] = so.relationship()


class OutletApplicationPhoto(db.Model):
    """A premises photo (private: shown to the applicant, the outlet's staff and county staff only)."""

    __tablename__ = "outlet_application_photos"

    id: so.Mapped[int] = id_column()
    application_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("outlet_applications.id", ondelete="CASCADE"), index=True
    )
    key: so.Mapped[str] = so.mapped_column(sa.String(200))
    thumb_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    width: so.Mapped[int] = so.mapped_column(sa.Integer)
    height: so.Mapped[int] = so.mapped_column(sa.Integer)
    content_type: so.Mapped[str] = so.mapped_column(sa.String(40))
    created_at: so.Mapped[datetime] = created_column()

    application: so.Mapped[OutletApplication] = so.relationship(back_populates="photos")


class CodeCounter(db.Model):
    """The last number handed out for a kind of code (outlet codes, certificate numbers per year): taken with
    one conditional UPDATE, so concurrent applicants never get the same number and none is ever reused."""

    __tablename__ = "code_counters"

    name: so.Mapped[str] = so.mapped_column(sa.String(40), primary_key=True)
    value: so.Mapped[int] = so.mapped_column(sa.Integer)
