"""Training: providers an officer approves, the programmes they (or officers) publish, enrolment with a seat limit
that holds under concurrency, attendance, and results that put a verified skill on the graduate's résumé."""
from dataclasses import dataclass

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from portal.accounts import service as accounts
from portal.accounts.models import GraduateProfile, Role, User
from portal.audit import service as audit
from portal.clock import today, utcnow
from portal.db import locked
from portal.errors import Conflict, Invalid, NotFound
from portal.ledger import service as ledger
from portal.notifications import service as notifications
from portal.pagination import Page, paginate
from portal.resumes import service as resumes
from portal.scope import scope_of
from portal.settings import Settings
from portal.subsidies.models import SubsidyApplication
from portal.training.models import (
    EnrolmentStatus,
    ProgrammeStatus,
    ProviderStaff,
    ProviderStatus,
    TrainingAttendance,
    TrainingEnrolment,
    TrainingProgramme,
    TrainingProvider,
)
from portal.training.schemas import ProgrammeCreate, ProviderSignup
from search import vocabulary

CITY_PROVIDER = "天津市公共就业服务中心"  # the organiser of programmes officers publish (a name, not UI text)
PER_PAGE = 20
# What a provider's sign-up says about the organisation (the rest is its first account).
SIGNUP_FIELDS = tuple(name for name in ProviderSignup.model_fields if name not in ("email", "password"))


def is_officer(user: User | None) -> bool:
    return user is not None and user.role in (Role.officer, Role.admin)


# ---------------------------------------------------------------- providers


def _refuse_registered_name(session: Session, name: str) -> None:
    if session.exec(select(TrainingProvider).where(TrainingProvider.name == name)).first():
        raise Conflict("A provider with this name is already registered.", field="name")


def _add_provider(session: Session, user: User, fields: dict) -> TrainingProvider:
    _refuse_registered_name(session, fields["name"])
    provider = TrainingProvider(**{name: value for name, value in fields.items() if name in SIGNUP_FIELDS})
    session.add(provider)
    session.flush()
    session.add(ProviderStaff(user_id=user.id, provider_id=provider.id))
    audit.record(session, actor_id=user.id, action="training.provider.register", object_type="training_provider",
                 object_id=provider.id)
    return provider


def finish_signup(session: Session, user: User, profile: dict) -> None:
    """A confirmed provider sign-up (accounts.SIGNUP_FINISHERS): the training organisation it asked for."""
    _add_provider(session, user, profile)


def register_provider(session: Session, *, signup: ProviderSignup) -> tuple[TrainingProvider, User]:
    """A training organisation and its first account; it publishes once an officer approves it."""
    _refuse_registered_name(session, signup.name)
    accounts.refuse_weak_password(signup.password, email=signup.email, display_name=signup.contact_name)
    user = accounts.create_user(session, email=signup.email, password=signup.password, role=Role.provider,
                                display_name=signup.contact_name)
    provider = _add_provider(session, user, signup.model_dump())
    session.commit()
    return provider, user


def request_registration(session: Session, *, settings: Settings, signup: ProviderSignup, ip: str) -> None:
    """A provider sign-up its address confirms: the same answer whether or not the address has an account."""
    _refuse_registered_name(session, signup.name)
    accounts.request_signup(session, settings=settings, role=Role.provider, email=signup.email,
                            password=signup.password, display_name=signup.contact_name,
                            profile=signup.model_dump(mode="json", exclude={"email", "password"}), ip=ip)


def provider_of(session: Session, user: User) -> TrainingProvider:
    staff = session.get(ProviderStaff, user.id) if user.role == Role.provider else None
    if staff is None:
        raise NotFound("This page is for training providers.")
    return session.get(TrainingProvider, staff.provider_id)


def provider_for_officer(session: Session, *, officer: User, provider_id: int) -> TrainingProvider:
    provider = session.get(TrainingProvider, provider_id)
    if provider is None or not scope_of(session, officer).covers_district(provider.district):
        raise NotFound("We could not find that provider.")
    return provider


def list_providers(session: Session, *, officer: User, status: str | None = None) -> list[TrainingProvider]:
    statement = select(TrainingProvider).where(scope_of(session, officer).organizations(TrainingProvider.district))
    if status:
        statement = statement.where(TrainingProvider.status == status)
    return list(session.exec(statement.order_by(TrainingProvider.created_at.desc(), TrainingProvider.id.desc())).all())


