"""Tripartite agreements: drafting from an offer, signing in order, verification, cancelling."""
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal import events
from portal.accounts.models import GraduateProfile, Role, User
from portal.accounts.service import authenticate
from portal.agreements import ca, signing
from portal.agreements.models import (
    NEXT_STATUS,
    Agreement,
    AgreementCancellation,
    AgreementEvent,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplate,
    CancellationStatus,
    Party,
    PartyCertificate,
    SigningCode,
)
from portal.agreements.pdf import render_agreement_pdf
from portal.agreements.schemas import AgreementTerms
from portal.applications.models import Application, ApplicationEvent, ApplicationStatus
from portal.audit.service import record
from portal.clock import utcnow
from portal.db import locked
from portal.enrolment import service as enrolment
from portal.employers.models import Organization, OrganizationStatus, Recruiter
from portal.errors import Conflict, Forbidden, Invalid, NotAuthenticated, NotFound, TooManyRequests
from portal.notifications.service import email, notify, translate
from portal.positions.models import Position
from portal.scope import is_school_officer, school_officers, scope_of
from portal.settings import Settings
from portal.web import absolute_url

# One-time signing codes: how long one lives, how many tries it allows, how many a signer may ask for.
CODE_LIFETIME = timedelta(minutes=10)
CODE_ATTEMPTS = 5
CODE_LIMIT, CODE_WINDOW = 5, timedelta(hours=1)

# Fabrication signals (被就业): an employer signing this many agreements within this window…
BURST_COUNT = 5
BURST_WINDOW = timedelta(hours=6)
# …or verified this recently before the agreement was drafted.
RECENT_VERIFICATION = timedelta(days=30)

DEFAULT_TEMPLATE_NAME = "天津市普通高等学校毕业生就业协议书（标准文本）"
DEFAULT_CLAUSES = """1. 甲方应如实向乙方介绍本单位情况、工作岗位、工作条件和劳动报酬，并在乙方报到后一个月内依法与乙方订立劳动合同、缴纳社会保险。
2. 乙方应如实向甲方介绍本人情况，按期取得毕业证书和学位证书，并按约定日期到甲方报到。
3. 丙方负责核实乙方的学籍信息，在协议生效后办理就业报到、档案和户籍转递手续。
4. 本协议自三方完成电子签名之日起生效，至乙方报到并与甲方订立劳动合同之日终止。
5. 任何一方需解除本协议的，应向另一方提出，经另一方同意并经丙方审核后解除，违约方按约定承担违约责任。
6. 本协议未尽事宜，由三方协商解决；协商不成的，依照《中华人民共和国劳动合同法》等有关规定处理。"""
DEFAULT_BREACH = "任何一方违约，应向守约方支付违约金人民币 3000 元。"


# --- templates ---------------------------------------------------------------------------------


def active_template(session: Session) -> AgreementTemplate:
    """The city's current template; the standard text is put in place the first time it is needed."""
    template = session.exec(
        select(AgreementTemplate).where(AgreementTemplate.is_active.is_(True)).order_by(AgreementTemplate.version.desc())
    ).first()
    if template is None:
        template = AgreementTemplate(
            name=DEFAULT_TEMPLATE_NAME, standard_clauses=DEFAULT_CLAUSES, default_breach_terms=DEFAULT_BREACH
        )
        session.add(template)
        session.flush()
    return template


def publish_template(
    session: Session, *, officer: User, name: str, standard_clauses: str, default_breach_terms: str
) -> AgreementTemplate:
    """A new version of the city template; agreements already drafted keep the version they were drafted on."""
    if not scope_of(session, officer).city:
        raise Forbidden("Only city-wide officers maintain the agreement template.")
    current = active_template(session)
    current.is_active = False
    template = AgreementTemplate(
        name=name.strip(), version=current.version + 1, standard_clauses=standard_clauses.strip(),
        default_breach_terms=default_breach_terms.strip(), created_by_id=officer.id,
    )
    session.add_all([current, template])
    session.commit()
    return template


# --- reading -----------------------------------------------------------------------------------


def organization_of(session: Session, user: User) -> Organization | None:
    recruiter = session.get(Recruiter, user.id) if user.role == Role.employer else None
    return session.get(Organization, recruiter.organization_id) if recruiter else None


