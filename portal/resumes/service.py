"""Resumes: one per graduate, the profile fields beside it, and the optional PDF.

Every change that search cares about enqueues the resume in the same transaction.
"""
import os
import secrets
from collections.abc import Iterable, Iterator
from io import BytesIO

from sqlalchemy import exists
from sqlmodel import Session, select

from portal.accounts.models import GraduateProfile, Role, User
from portal.applications.models import Application
from portal.audit import service as audit
from portal.clock import utcnow
from portal.employers.models import Recruiter
from portal.errors import Invalid, NotFound
from portal.positions.models import Position
from portal.resumes.models import Resume, VerifiedSkill
from portal.resumes.schemas import ProfilePublic, ProfileUpdate, ResumePublic, ResumeUpdate, VerifiedSkillPublic
from portal.settings import Settings
from portal.storage import read_capped, read_stored, storage_for
from search import outbox

PDF_MAGIC = b"%PDF-"
RESUME_PDF_DIR = "resumes"
CHUNK = 64 * 1024


# ---------------------------------------------------------------- reading


def get_resume(session: Session, *, graduate_id: int) -> Resume | None:
    return session.exec(select(Resume).where(Resume.graduate_id == graduate_id)).first()


def resume_or_blank(session: Session, *, user: User) -> Resume:
    """The graduate's resume, or an unsaved blank one to start the form from."""
    _require_graduate(user)
    return get_resume(session, graduate_id=user.id) or Resume(graduate_id=user.id, updated_at=None)


def profile_of(session: Session, *, user: User) -> GraduateProfile:
    _require_graduate(user)
    profile = session.get(GraduateProfile, user.id)
    if profile is None:
        raise NotFound("This graduate has not completed their profile.")
    return profile


def public_resume(resume: Resume) -> ResumePublic:
    return ResumePublic(
        id=resume.id, graduate_id=resume.graduate_id, headline=resume.headline, self_intro=resume.self_intro,
        skills=resume.skills, education=resume.education, experience=resume.experience, projects=resume.projects,
        expected_districts=resume.expected_districts, expected_kinds=resume.expected_kinds,
        expected_salary_min=resume.expected_salary_min, expected_salary_max=resume.expected_salary_max,
        has_pdf=bool(resume.pdf_file), pdf_original_name=resume.pdf_original_name, pdf_size=resume.pdf_size,
        updated_at=resume.updated_at,
    )


def public_profile(user: User, profile: GraduateProfile) -> ProfilePublic:
    return ProfilePublic(
        display_name=user.display_name, email=user.email, school=profile.school,
        student_number=profile.student_number, major=profile.major, degree=profile.degree,
        graduation_year=profile.graduation_year, phone=profile.phone, district=profile.district,
        discoverable=profile.discoverable,
    )


def completeness(resume: Resume, profile: GraduateProfile) -> tuple[int, list[str]]:
    """A percentage and the msgids of what is still missing, to nudge the graduate on their pages."""
    checks = [
        (bool(resume.headline), "a headline"),
        (bool(resume.education), "your education"),
        (len(resume.skills) >= 3, "at least three skills"),
        (bool(resume.experience or resume.projects), "an internship or a project"),
        (bool(resume.expected_districts and resume.expected_kinds), "where and how you want to work"),
        (bool(resume.self_intro), "a self-introduction"),
        (bool(profile.phone), "a phone number"),
    ]
    done = sum(1 for ok, _ in checks if ok)
    return round(100 * done / len(checks)), [what for ok, what in checks if not ok]


# ---------------------------------------------------------------- changing


def _require_graduate(user: User) -> None:
    if user.role != Role.graduate:
        raise NotFound("Only graduates have a resume.")


def _load_for_update(session: Session, user: User) -> Resume:
    resume = get_resume(session, graduate_id=user.id)
    if resume is None:
        resume = Resume(graduate_id=user.id)
        session.add(resume)
        session.flush()
    return resume