def decide_provider(session: Session, *, settings: Settings, officer: User, provider_id: int, approve: bool,
                    note: str = "", seen_status: str | None = None) -> TrainingProvider:
    """Approves a provider (it may publish) or suspends it (its open programmes stop taking enrolments). The provider
    is read again under a row lock, so two officers deciding at once are applied one after the other: the second is
    told when the first already did the same, and, given the status they saw (`seen_status`), when the first decided
    otherwise."""
    provider = provider_for_officer(session, officer=officer, provider_id=provider_id)
    provider = locked(session, TrainingProvider, provider.id)
    if seen_status is not None and provider.status != seen_status:
        raise Conflict("Another officer has decided on this training organisation meanwhile. Check its status and "
                       "decide again.")
    if approve and provider.status == ProviderStatus.approved:
        raise Conflict("This training organisation is already approved.")
    if not approve and provider.status == ProviderStatus.suspended:
        raise Conflict("This training organisation is already suspended.")
    provider.status = ProviderStatus.approved if approve else ProviderStatus.suspended
    provider.decision_note = note.strip() or None
    provider.decided_by_id, provider.decided_at = officer.id, utcnow()
    session.add(provider)
    if not approve:
        session.execute(update(TrainingProgramme)
                     .where(TrainingProgramme.provider_id == provider.id,
                            TrainingProgramme.status == ProgrammeStatus.published)
                     .values(status=ProgrammeStatus.closed, updated_at=utcnow()))
    audit.record(session, actor_id=officer.id, action=f"training.provider.{provider.status}",
                 object_type="training_provider", object_id=provider.id, detail={"note": provider.decision_note})
    title = "Your training organisation is approved" if approve else "Your training organisation is suspended"
    for account in _staff(session, provider.id):
        notifications.notify(session, settings=settings, user=account, kind="training", title=title,
                             body=provider.decision_note or "", link="/provider")
    session.commit()
    return provider


def _staff(session: Session, provider_id: int) -> list[User]:
    return list(session.exec(
        select(User).join(ProviderStaff, ProviderStaff.user_id == User.id).where(ProviderStaff.provider_id == provider_id)
    ).all())


# ---------------------------------------------------------------- programmes


def skill_keys_of(skills: list[str]) -> str:
    """The canonical skills (search's vocabulary: "K8s" is Kubernetes) a programme teaches, as "|key|key|"."""
    return "|" + "|".join(vocabulary.skill_keys(skills)) + "|"


@dataclass
class ProgrammeView:
    programme: TrainingProgramme
    provider_name: str

    @property
    def seats_left(self) -> int:
        return self.programme.seats - self.programme.seats_taken

    @property
    def open_for_enrolment(self) -> bool:
        return self.programme.status == ProgrammeStatus.published and self.programme.enrol_by >= today() \
            and self.seats_left > 0


def _view(session: Session, programme: TrainingProgramme) -> ProgrammeView:
    provider = session.get(TrainingProvider, programme.provider_id) if programme.provider_id else None
    return ProgrammeView(programme, provider.name if provider else CITY_PROVIDER)


def _require_can_publish(session: Session, user: User) -> int | None:
    """The provider the user publishes for (None: the city, for officers)."""
    if is_officer(user):
        return None
    provider = provider_of(session, user)
    if provider.status != ProviderStatus.approved:
        raise Conflict("Your organisation can publish programmes once an officer has approved it.")
    return provider.id


def managed_programme(session: Session, *, user: User, programme_id: int) -> TrainingProgramme:
    """A programme the user runs: a provider's own, or one of the city's for officers; else NotFound."""
    programme = session.get(TrainingProgramme, programme_id)
    if programme is not None:
        if is_officer(user) and programme.provider_id is None:
            return programme
        staff = session.get(ProviderStaff, user.id) if user.role == Role.provider else None
        if staff is not None and staff.provider_id == programme.provider_id:
            return programme
    raise NotFound("We could not find that programme.")


def create_programme(session: Session, *, user: User, programme: ProgrammeCreate) -> TrainingProgramme:
    provider_id = _require_can_publish(session, user)
    row = TrainingProgramme(**programme.model_dump(), provider_id=provider_id, created_by_id=user.id,
                            skill_keys=skill_keys_of(programme.skills))
    session.add(row)
    session.flush()
    audit.record(session, actor_id=user.id, action="training.programme.create", object_type="training_programme",
                 object_id=row.id)
    session.commit()
    return row