def party_of(session: Session, user: User, agreement: Agreement) -> Party | None:
    """The side the user may act for on this agreement, if any."""
    if user.role == Role.graduate and user.id == agreement.graduate_id:
        return Party.graduate
    if user.role == Role.employer:
        organization = organization_of(session, user)
        if organization and organization.id == agreement.organization_id:
            return Party.employer
    if user.role == Role.officer and is_school_officer(session, user, agreement.school):
        return Party.school
    return None


def can_view(session: Session, user: User, agreement: Agreement) -> bool:
    if party_of(session, user, agreement):
        return True
    if user.role in (Role.officer, Role.admin):
        profile = session.get(GraduateProfile, agreement.graduate_id)
        scope = scope_of(session, user)
        return scope.covers_school(agreement.school) or scope.covers_graduate(profile)
    return False


def get_agreement(session: Session, *, user: User, agreement_id: int) -> Agreement:
    agreement = session.get(Agreement, agreement_id)
    # Someone else's agreement looks exactly like a missing one.
    if agreement is None or not can_view(session, user, agreement):
        raise NotFound("We could not find that agreement.")
    return agreement


def list_agreements(session: Session, *, user: User, status: str | None = None) -> list[Agreement]:
    query = select(Agreement).order_by(Agreement.created_at.desc(), Agreement.id.desc())
    if user.role == Role.graduate:
        query = query.where(Agreement.graduate_id == user.id, Agreement.status != AgreementStatus.draft)
    elif user.role == Role.employer:
        organization = organization_of(session, user)
        query = query.where(Agreement.organization_id == (organization.id if organization else -1))
    else:
        scope = scope_of(session, user)
        if not scope.city:
            query = query.join(GraduateProfile, GraduateProfile.user_id == Agreement.graduate_id)
            query = query.where(scope.graduates())
        query = query.where(Agreement.status != AgreementStatus.draft)
    if status:
        query = query.where(Agreement.status == status)
    return list(session.exec(query.limit(500)))


def waiting_for(session: Session, *, user: User) -> list[Agreement]:
    """Agreements whose next signature is the user's: for their home page and the top of the list."""
    query = select(Agreement).order_by(Agreement.updated_at)
    if user.role == Role.graduate:
        query = query.where(Agreement.graduate_id == user.id, Agreement.status == AgreementStatus.awaiting_graduate)
    elif user.role == Role.employer:
        organization = organization_of(session, user)
        query = query.where(Agreement.organization_id == (organization.id if organization else -1),
                            Agreement.status == AgreementStatus.draft)
    elif user.role == Role.officer:
        query = query.where(Agreement.school.in_(scope_of(session, user).schools),
                            Agreement.status == AgreementStatus.awaiting_school)
    else:
        return []
    # A pending cancellation holds the signing.
    pending = select(AgreementCancellation.agreement_id).where(
        AgreementCancellation.status.in_([CancellationStatus.requested, CancellationStatus.consented]))
    return list(session.exec(query.where(Agreement.id.not_in(pending)).limit(200)))


def signatures(session: Session, agreement_id: int) -> list[AgreementSignature]:
    return list(
        session.exec(
            select(AgreementSignature).where(AgreementSignature.agreement_id == agreement_id).order_by(AgreementSignature.id)
        )
    )


def history(session: Session, agreement_id: int) -> list[AgreementEvent]:
    return list(
        session.exec(select(AgreementEvent).where(AgreementEvent.agreement_id == agreement_id).order_by(AgreementEvent.id))
    )


def cancellations(session: Session, agreement_id: int) -> list[AgreementCancellation]:
    return list(
        session.exec(
            select(AgreementCancellation)
            .where(AgreementCancellation.agreement_id == agreement_id)
            .order_by(AgreementCancellation.id)
        )
    )


def open_cancellation(session: Session, agreement_id: int) -> AgreementCancellation | None:
    return session.exec(
        select(AgreementCancellation).where(
            AgreementCancellation.agreement_id == agreement_id,
            AgreementCancellation.status.in_([CancellationStatus.requested, CancellationStatus.consented]),
        )
    ).first()