def update_resume(session: Session, *, user: User, update: ResumeUpdate) -> Resume:
    """Saves the whole resume (creating it on first save) and queues it for search."""
    _require_graduate(user)
    resume = _load_for_update(session, user)
    data = update.model_dump(mode="json")
    for key, value in data.items():
        setattr(resume, key, value)
    resume.updated_at = utcnow()
    session.add(resume)
    session.flush()
    outbox.enqueue(session, "resume", resume.id)
    session.commit()
    return resume


def update_profile(session: Session, *, user: User, update: ProfileUpdate) -> GraduateProfile:
    profile = profile_of(session, user=user)
    changed = profile.discoverable != update.discoverable
    need_changed = (profile.needs_accessible, profile.accessibility_note) != (update.needs_accessible,
                                                                            update.accessibility_note)
    for key, value in update.model_dump(mode="json").items():
        setattr(profile, key, value)
    session.add(profile)
    if changed:
        audit.record(session, actor_id=user.id, action="graduate.discoverable", object_type="user",
                     object_id=user.id, subject_user_id=user.id, detail={"discoverable": update.discoverable})
    if need_changed:  # sensitive: the change is recorded, its content is not
        audit.record(session, actor_id=user.id, action="graduate.accessibility.update", object_type="user",
                     object_id=user.id, subject_user_id=user.id, detail={"needs_accessible": update.needs_accessible})
    resume = get_resume(session, graduate_id=user.id)
    if resume is not None:  # the search document carries school, major, degree and the opt-in
        resume.updated_at = utcnow()
        session.add(resume)
        outbox.enqueue(session, "resume", resume.id)
    session.commit()
    return profile


# ---------------------------------------------------------------- the PDF


def new_pdf_name(folder: str) -> str:
    """A storage key of our own (random hex), never the uploader's file name."""
    return f"{folder}/{secrets.token_hex(16)}.pdf"


def _safe_original_name(filename: str | None) -> str:
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>|:*?')[:120]
    if not name.lower().endswith(".pdf"):
        name = (name or "resume") + ".pdf"
    return name


def _check_pdf(data: bytes) -> None:
    """A file is a PDF when it starts like one and a PDF reader can open it and find its pages."""
    if not data:
        raise Invalid("Please choose a PDF file to upload.", field="pdf")
    if not data.startswith(PDF_MAGIC):
        raise Invalid("Only PDF files can be uploaded.", field="pdf")
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(BytesIO(data), strict=False)
        if reader.encrypted:
            raise Invalid("Please upload a PDF without a password.", field="pdf")
        pages = reader.root["/Pages"]
        if int(pages["/Count"]) < 1:
            raise LookupError("the PDF has no pages")
    except Invalid:
        raise
    except Exception:
        raise Invalid("This file is not a readable PDF.", field="pdf") from None


def iter_file(handle, chunk_size: int = CHUNK) -> Iterator[bytes]:
    while chunk := handle.read(chunk_size):
        yield chunk


def upload_pdf(
    session: Session, *, settings: Settings, user: User, filename: str | None, chunks: Iterable[bytes]
) -> Resume:
    """Stores a checked PDF for the graduate's resume, replacing any earlier one.

    The old file is removed only after the new one is committed; copies sent with applications stay.
    """
    _require_graduate(user)
    data = read_capped(chunks, limit=settings.upload_max_bytes, field="pdf")
    _check_pdf(data)
    storage = storage_for(settings)
    name = new_pdf_name(RESUME_PDF_DIR)
    storage.write(name, data)
    try:
        resume = _load_for_update(session, user)
        old = resume.pdf_file
        resume.pdf_file, resume.pdf_original_name, resume.pdf_size = name, _safe_original_name(filename), len(data)
        resume.updated_at = utcnow()
        session.add(resume)
        outbox.enqueue(session, "resume", resume.id)
        session.commit()
    except BaseException:
        session.rollback()
        storage.delete(name)
        raise
    if old:
        storage.delete(old)
    return resume