def update_programme(session: Session, *, user: User, programme_id: int, programme: ProgrammeCreate) -> TrainingProgramme:
    row = managed_programme(session, user=user, programme_id=programme_id)
    if row.status == ProgrammeStatus.cancelled:
        raise Conflict("A cancelled programme cannot be changed.")
    if programme.seats < row.seats_taken:
        raise Invalid("%(taken)s graduates have enrolled: offer at least that many seats.", field="seats",
                      taken=row.seats_taken)
    for key, value in programme.model_dump().items():
        setattr(row, key, value)
    row.skill_keys, row.updated_at = skill_keys_of(programme.skills), utcnow()
    session.add(row)
    audit.record(session, actor_id=user.id, action="training.programme.update", object_type="training_programme",
                 object_id=row.id)
    session.commit()
    return row


def set_programme_status(session: Session, *, settings: Settings, user: User, programme_id: int,
                         status: ProgrammeStatus) -> TrainingProgramme:
    """Publish a draft, close enrolment, or cancel (the enrolled graduates are told)."""
    row = managed_programme(session, user=user, programme_id=programme_id)
    allowed = {ProgrammeStatus.published: (ProgrammeStatus.draft, ProgrammeStatus.closed),
               ProgrammeStatus.closed: (ProgrammeStatus.published,),
               ProgrammeStatus.cancelled: (ProgrammeStatus.draft, ProgrammeStatus.published, ProgrammeStatus.closed)}
    if row.status not in allowed[status]:
        raise Conflict("This programme is %(status)s.", status=row.status)
    if status == ProgrammeStatus.published:
        _require_can_publish(session, user)
        row.published_at = row.published_at or utcnow()
    row.status, row.updated_at = status, utcnow()
    session.add(row)
    if status == ProgrammeStatus.cancelled:
        for enrolment, graduate in _enrolled(session, row.id):
            notifications.notify(session, settings=settings, user=graduate, kind="training",
                                 title="A training programme you enrolled in is cancelled: %(title)s",
                                 params={"title": row.title}, link=f"/training/{row.id}")
    audit.record(session, actor_id=user.id, action=f"training.programme.{status}", object_type="training_programme",
                 object_id=row.id)
    session.commit()
    return row


def programme_view(session: Session, *, user: User | None, programme_id: int) -> ProgrammeView:
    """A published programme for anyone; drafts only for those who run them."""
    programme = session.get(TrainingProgramme, programme_id)
    if programme is None:
        raise NotFound("We could not find that programme.")
    if programme.status == ProgrammeStatus.draft:
        if user is None:
            raise NotFound("We could not find that programme.")
        managed_programme(session, user=user, programme_id=programme_id)
    return _view(session, programme)




def _open_programmes():
    return select(TrainingProgramme).where(TrainingProgramme.status == ProgrammeStatus.published,
                                           TrainingProgramme.enrol_by >= today())


def search_programmes(session: Session, *, q: str = "", skill: str = "", subsidised_only: bool = False,
                      mode: str | None = None, district: str | None = None, page: int = 1) -> Page:
    """Programmes open for enrolment, soonest first; `skill` matches the skills a programme teaches."""
    statement = _open_programmes()
    if subsidised_only:
        statement = statement.where(TrainingProgramme.subsidised)
    if mode:
        statement = statement.where(TrainingProgramme.mode == mode)
    if district:
        statement = statement.where(TrainingProgramme.district == district)
    if skill.strip():
        statement = statement.where(TrainingProgramme.skill_keys.contains(f"|{vocabulary.skill_key(skill)}|", autoescape=True))
    if q.strip():
        words = [TrainingProgramme.title, TrainingProgramme.description, TrainingProgramme.certificate]
        statement = statement.where(or_(*(column.icontains(q.strip(), autoescape=True) for column in words)))
    result = paginate(session, statement, page=page, per_page=PER_PAGE,
                      order=(TrainingProgramme.starts_on, TrainingProgramme.id))
    result.items = [_view(session, row) for row in result.items]
    return result