def next_party(agreement: Agreement) -> Party | None:
    step = NEXT_STATUS.get(AgreementStatus(agreement.status))
    return step[0] if step else None


def by_verify_code(session: Session, code: str) -> Agreement | None:
    return session.exec(select(Agreement).where(Agreement.verify_code == code)).first()


def verify_url(settings: Settings, agreement: Agreement) -> str:
    return absolute_url(settings, f"/verify/{agreement.verify_code}")


def _pdf_path(settings: Settings, relative: str) -> Path:
    return settings.data_dir / relative


def read_pdf(settings: Settings, agreement: Agreement) -> bytes:
    """The current document, refusing one whose bytes differ from the hash recorded at the last step."""
    if not agreement.pdf_file:
        raise NotFound("This agreement has no document yet.")
    data = _pdf_path(settings, agreement.pdf_file).read_bytes()
    if signing.sha256(data) != agreement.document_sha256:
        raise Conflict("The stored document does not match its recorded hash. Please contact the portal's support.")
    return data


def _store_pdf(settings: Settings, agreement: Agreement, data: bytes, step: str) -> None:
    """Writes the version to a file of its own: a redrawn draft's name carries its hash, so the file the record
    names is never overwritten before the record naming the new one commits."""
    digest = signing.sha256(data)
    name = f"{agreement.number}-draft-{digest[:12]}" if step == "draft" else f"{agreement.number}-{step}"
    relative = f"agreements/{agreement.id}/{name}.pdf"
    path = _pdf_path(settings, relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    agreement.pdf_file = relative
    agreement.document_sha256 = digest


def _event(session: Session, agreement: Agreement, kind: str, actor_id: int | None, note: str | None = None) -> None:
    session.add(AgreementEvent(agreement_id=agreement.id, kind=kind, actor_id=actor_id, note=note))


# --- drafting ----------------------------------------------------------------------------------


def offers_to_draft(session: Session, *, employer: User) -> list[tuple[Application, Position, User]]:
    """The organisation's offers that have no live agreement yet."""
    organization = organization_of(session, employer)
    if organization is None:
        return []
    live = select(Agreement.application_id).where(Agreement.status != AgreementStatus.cancelled)
    rows = session.exec(
        select(Application, Position, User)
        .join(Position, Position.id == Application.position_id)
        .join(User, User.id == Application.graduate_id)
        .where(
            Position.organization_id == organization.id,
            Application.status.in_([ApplicationStatus.offer, ApplicationStatus.hired]),
            Application.id.not_in(live),
        )
        .order_by(Application.updated_at.desc())
    )
    return list(rows)


def work_place_of(position: Position) -> str:
    """The place of work a draft starts with: the position's address, with its district when the address lacks it."""
    address = (position.address or "").strip()
    if address.startswith("天津") or position.district in address:
        return address
    return f"天津市{position.district}{address}"


def _parties(graduate: User, profile: GraduateProfile, organization: Organization) -> dict:
    return {
        "employer": {"id": organization.id, "name": organization.name, "uscc": organization.uscc,
                     "address": organization.address or organization.district, "district": organization.district},
        "graduate": {"id": graduate.id, "name": graduate.display_name, "student_number": profile.student_number,
                     "major": profile.major, "degree": profile.degree, "graduation_year": profile.graduation_year},
        "school": {"name": profile.school},
    }


def _render(session: Session, settings: Settings, agreement: Agreement) -> None:
    template = session.get(AgreementTemplate, agreement.template_id)
    document = render_agreement_pdf(agreement, template, verify_url=verify_url(settings, agreement))
    _store_pdf(settings, agreement, signing.declare_signature_fields(document), "draft")


def draft_agreement(
    session: Session, *, settings: Settings, employer: User, application_id: int, terms: AgreementTerms, ip: str | None = None
) -> Agreement:
    organization = organization_of(session, employer)
    # The offer's row stays locked until this draft commits, so concurrent drafts of one offer queue up here
    # and each later one finds the first.
    application = session.exec(
        select(Application).where(Application.id == application_id).with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    position = session.get(Position, application.position_id) if application else None
    if organization is None or position is None or position.organization_id != organization.id:
        raise NotFound("We could not find that offer.")
    if application.status not in (ApplicationStatus.offer, ApplicationStatus.hired):
        raise Conflict("An agreement can only be drafted from an offer.")
    if organization.status == OrganizationStatus.suspended:
        raise Forbidden("Your organisation is suspended and cannot draft agreements.")
    live = session.exec(
        select(Agreement).where(Agreement.application_id == application.id, Agreement.status != AgreementStatus.cancelled)
    ).first()
    if live is not None:
        raise Conflict("This offer already has an agreement.")
    graduate = session.get(User, application.graduate_id)
    profile = session.get(GraduateProfile, graduate.id)
    if profile is None:
        raise Conflict("The graduate has not completed their profile.")
    template = active_template(session)
    code = secrets.token_urlsafe(16)
    agreement = Agreement(
        **terms.model_dump(),
        number=f"TMP-{code[:20]}",
        verify_code=code,
        application_id=application.id,
        graduate_id=graduate.id,
        organization_id=organization.id,
        position_id=position.id,
        template_id=template.id,
        drafted_by_id=employer.id,
        parties=_parties(graduate, profile, organization),
        school=profile.school,
    )
    session.add(agreement)
    session.flush()
    agreement.number = f"JY-{agreement.created_at.year}-{agreement.id:06d}"
    _render(session, settings, agreement)
    _event(session, agreement, "drafted", employer.id)
    record(session, actor_id=employer.id, action="agreement.draft", object_type="agreement", object_id=agreement.id,
           subject_user_id=graduate.id, ip=ip)
    try:
        session.commit()
    except IntegrityError:  # the database's own rule of one live agreement per offer
        session.rollback()
        _pdf_path(settings, agreement.pdf_file).unlink(missing_ok=True)
        raise Conflict("This offer already has an agreement.") from None
    return agreement


def update_draft(
    session: Session, *, settings: Settings, employer: User, agreement_id: int, terms: AgreementTerms
) -> Agreement:
    agreement = get_agreement(session, user=employer, agreement_id=agreement_id)
    if party_of(session, employer, agreement) != Party.employer:
        raise Forbidden("Only the employer edits the draft.")
    if agreement.status != AgreementStatus.draft:
        raise Conflict("A signed agreement cannot be changed.")
    agreement.sqlmodel_update(terms.model_dump())
    agreement.updated_at = utcnow()
    _render(session, settings, agreement)
    _event(session, agreement, "edited", employer.id)
    session.add(agreement)
    session.commit()
    return agreement


def discard_draft(session: Session, *, employer: User, agreement_id: int) -> None:
    """A draft nobody has signed can be cancelled by the employer alone."""
    agreement = get_agreement(session, user=employer, agreement_id=agreement_id)
    if party_of(session, employer, agreement) != Party.employer or agreement.status != AgreementStatus.draft:
        raise Conflict("Only an unsigned draft can be discarded.")
    agreement.status = AgreementStatus.cancelled
    agreement.cancelled_at = utcnow()
    agreement.cancel_reason = "draft discarded by the employer"
    _event(session, agreement, "discarded", employer.id)
    session.add(agreement)
    session.commit()


# --- fabrication flags -------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    code: str
    message: str  # English msgid
    params: dict


def fabrication_flags(session: Session, agreement: Agreement) -> list[Flag]:
    """Signs that the offer may be on paper only (被就业), for the officer to check before the school signs."""
    flags: list[Flag] = []
    statuses = set(
        session.exec(select(ApplicationEvent.status).where(ApplicationEvent.application_id == agreement.application_id))
    )
    if ApplicationStatus.interview not in statuses:
        flags.append(Flag("no_interview", "No interview was recorded on the portal before this offer.", {}))
    employer_signature = session.exec(
        select(AgreementSignature).where(
            AgreementSignature.agreement_id == agreement.id, AgreementSignature.party == Party.employer
        )
    ).first()
    if employer_signature is not None:
        count = session.exec(
            select(func.count()).select_from(AgreementSignature).where(
                AgreementSignature.party == Party.employer,
                AgreementSignature.organization_id == agreement.organization_id,
                AgreementSignature.signed_at >= employer_signature.signed_at - BURST_WINDOW,
                AgreementSignature.signed_at <= employer_signature.signed_at + BURST_WINDOW,
            )
        ).one()
        if count >= BURST_COUNT:
            flags.append(Flag("burst", "The employer signed %(count)s agreements within %(hours)s hours.",
                              {"count": count, "hours": int(BURST_WINDOW.total_seconds() // 3600)}))
    if enrolment.source_of(session, agreement.graduate_id) is None:
        flags.append(Flag("enrolment_unconfirmed", "The school has not confirmed this enrolment; signing confirms it.",
                          {}))
    organization = session.get(Organization, agreement.organization_id)
    if organization.status == OrganizationStatus.suspended:
        flags.append(Flag("suspended", "The employer is suspended.", {}))
    elif organization.status != OrganizationStatus.verified or organization.verified_at is None:
        flags.append(Flag("unverified", "The employer's registration has not been verified.", {}))
    elif organization.verified_at >= agreement.created_at - RECENT_VERIFICATION:
        flags.append(Flag("recently_verified", "The employer was verified only %(days)s days before this agreement.",
                          {"days": max((agreement.created_at - organization.verified_at).days, 0)}))
    return flags


# --- signing -----------------------------------------------------------------------------------


def _confirm_password(session: Session, *, settings: Settings, user: User, password: str, ip: str | None) -> None:
    """Re-confirms the signer, through the same rate-limited check as signing in."""
    if not user.password_hash:
        raise Invalid("Your account has no password: ask for a one-time code instead.", field="password")
    try:
        authenticate(session, settings=settings, email=user.email, password=password, ip=ip or "")
    except NotAuthenticated:
        raise Invalid("The password is not correct.", field="password") from None


def _code_hash(settings: Settings, code: str) -> str:
    return hmac.new(settings.secret_key.encode(), f"signing-code:{code}".encode(), hashlib.sha256).hexdigest()


def send_signing_code(session: Session, *, settings: Settings, user: User, agreement_id: int) -> None:
    """Emails the signer a one-time code for this agreement, valid for a few minutes."""
    agreement = get_agreement(session, user=user, agreement_id=agreement_id)
    party = party_of(session, user, agreement)
    if party is None:
        raise Forbidden("You cannot sign this agreement for any of its parties.")
    _check_turn(session, agreement, party, user, acknowledge_flags=True)
    if not settings.smtp_host:
        raise Conflict("One-time codes need the email service, which is not configured. Use your password.")
    now = utcnow()
    recent = session.exec(select(func.count()).select_from(SigningCode).where(
        SigningCode.user_id == user.id, SigningCode.created_at >= now - CODE_WINDOW)).one()
    if recent >= CODE_LIMIT:
        raise TooManyRequests("Too many codes requested. Please wait a few minutes and try again.")
    code = f"{secrets.randbelow(10 ** 6):06d}"
    session.add(SigningCode(user_id=user.id, agreement_id=agreement.id, code_hash=_code_hash(settings, code),
                            expires_at=now + CODE_LIFETIME))
    locale = user.locale or settings.default_locale
    params = {"number": agreement.number, "code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)}
    email(session, settings=settings, to=user.email,
          subject=translate("Your code for signing agreement %(number)s", params, locale),
          body=translate("Your one-time code is %(code)s. It expires in %(minutes)s minutes. "
                         "If you did not ask for it, do not share it with anyone.", params, locale))
    session.commit()


def _confirm_code(session: Session, *, settings: Settings, user: User, agreement: Agreement, code: str) -> None:
    entry = session.exec(
        select(SigningCode).where(SigningCode.user_id == user.id, SigningCode.agreement_id == agreement.id,
                                  SigningCode.used_at.is_(None), SigningCode.expires_at > utcnow())
        .order_by(SigningCode.id.desc())
    ).first()
    if entry is None or entry.attempts >= CODE_ATTEMPTS:
        raise Invalid("The code has expired. Ask for a new one.", field="code")
    entry.attempts += 1
    matches = hmac.compare_digest(entry.code_hash, _code_hash(settings, code.strip()))
    if matches:
        entry.used_at = utcnow()
    session.add(entry)
    session.commit()
    if not matches:
        raise Invalid("The code is not correct.", field="code")


def _certificate_for(session: Session, *, settings: Settings, user: User, organization: str, role: Party) -> PartyCertificate:
    """The user's certificate for this organisation, issued on their first signature."""
    now = utcnow()
    existing = session.exec(
        select(PartyCertificate).where(
            PartyCertificate.user_id == user.id,
            PartyCertificate.organization == organization,
            PartyCertificate.revoked_at.is_(None),
            PartyCertificate.not_after > now + timedelta(days=1),
        )
    ).first()
    if existing:
        return existing
    cert = ca.issue_party_certificate(
        settings, user_id=user.id, common_name=user.display_name, organization=organization, role=role.value
    )
    certificate = PartyCertificate(
        user_id=user.id, organization=organization, serial=ca.serial_hex(cert), subject=cert.subject.rfc4514_string(),
        certificate_pem=ca.pem(cert), not_after=cert.not_valid_after_utc,
    )
    session.add(certificate)
    session.flush()
    return certificate


_NOT_YOUR_TURN = {
    Party.employer: "It is not your turn to sign: the employer signs first.",
    Party.graduate: "It is not your turn to sign: the graduate signs next.",
    Party.school: "It is not your turn to sign: the school signs last.",
}


def _check_turn(session: Session, agreement: Agreement, party: Party, user: User, acknowledge_flags: bool) -> None:
    if agreement.status == AgreementStatus.cancelled:
        raise Conflict("This agreement has been cancelled and can no longer be signed.")
    if agreement.status == AgreementStatus.signed:
        raise Conflict("This agreement is already signed by all three parties.")
    expected = NEXT_STATUS[AgreementStatus(agreement.status)][0]
    if party != expected:
        raise Conflict(_NOT_YOUR_TURN[expected])
    if open_cancellation(session, agreement.id):
        raise Conflict("A cancellation of this agreement is pending.")
    if party == Party.graduate:
        other = session.exec(
            select(Agreement).where(
                Agreement.graduate_id == user.id,
                Agreement.id != agreement.id,
                Agreement.status.in_([AgreementStatus.awaiting_school, AgreementStatus.signed]),
            )
        ).first()
        if other is not None:
            raise Conflict("You already have agreement %(number)s; cancel it before signing another.", number=other.number)
    if party == Party.school and fabrication_flags(session, agreement) and not acknowledge_flags:
        raise Invalid("Check the warnings about this agreement and confirm before signing.", field="acknowledge_flags")


_REASONS = {
    Party.employer: "甲方（用人单位）签署 / signed by the employer",
    Party.graduate: "乙方（毕业生）签署 / signed by the graduate",
    Party.school: "丙方（学校）签署 / signed by the school",
}


def sign(
    session: Session,
    *,
    settings: Settings,
    user: User,
    agreement_id: int,
    password: str | None = None,
    code: str | None = None,
    ip: str | None = None,
    acknowledge_flags: bool = False,
) -> Agreement:
    """Adds the user's signature if it is their turn: employer, then graduate, then the graduate's school.

    The signer re-confirms with their password, or with a one-time code from `send_signing_code`.
    """
    agreement = get_agreement(session, user=user, agreement_id=agreement_id)
    party = party_of(session, user, agreement)
    if party is None:
        # Officers without the school in scope, and anyone else, may look but never sign for a party.
        raise Forbidden("You cannot sign this agreement for any of its parties.")
    _check_turn(session, agreement, party, user, acknowledge_flags)
    if code:
        _confirm_code(session, settings=settings, user=user, agreement=agreement, code=code)
    else:
        _confirm_password(session, settings=settings, user=user, password=password or "", ip=ip)
    # Checked again under a row lock: two signers of the same party may race.
    agreement = locked(session, Agreement, agreement.id)
    _check_turn(session, agreement, party, user, acknowledge_flags)
    next_status = NEXT_STATUS[AgreementStatus(agreement.status)][1]
    hash_before = agreement.document_sha256
    certificate = _sign_pdf(session, settings, agreement, party, user)
    now = utcnow()
    session.add(AgreementSignature(
        agreement_id=agreement.id, party=party, signer_id=user.id,
        organization_id=agreement.organization_id if party == Party.employer else None,
        field_name=f"sig_{party.value}", certificate_serial=certificate.serial, hash_before=hash_before,
        hash_after=agreement.document_sha256, ip=ip, timestamped=bool(settings.timestamp_url), signed_at=now,
    ))
    agreement.status = next_status
    agreement.updated_at = now
    _event(session, agreement, f"signed_{party.value}", user.id)
    record(session, actor_id=user.id, action="agreement.sign", object_type="agreement", object_id=agreement.id,
           subject_user_id=agreement.graduate_id, ip=ip,
           detail={"party": party.value, "sha256": agreement.document_sha256, "certificate": certificate.serial})
    _tell_next_signer(session, settings, agreement)
    if party == Party.school:
        _confirm_enrolment(session, officer=user, agreement=agreement)
    if next_status == AgreementStatus.signed:
        agreement.signed_at = now
        session.flush()
        events.emit(events.AGREEMENT_SIGNED, session, agreement)
    session.add(agreement)
    session.commit()
    return agreement


def _sign_pdf(session: Session, settings: Settings, agreement: Agreement, party: Party, user: User) -> PartyCertificate:
    """Signs the agreement's PDF with the signer's certificate (issued on first use) and stores the new version;
    returns the certificate."""
    organization_name = {
        Party.employer: agreement.parties["employer"]["name"],
        Party.graduate: agreement.school,
        Party.school: agreement.school,
    }[party]
    certificate = _certificate_for(session, settings=settings, user=user, organization=organization_name, role=party)
    signed = signing.sign_pdf(
        read_pdf(settings, agreement),
        credential=ca.load_party_credential(settings, certificate_pem=certificate.certificate_pem),
        root=ca.root_asn1(settings),
        field_name=f"sig_{party.value}",
        signer_name=user.display_name,
        reason=_REASONS[party],
        timestamp_url=settings.timestamp_url,
    )
    _store_pdf(settings, agreement, signed, party.value)
    return certificate


def _confirm_enrolment(session: Session, *, officer: User, agreement: Agreement) -> None:
    """The school's signature (after the officer acknowledged the warning) vouches for the graduate's enrolment."""
    profile = session.get(GraduateProfile, agreement.graduate_id)
    if enrolment.source_of(session, agreement.graduate_id) is None and profile.school == agreement.school:
        enrolment.confirm_in_transaction(session, officer=officer, profile=profile)


def _recruiters(session: Session, organization_id: int) -> list[User]:
    return list(session.exec(
        select(User).join(Recruiter, Recruiter.user_id == User.id).where(Recruiter.organization_id == organization_id)
    ))


def _tell_next_signer(session: Session, settings: Settings, agreement: Agreement) -> None:
    link, params = f"/agreements/{agreement.id}", {"number": agreement.number}
    if agreement.status == AgreementStatus.awaiting_graduate:
        users, title = [session.get(User, agreement.graduate_id)], "Agreement %(number)s is waiting for your signature."
    elif agreement.status == AgreementStatus.awaiting_school:
        users, title = school_officers(session, agreement.school), "Agreement %(number)s is waiting for the school's signature."
    else:
        users = [session.get(User, agreement.graduate_id), *_recruiters(session, agreement.organization_id)]
        title = "Agreement %(number)s has been signed by all three parties."
    for user in users:
        notify(session, settings=settings, user=user, kind="agreement", title=title, link=link, params=params)


# --- cancelling (解约) -------------------------------------------------------------------------

_CANCELLABLE = (AgreementStatus.awaiting_graduate, AgreementStatus.awaiting_school, AgreementStatus.signed)


def request_cancellation(
    session: Session, *, settings: Settings, user: User, agreement_id: int, reason: str, ip: str | None = None
) -> AgreementCancellation:
    agreement = get_agreement(session, user=user, agreement_id=agreement_id)
    party = party_of(session, user, agreement)
    if party not in (Party.employer, Party.graduate):
        raise Forbidden("Only the employer or the graduate can ask to cancel an agreement.")
    if agreement.status not in _CANCELLABLE:
        raise Conflict("This agreement cannot be cancelled.")
    if open_cancellation(session, agreement.id):
        raise Conflict("A cancellation of this agreement is already pending.")
    cancellation = AgreementCancellation(
        agreement_id=agreement.id, requested_by_party=party, requested_by_id=user.id, reason=reason.strip()
    )
    session.add(cancellation)
    _event(session, agreement, "cancel_requested", user.id, reason.strip())
    others = [session.get(User, agreement.graduate_id)] if party == Party.employer else _recruiters(
        session, agreement.organization_id)
    for other in others:
        notify(session, settings=settings, user=other, kind="agreement", link=f"/agreements/{agreement.id}",
               title="Cancelling agreement %(number)s has been requested.", params={"number": agreement.number})
    record(session, actor_id=user.id, action="agreement.cancel.request", object_type="agreement",
           object_id=agreement.id, subject_user_id=agreement.graduate_id, ip=ip)
    session.commit()
    return cancellation


def respond_cancellation(session: Session, *, user: User, agreement_id: int, consent: bool, note: str = "") -> AgreementCancellation:
    """The other party consents (the officer then decides) or refuses (the agreement stays as it is)."""
    agreement = get_agreement(session, user=user, agreement_id=agreement_id)
    cancellation = open_cancellation(session, agreement.id)
    party = party_of(session, user, agreement)
    if cancellation is None or cancellation.status != CancellationStatus.requested:
        raise Conflict("There is no cancellation waiting for your answer.")
    if party not in (Party.employer, Party.graduate) or party == cancellation.requested_by_party:
        raise Forbidden("Only the other party can answer this cancellation.")
    now = utcnow()
    if consent:
        cancellation.status = CancellationStatus.consented
        cancellation.consented_by_id, cancellation.consented_at = user.id, now
    else:
        cancellation.status = CancellationStatus.refused
        cancellation.decided_by_id, cancellation.decided_at, cancellation.decision_note = user.id, now, note.strip()
    session.add(cancellation)
    _event(session, agreement, "cancel_consented" if consent else "cancel_refused_by_party", user.id, note.strip() or None)
    session.commit()
    return cancellation


def withdraw_cancellation(session: Session, *, user: User, agreement_id: int) -> AgreementCancellation:
    agreement = get_agreement(session, user=user, agreement_id=agreement_id)
    cancellation = open_cancellation(session, agreement.id)
    if cancellation is None or cancellation.requested_by_id != user.id:
        raise Conflict("There is no cancellation of yours to withdraw.")
    cancellation.status = CancellationStatus.withdrawn
    cancellation.decided_at = utcnow()
    session.add(cancellation)
    _event(session, agreement, "cancel_withdrawn", user.id)
    session.commit()
    return cancellation


def decides_cancellations(session: Session, user: User, agreement: Agreement) -> bool:
    if user.role not in (Role.officer, Role.admin):
        return False
    scope = scope_of(session, user)
    return scope.city or agreement.school in scope.schools


def decide_cancellation(
    session: Session, *, officer: User, agreement_id: int, approve: bool, note: str = "", ip: str | None = None
) -> AgreementCancellation:
    """The officer of the graduate's school (or a city-wide officer) approves or refuses a consented cancellation."""
    agreement = get_agreement(session, user=officer, agreement_id=agreement_id)
    if not decides_cancellations(session, officer, agreement):
        raise Forbidden("Only the school's officer or a city officer decides on cancellations.")
    cancellation = open_cancellation(session, agreement.id)
    if cancellation is None or cancellation.status != CancellationStatus.consented:
        raise Conflict("There is no agreed cancellation waiting for a decision.")
    now = utcnow()
    cancellation.decided_by_id, cancellation.decided_at, cancellation.decision_note = officer.id, now, note.strip() or None
    if approve:
        cancellation.status = CancellationStatus.approved
        was_signed = agreement.status == AgreementStatus.signed
        agreement.status = AgreementStatus.cancelled
        agreement.cancelled_at = now
        agreement.cancel_reason = cancellation.reason
        session.add(agreement)
        session.flush()
        if was_signed:
            events.emit(events.AGREEMENT_CANCELLED, session, agreement)
    else:
        cancellation.status = CancellationStatus.refused
    session.add(cancellation)
    _event(session, agreement, "cancel_approved" if approve else "cancel_refused", officer.id, note.strip() or None)
    record(session, actor_id=officer.id, action="agreement.cancel.decide", object_type="agreement",
           object_id=agreement.id, subject_user_id=agreement.graduate_id, ip=ip, detail={"approve": approve})
    session.commit()
    return cancellation
