"""Applying for outlet certification, called directly: codes, the form's checks, the two county people, the
notice that alone writes the certificate and grants the role, renewals and changes."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from market.domain.outlet_application import ApplicationAction, ApplicationPurpose
from market.extensions import db
from market.models import AuditEvent, OutletCertification, OutletMembership
from market.services.errors import ServiceError
from market.services.outlets import applications, decisions
from tests.factories import OutletFactory, TownFactory, UserFactory
from tests.outlet_application_setup import (
    COOPERATIVE,
    INDIVIDUAL,
    NOW,
    SOCIAL_ORGANISATION,
    TODAY,
    WRONG_CHECK_DIGIT,
    county_pair,
    details,
    on_notice,
    png,
    submitted,
)


def test_a_new_application_makes_its_outlet_and_code_but_no_membership_or_role(db_session):
    OutletFactory(code="LX-O-007")
    applicant = UserFactory()
    application = applications.start_new(applicant, details(TownFactory()))
    assert application.status == "draft" and application.purpose == "new"
    assert application.outlet.code == "LX-O-008"  # above every code in use
    assert application.outlet.certifications == [] and application.credit_code == "91610327MA6X8K2Q02"
    assert application.bank_account_number == "2707123456789012"
    assert db_session.scalar(sa.select(sa.func.count()).select_from(OutletMembership)) == 0
    assert "outlet_staff" not in applicant.role_names


def test_a_withdrawn_applications_code_is_never_handed_out_again(db_session):
    applicant, town = UserFactory(), TownFactory()
    first = applications.start_new(applicant, details(town))
    applications.withdraw(first, applicant)
    second = applications.start_new(applicant, details(town))
    assert first.status == "withdrawn" and first.outlet.code == "LX-O-001"
    assert second.outlet.code == "LX-O-002"


@pytest.mark.parametrize(("changes", "field"), [
    ({"credit_code": WRONG_CHECK_DIGIT}, "credit_code"),
    ({"credit_code": SOCIAL_ORGANISATION}, "credit_code"),
    ({"credit_code": "91610327"}, "credit_code"),
    ({"contact_phone": "12345"}, "contact_phone"),
    ({"floor_area_m2": 0}, "floor_area_m2"),
    ({"bank_account_number": "12ab"}, "bank_account_number"),
    ({"name_zh": "  "}, "name_zh"),
    ({"kind": "kiosk"}, "kind"),
    ({"town_id": 999999}, "town_id"),
])
def test_the_form_is_refused_at_the_field_at_fault(db_session, changes, field):
    with pytest.raises(ServiceError) as refused:
        applications.start_new(UserFactory(), details(TownFactory(), **changes))
    assert refused.value.field == field


@pytest.mark.parametrize("code", [INDIVIDUAL, COOPERATIVE, " 93610327ma6x8k2q0u "])
def test_individual_businesses_and_cooperatives_may_apply(db_session, code):
    application = applications.start_new(UserFactory(), details(TownFactory(), credit_code=code))
    assert application.credit_code == code.strip().upper()


def test_submitting_needs_the_pledge_and_a_photo(db_session):
    applicant = UserFactory()
    application = applications.start_new(applicant, details(TownFactory()))
    with pytest.raises(ServiceError) as no_photo:
        applications.submit(application, applicant, True, NOW)
    applications.add_photos(application, applicant, [png(), png("b.png")])
    with pytest.raises(ServiceError) as no_pledge:
        applications.submit(application, applicant, False, NOW)
    applications.submit(application, applicant, True, NOW)
    assert (no_photo.value.field, no_pledge.value.field) == ("photos", "pledge")
    assert application.status == "submitted" and application.pledged_at == NOW
    assert [e.action for e in application.events] == ["create", "submit"]


def test_at_most_five_photos_and_a_refused_file_keeps_none_of_its_batch(db_session, app_uploads):
    applicant = UserFactory()
    application = applications.start_new(applicant, details(TownFactory()))
    applications.add_photos(application, applicant, [png(f"{n}.png") for n in range(4)])
    pdf = FileStorage(stream=io.BytesIO(b"%PDF-1.4 not a picture"), filename="shop.png", content_type="image/png")
    with pytest.raises(ServiceError) as refused:
        applications.add_photos(application, applicant, [pdf])
    with pytest.raises(ServiceError) as too_many:
        applications.add_photos(application, applicant, [png(), png()])
    assert refused.value.field == too_many.value.field == "photos"
    assert len(application.photos) == 4 and len(stored_files(app_uploads)) == 8  # photo and thumbnail each


def test_only_the_applicant_changes_or_withdraws_and_only_while_allowed(db_session):
    application = submitted()
    stranger = UserFactory()
    with pytest.raises(ServiceError):
        applications.withdraw(application, stranger)
    with pytest.raises(ServiceError):  # submitted: no more editing
        applications.update(application, application.applicant, details(application.town))
    reviewer, _approver = county_pair()
    decisions.review(reviewer, application, "材料齐全", NOW)
    with pytest.raises(ServiceError):  # reviewed: too late to withdraw
        applications.withdraw(application, application.applicant)


def test_review_and_decision_need_two_different_people_and_an_admin_only_decides(db_session):
    application = submitted()
    reviewer, approver = county_pair()
    admin = UserFactory(roles_given=("admin",))
    with pytest.raises(ServiceError):
        decisions.review(admin, application, "ok", NOW)
    with pytest.raises(ServiceError):  # nobody has reviewed it yet
        decisions.decide(approver, application, ApplicationAction.REJECT, "不符合", NOW, TODAY)
    decisions.review(reviewer, application, "材料齐全", NOW)
    with pytest.raises(ServiceError):
        decisions.decide(reviewer, application, ApplicationAction.REJECT, "不符合", NOW, TODAY)
    with pytest.raises(ServiceError) as no_reason:
        decisions.decide(admin, application, ApplicationAction.RETURN, " ", NOW, TODAY)
    decisions.decide(admin, application, ApplicationAction.RETURN, "请补充营业执照照片", NOW, TODAY)
    assert no_reason.value.field == "reason"
    assert (application.status, application.reviewer_id, application.approver_id) == ("returned", reviewer.id,
                                                                                      admin.id)
    assert application.events[-1].reason == "请补充营业执照照片"


def test_nobody_reviews_their_own_application(db_session):
    county_applicant = UserFactory(roles_given=("county_staff",))
    application = submitted(county_applicant)
    with pytest.raises(ServiceError):
        decisions.review(county_applicant, application, "ok", NOW)


def test_a_returned_application_is_edited_and_submitted_again(db_session):
    application = submitted()
    reviewer, approver = county_pair()
    decisions.review(reviewer, application, "ok", NOW)
    decisions.decide(approver, application, ApplicationAction.RETURN, "地址写详细", NOW, TODAY)
    applications.update(application, application.applicant, details(application.town, address="陇县城关镇东大街1号2楼"))
    applications.submit(application, application.applicant, True, NOW)
    assert application.status == "submitted" and application.outlet.address == "陇县城关镇东大街1号2楼"
    assert application.reviewer_id == reviewer.id  # the next review replaces it


def test_the_certificate_is_written_only_when_the_notice_closes(db_session):
    application = on_notice(submitted(), *county_pair(), starts_on=date(2026, 12, 1))
    assert application.status == "on_notice" and application.outlet.certifications == []
    assert "outlet_staff" not in application.applicant.role_names
    with pytest.raises(ServiceError):  # the notice runs to 9 December
        decisions.close_notice(application, date(2026, 12, 9))
    with pytest.raises(ServiceError):
        decisions.close_notice(application, date(2026, 12, 10), open_objection=True)
    certificate = decisions.close_notice(application, date(2026, 12, 10))
    assert application.status == "certified" and certificate is not None
    assert (certificate.number, certificate.valid_from, certificate.valid_to) == (
        "LXXF-2026-001", date(2026, 12, 11), date(2028, 12, 31))  # the day after the notice closed
    assert application.outlet.certified_on(date(2026, 12, 11)) and not application.outlet.certified_on(TODAY)


def test_the_role_and_ownership_come_with_the_certificate_granted_by_the_system(db_session):
    application = on_notice(submitted(), *county_pair(), starts_on=date(2027, 1, 1))
    certificate = decisions.close_notice(application, date(2026, 12, 10))
    applicant = application.applicant
    assert certificate.valid_from == date(2027, 1, 1)  # the chosen day, later than the day after the notice
    assert (application.outlet.opening_hours, application.outlet.shop_phone) == ("08:00-20:00", "13800001234")
    assert "outlet_staff" in applicant.role_names
    membership = db_session.scalar(sa.select(OutletMembership).where(OutletMembership.user_id == applicant.id))
    assert membership.outlet_id == application.outlet_id and membership.is_owner
    grant = db_session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "role.grant"))
    assert grant.actor_id is None and grant.after["role"] == "outlet_staff"


def test_an_objection_upheld_withdraws_the_application_and_certifies_nothing(db_session):
    application = on_notice(submitted(), *county_pair())
    with pytest.raises(ServiceError):
        decisions.close_notice(application, date(2026, 12, 10), objection_upheld=True)
    closed = decisions.close_notice(application, date(2026, 12, 10), objection_upheld=True, reason="经营者信息不实")
    assert closed is None
    assert application.status == "withdrawn" and application.outlet.certifications == []
    assert "outlet_staff" not in application.applicant.role_names


def owned_outlet(valid_to: date) -> tuple[object, object]:
    """A certified outlet whose certificate ends on `valid_to`, and its owner."""
    owner = UserFactory(roles_given=("consumer", "outlet_staff"))
    outlet = OutletFactory(town=TownFactory(), certifications=[
        OutletCertification(number="LXXF-2024-001", valid_from=date(2024, 1, 1), valid_to=valid_to)])
    db.session.add(OutletMembership(user_id=owner.id, outlet_id=outlet.id, is_owner=True))
    db.session.flush()
    return outlet, owner


def test_renewal_opens_sixty_days_before_expiry_and_gives_a_second_certificate(db_session):
    outlet, owner = owned_outlet(TODAY + timedelta(days=61))
    form = details(outlet.town)
    with pytest.raises(ServiceError):
        applications.start_for_outlet(owner, outlet, ApplicationPurpose.RENEWAL, form, TODAY)
    later = TODAY + timedelta(days=1)
    with pytest.raises(ServiceError):  # only an owner
        applications.start_for_outlet(UserFactory(), outlet, ApplicationPurpose.RENEWAL, form, later)
    renewal = applications.start_for_outlet(owner, outlet, ApplicationPurpose.RENEWAL, form, later)
    with pytest.raises(ServiceError):  # one application in progress per outlet
        applications.start_for_outlet(owner, outlet, ApplicationPurpose.CHANGE, form, later)
    applications.add_photos(renewal, owner, [png()])
    applications.submit(renewal, owner, True, NOW)
    on_notice(renewal, *county_pair(), starts_on=TODAY + timedelta(days=62), ends_on=date(2030, 12, 31))
    certificate = decisions.close_notice(renewal, date(2026, 12, 10))
    assert renewal.outlet is outlet and certificate.valid_from == TODAY + timedelta(days=62)
    assert [c.number for c in outlet.certifications] == ["LXXF-2024-001", "LXXF-2027-001"]


def test_a_change_updates_the_certified_details_only_when_certified(db_session):
    outlet, owner = owned_outlet(date(2028, 12, 31))
    change = applications.start_for_outlet(owner, outlet, ApplicationPurpose.CHANGE,
                                           details(outlet.town, name_zh="城关镇消费帮扶馆", kind="hall"), TODAY)
    applications.submit(change, owner, True, NOW)  # a change needs no premises photo
    on_notice(change, *county_pair())
    assert outlet.name != "城关镇消费帮扶馆"
    assert decisions.close_notice(change, date(2026, 12, 10)) is None
    assert (outlet.name, outlet.kind, len(outlet.certifications)) == ("城关镇消费帮扶馆", "hall", 1)


def test_the_applicant_is_mailed_at_each_decision_once_it_is_committed(db_session, migrated_app):
    outbox = Path(migrated_app.config["MARKET_OUTBOX"])
    before = set(outbox.glob("*.eml")) if outbox.exists() else set()
    application = submitted()
    reviewer, approver = county_pair()
    decisions.review(reviewer, application, "材料齐全", NOW)
    db_session.rollback()  # a decision rolled back mails nobody
    application = submitted()
    decisions.review(reviewer, application, "材料齐全", NOW)
    decisions.decide(approver, application, ApplicationAction.REJECT, "不在本县", NOW, TODAY)
    db_session.commit()
    mails = [p.read_text() for p in set(outbox.glob("*.eml")) - before]
    assert len(mails) == 2 and all(application.applicant.email in m for m in mails)


def test_only_the_applicant_the_outlets_staff_and_county_staff_see_the_photos(db_session):
    application = submitted()
    photo = application.photos[0]
    county = UserFactory(roles_given=("county_staff",))
    assert applications.visible_photo(application.applicant, application.id, photo.id) is photo
    assert applications.visible_photo(county, application.id, photo.id) is photo
    assert applications.visible_photo(UserFactory(), application.id, photo.id) is None
    assert applications.visible_photo(application.applicant, application.id + 1, photo.id) is None


def stored_files(root: Path) -> list[Path]:
    """The files kept under the uploads folder."""
    return [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")]


@pytest.fixture
def app_uploads(db_session, tmp_path):
    """An empty uploads folder for this test."""
    from flask import current_app

    current_app.config["MARKET_UPLOADS"] = str(tmp_path)
    yield tmp_path
    current_app.config.pop("MARKET_UPLOADS")