def programmes_teaching(session: Session, *, skills: list[str]) -> dict[str, list[ProgrammeView]]:
    """Open programmes for each of `skills` (the skills a graduate lacks), subsidised ones first."""
    wanted = {vocabulary.skill_key(s): s for s in skills if s.strip()}
    found: dict[str, list[ProgrammeView]] = {s: [] for s in skills}
    rows = session.exec(
        _open_programmes()
        .where(or_(*(TrainingProgramme.skill_keys.contains(f"|{key}|", autoescape=True) for key in wanted)))
        .order_by(TrainingProgramme.subsidised.desc(), TrainingProgramme.starts_on, TrainingProgramme.id)
    ).all() if wanted else []
    for row in rows:
        for key in set(vocabulary.skill_keys(row.skills)) & wanted.keys():
            found[wanted[key]].append(_view(session, row))
    return found


def managed_programmes(session: Session, *, user: User) -> list[ProgrammeView]:
    statement = select(TrainingProgramme)
    if is_officer(user):
        statement = statement.where(TrainingProgramme.provider_id.is_(None))
    else:
        statement = statement.where(TrainingProgramme.provider_id == provider_of(session, user).id)
    rows = session.exec(statement.order_by(TrainingProgramme.starts_on.desc(), TrainingProgramme.id.desc())).all()
    return [_view(session, row) for row in rows]


def add_to_support_plan(session: Session, *, settings: Settings, officer: User, programme_id: int,
                        graduate: str) -> TrainingProgramme:
    """Puts an open programme in the support plan of a graduate on the ledger (found by email or student number in
    the officer's scope), as a skills-training measure due when the programme ends; the graduate is told."""
    view = programme_view(session, user=officer, programme_id=programme_id)
    if not view.open_for_enrolment:
        raise Conflict("This programme no longer takes enrolments.")
    person = ledger.find_graduate(session, officer=officer, text=graduate)
    case = ledger.case_of_graduate(session, person.id)
    if case is None or case.status != "active":
        raise Invalid("This graduate has no open support case.", field="graduate")
    programme = view.programme
    ledger.add_measure(session, officer=officer, case_id=case.id, kind="skills_training",
                       description=f"{programme.title}（{view.provider_name}，{programme.starts_on.isoformat()}–"
                                   f"{programme.ends_on.isoformat()}）",
                       target_date=programme.ends_on, link=f"/training/{programme.id}")
    notifications.notify(session, settings=settings, user=person, kind="training",
                         title="Your employment officer suggests a training programme: %(title)s",
                         params={"title": programme.title}, link=f"/training/{programme.id}")
    session.commit()
    return programme


# ---------------------------------------------------------------- enrolment


def _require_graduate(user: User) -> None:
    if user.role != Role.graduate:
        raise NotFound("Only graduates enrol in training.")


def enrol(session: Session, *, graduate: User, programme_id: int) -> TrainingEnrolment:
    """Takes a seat. The seat count is raised by one conditional UPDATE, so two graduates racing for the last seat
    can never both get it. A refusal leaves the transaction for the caller to roll back."""
    _require_graduate(graduate)
    view = programme_view(session, user=graduate, programme_id=programme_id)
    programme = view.programme
    if programme.status != ProgrammeStatus.published or programme.enrol_by < today():
        raise Conflict("This programme no longer takes enrolments.")
    enrolment = session.exec(select(TrainingEnrolment).where(TrainingEnrolment.programme_id == programme.id,
                                                             TrainingEnrolment.graduate_id == graduate.id)).first()
    if enrolment is not None and enrolment.status != EnrolmentStatus.cancelled:
        raise Conflict("You are already enrolled in this programme.")
    taken = session.execute(
        update(TrainingProgramme)
        .where(TrainingProgramme.id == programme.id, TrainingProgramme.status == ProgrammeStatus.published,
               TrainingProgramme.seats_taken < TrainingProgramme.seats)
        .values(seats_taken=TrainingProgramme.seats_taken + 1)
    ).rowcount
    if not taken:
        raise Conflict("All seats are taken.")
    enrolment = enrolment or TrainingEnrolment(programme_id=programme.id, graduate_id=graduate.id)
    enrolment.status, enrolment.enrolled_at, enrolment.cancelled_at = EnrolmentStatus.enrolled, utcnow(), None
    try:
        with session.begin_nested():
            session.add(enrolment)
    except IntegrityError:  # the same graduate enrolling twice at once: the second insert loses, and the seat it
        # took goes back when the caller rolls the transaction back (the form helper does, a closed session does)
        raise Conflict("You are already enrolled in this programme.") from None
    audit.record(session, actor_id=graduate.id, action="training.enrol", object_type="training_enrolment",
                 object_id=enrolment.id, subject_user_id=graduate.id)
    session.commit()
    session.refresh(programme)
    return enrolment