def delete_pdf(session: Session, *, settings: Settings, user: User) -> Resume:
    _require_graduate(user)
    resume = get_resume(session, graduate_id=user.id)
    if resume is None or not resume.pdf_file:
        raise NotFound("There is no PDF to remove.")
    old = resume.pdf_file
    resume.pdf_file = resume.pdf_original_name = resume.pdf_size = None
    resume.updated_at = utcnow()
    session.add(resume)
    outbox.enqueue(session, "resume", resume.id)
    session.commit()
    storage_for(settings).delete(old)
    return resume


def recruiter_organization_id(session: Session, user: User) -> int | None:
    if user.role != Role.employer:
        return None
    recruiter = session.get(Recruiter, user.id)
    return recruiter.organization_id if recruiter else None


def resume_pdf_for(session: Session, *, settings: Settings, user: User, resume_id: int) -> tuple[bytes, str]:
    """The current PDF of a resume: for its owner, and for recruiters of an organisation the graduate applied to
    (and has not withdrawn from)."""
    resume = session.get(Resume, resume_id)
    if resume is None or not resume.pdf_file:
        raise NotFound("The file could not be found.")
    if resume.graduate_id != user.id:
        organization_id = recruiter_organization_id(session, user)
        applied = organization_id is not None and session.exec(
            select(
                exists().where(
                    Application.graduate_id == resume.graduate_id,
                    Application.status != "withdrawn",
                    Application.position_id == Position.id,
                    Position.organization_id == organization_id,
                )
            )
        ).one()
        if not applied:
            raise NotFound("The file could not be found.")
    return read_stored(storage_for(settings), resume.pdf_file), resume.pdf_original_name or "resume.pdf"


def own_pdf(session: Session, *, settings: Settings, user: User) -> tuple[bytes, str]:
    resume = get_resume(session, graduate_id=user.id) if user.role == Role.graduate else None
    if resume is None or not resume.pdf_file:
        raise NotFound("The file could not be found.")
    return resume_pdf_for(session, settings=settings, user=user, resume_id=resume.id)


# ---------------------------------------------------------------- verified skills


def verified_skills(session: Session, *, graduate_id: int) -> list[VerifiedSkillPublic]:
    rows = session.exec(
        select(VerifiedSkill).where(VerifiedSkill.graduate_id == graduate_id).order_by(VerifiedSkill.verified_at, VerifiedSkill.id)
    ).all()
    return [VerifiedSkillPublic.model_validate(row, from_attributes=True) for row in rows]


def add_verified_skills(
    session: Session, *, graduate_id: int, skills: list[str], certificate: str, certificate_number: str | None,
    issuer: str, reference: str,
) -> None:
    """Records skills a third party vouches for, inside the caller's transaction; the résumé lists them too."""
    known = set(session.exec(
        select(VerifiedSkill.skill).where(VerifiedSkill.graduate_id == graduate_id, VerifiedSkill.reference == reference)
    ).all())
    session.add_all(
        VerifiedSkill(graduate_id=graduate_id, skill=skill, certificate=certificate,
                      certificate_number=certificate_number, issuer=issuer, reference=reference)
        for skill in dict.fromkeys(skills) if skill not in known
    )
    resume = get_resume(session, graduate_id=graduate_id)
    if resume is None:
        return
    listed = {skill.casefold() for skill in resume.skills}
    added = [skill for skill in skills if skill.casefold() not in listed]
    if added:
        resume.skills = [*resume.skills, *added]
        resume.updated_at = utcnow()
        session.add(resume)
        session.flush()
        outbox.enqueue(session, "resume", resume.id)


def snapshot(session: Session, *, user: User) -> dict:
    """What an employer receives with an application: the resume and profile as they are now."""
    resume = get_resume(session, graduate_id=user.id)
    if resume is None:
        raise Invalid("Please complete your resume before applying.", field="resume")
    profile = profile_of(session, user=user)
    return {
        "profile": public_profile(user, profile).model_dump(mode="json"),
        "resume": public_resume(resume).model_dump(mode="json", exclude={"has_pdf", "pdf_size"}),
        "verified_skills": [v.model_dump(mode="json") for v in verified_skills(session, graduate_id=user.id)],
        "taken_at": utcnow().isoformat(),
    }