def own_enrolment(session: Session, *, graduate: User, enrolment_id: int) -> TrainingEnrolment:
    enrolment = session.get(TrainingEnrolment, enrolment_id)
    if enrolment is None or enrolment.graduate_id != graduate.id:
        raise NotFound("We could not find that enrolment.")
    return enrolment


def cancel_enrolment(session: Session, *, graduate: User, enrolment_id: int) -> TrainingEnrolment:
    """Gives the seat back, until the programme starts."""
    enrolment = own_enrolment(session, graduate=graduate, enrolment_id=enrolment_id)
    programme = session.get(TrainingProgramme, enrolment.programme_id)
    if enrolment.status != EnrolmentStatus.enrolled:
        raise Conflict("This enrolment is %(status)s.", status=enrolment.status)
    if programme.starts_on <= today():
        raise Conflict("The programme has started: ask the provider to record that you left.")
    session.execute(update(TrainingProgramme).where(TrainingProgramme.id == programme.id)
                 .values(seats_taken=TrainingProgramme.seats_taken - 1))
    enrolment.status, enrolment.cancelled_at = EnrolmentStatus.cancelled, utcnow()
    session.add(enrolment)
    audit.record(session, actor_id=graduate.id, action="training.enrolment.cancel", object_type="training_enrolment",
                 object_id=enrolment.id, subject_user_id=graduate.id)
    session.commit()
    return enrolment


def enrolment_of(session: Session, *, graduate: User | None, programme_id: int) -> TrainingEnrolment | None:
    if graduate is None or graduate.role != Role.graduate:
        return None
    return session.exec(select(TrainingEnrolment).where(TrainingEnrolment.programme_id == programme_id,
                                                        TrainingEnrolment.graduate_id == graduate.id)).first()


def my_enrolments(session: Session, *, graduate: User) -> list[tuple[TrainingEnrolment, ProgrammeView]]:
    _require_graduate(graduate)
    rows = session.exec(
        select(TrainingEnrolment, TrainingProgramme)
        .join(TrainingProgramme, TrainingProgramme.id == TrainingEnrolment.programme_id)
        .where(TrainingEnrolment.graduate_id == graduate.id)
        .order_by(TrainingProgramme.starts_on.desc(), TrainingEnrolment.id.desc())
    ).all()
    return [(enrolment, _view(session, programme)) for enrolment, programme in rows]


def subsidy_claims(session: Session, *, graduate_id: int) -> dict[int, SubsidyApplication]:
    """The graduate's subsidy claims by programme, so a completed programme leads to its claim, not to a second."""
    claims = session.exec(select(SubsidyApplication).where(SubsidyApplication.graduate_id == graduate_id)).all()
    return {claim.programme_id: claim for claim in claims}


def completed_enrolment(session: Session, *, graduate_id: int, programme_id: int) -> TrainingEnrolment | None:
    return session.exec(select(TrainingEnrolment).where(
        TrainingEnrolment.programme_id == programme_id, TrainingEnrolment.graduate_id == graduate_id,
        TrainingEnrolment.status == EnrolmentStatus.completed)).first()


def get_programme(session: Session, programme_id: int) -> TrainingProgramme:
    programme = session.get(TrainingProgramme, programme_id)
    if programme is None:
        raise NotFound("We could not find that programme.")
    return programme


# ---------------------------------------------------------------- roster, attendance, results


@dataclass
class Trainee:
    enrolment: TrainingEnrolment
    user: User
    profile: GraduateProfile | None
    sessions_attended: int


def _enrolled(session: Session, programme_id: int) -> list[tuple[TrainingEnrolment, User]]:
    return list(session.exec(
        select(TrainingEnrolment, User).join(User, User.id == TrainingEnrolment.graduate_id)
        .where(TrainingEnrolment.programme_id == programme_id, TrainingEnrolment.status != EnrolmentStatus.cancelled)
        .order_by(TrainingEnrolment.id)
    ).all())


def roster(session: Session, *, user: User, programme_id: int) -> list[Trainee]:
    programme = managed_programme(session, user=user, programme_id=programme_id)
    rows = _enrolled(session, programme.id)
    attended = dict(session.exec(
        select(TrainingAttendance.enrolment_id, func.count())
        .where(TrainingAttendance.enrolment_id.in_([e.id for e, _ in rows]), TrainingAttendance.present)
        .group_by(TrainingAttendance.enrolment_id)
    ).all()) if rows else {}
    return [Trainee(e, u, session.get(GraduateProfile, u.id), attended.get(e.id, 0)) for e, u in rows]


def session_dates(session: Session, *, programme_id: int) -> list:
    return list(session.exec(
        select(TrainingAttendance.session_on).join(TrainingEnrolment, TrainingEnrolment.id == TrainingAttendance.enrolment_id)
        .where(TrainingEnrolment.programme_id == programme_id).distinct().order_by(TrainingAttendance.session_on)
    ).all())


def record_attendance(session: Session, *, user: User, programme_id: int, session_on, present: list[int]) -> int:
    """Marks who came to one session (everyone else on the roster absent); recording a day again replaces it."""
    programme = managed_programme(session, user=user, programme_id=programme_id)
    if not programme.starts_on <= session_on <= min(programme.ends_on, today()):
        raise Invalid("Choose a day the programme ran, up to today.", field="session_on")
    trainees = [e for e, _ in _enrolled(session, programme.id) if e.status == EnrolmentStatus.enrolled]
    present_ids = {int(i) for i in present}
    if present_ids - {e.id for e in trainees}:
        raise NotFound("We could not find that enrolment.")
    existing = {a.enrolment_id: a for a in session.exec(select(TrainingAttendance).where(
        TrainingAttendance.session_on == session_on, TrainingAttendance.enrolment_id.in_([e.id for e in trainees])))}
    for enrolment in trainees:
        row = existing.get(enrolment.id) or TrainingAttendance(enrolment_id=enrolment.id, session_on=session_on, present=False)
        row.present, row.recorded_by_id, row.recorded_at = enrolment.id in present_ids, user.id, utcnow()
        session.add(row)
    audit.record(session, actor_id=user.id, action="training.attendance", object_type="training_programme",
                 object_id=programme.id, detail={"session_on": session_on.isoformat(), "present": len(present_ids)})
    session.commit()
    return len(present_ids)


def record_result(session: Session, *, settings: Settings, user: User, enrolment_id: int, completed: bool,
                  certificate_number: str | None = None) -> TrainingEnrolment:
    """The provider's final word on a trainee. Completion puts the programme's skills on the résumé as verified,
    with the certificate as evidence; a result once recorded stands."""
    enrolment = session.get(TrainingEnrolment, enrolment_id)
    if enrolment is None:
        raise NotFound("We could not find that enrolment.")
    programme = managed_programme(session, user=user, programme_id=enrolment.programme_id)
    if enrolment.status != EnrolmentStatus.enrolled:
        raise Conflict("This enrolment is %(status)s.", status=enrolment.status)
    if programme.starts_on > today():
        raise Conflict("Results can be recorded once the programme has started.")
    enrolment.status = EnrolmentStatus.completed if completed else EnrolmentStatus.not_completed
    enrolment.completed_at = utcnow() if completed else None
    enrolment.certificate_number = certificate_number if completed else None
    enrolment.result_recorded_by_id = user.id
    session.add(enrolment)
    graduate = session.get(User, enrolment.graduate_id)
    if completed:
        resumes.add_verified_skills(session, graduate_id=graduate.id, skills=programme.skills,
                                    certificate=programme.certificate, certificate_number=certificate_number,
                                    issuer=_view(session, programme).provider_name,
                                    reference=f"training-enrolment:{enrolment.id}")
    title = ("You completed %(title)s: the certificate is on your résumé" if completed
             else "The provider recorded that you did not complete %(title)s")
    notifications.notify(session, settings=settings, user=graduate, kind="training", title=title,
                         params={"title": programme.title}, link="/me/training")
    audit.record(session, actor_id=user.id, action="training.result", object_type="training_enrolment",
                 object_id=enrolment.id, subject_user_id=graduate.id, detail={"completed": completed})
    session.commit()
    return enrolment
