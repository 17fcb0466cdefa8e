"""Test data builders: each makes a valid object in one call, with overridable fields."""
import itertools
from datetime import timedelta

from sqlmodel import Session

from portal.accounts import service as accounts
from portal.accounts.models import Role, User
from portal.accounts.schemas import GraduateSignup, OfficerCreate
from portal.clock import today, utcnow
from portal.employers.models import Organization, OrganizationStatus, Recruiter
from portal.positions.models import Position, PositionStatus
from portal.resumes.models import Resume

PASSWORD = "correct-horse-9"
_seq = itertools.count(1)

def make_graduate(session: Session, **overrides) -> User:
    n = next(_seq)
    fields = dict(
        email=f"grad{n}@example.edu.cn", password=PASSWORD, display_name=f"毕业生{n}", school="南开大学",
        student_number=f"2022{n:05d}", major="计算机科学与技术", degree="bachelor", graduation_year=2026,
    )
    fields.update(overrides)
    return accounts.register_graduate(session, signup=GraduateSignup(**fields))


def make_officer(session: Session, *, schools=("南开大学",), districts=(), city_wide=False, role=Role.officer, **overrides) -> User:
    n = next(_seq)
    fields = dict(email=f"officer{n}@jinying.gov.cn", password=PASSWORD, display_name=f"就业专员{n}")
    fields.update(overrides)
    officer = OfficerCreate(**fields, schools=list(schools), districts=list(districts), city_wide=city_wide)
    return accounts.create_officer(session, officer=officer, role=role)


def make_employer(session: Session, *, status: str = OrganizationStatus.verified, **overrides) -> tuple[Organization, User]:
    """An organisation with one owner recruiter; verified unless told otherwise."""
    n = next(_seq)
    fields = dict(
        name=f"天津测试科技有限公司{n}", uscc=f"TEST{n:014d}", contact_name="王经理", contact_phone="13800138000",
        contact_email=f"hr{n}@example.com", industry="information_technology", size="50-199", district="滨海新区",
        status=status, verified_at=utcnow() - timedelta(days=90) if status == OrganizationStatus.verified else None,
    )
    fields.update(overrides)
    organization = Organization(**fields)
    session.add(organization)
    session.flush()
    recruiter = accounts.create_user(
        session, email=f"recruiter{n}@example.com", password=PASSWORD, role=Role.employer, display_name=f"招聘专员{n}"
    )
    session.add(Recruiter(user_id=recruiter.id, organization_id=organization.id, is_owner=True))
    session.commit()
    return organization, recruiter


def make_position(session: Session, organization: Organization, *, status: str = PositionStatus.published, **overrides) -> Position:
    n = next(_seq)
    now = utcnow()
    fields = dict(
        organization_id=organization.id, title=f"Python 开发工程师 {n}", description="负责后端服务开发，使用 Python 与 PostgreSQL。",
        kind="full_time", district="滨海新区", degree_required="bachelor", majors=["计算机科学与技术", "软件工程"],
        skills=["Python", "SQL", "Linux"], salary_min=8000, salary_max=12000, headcount=2,
        deadline=today() + timedelta(days=30), status=status,
        published_at=now if status == PositionStatus.published else None,
        reconfirmed_at=now if status == PositionStatus.published else None,
    )
    fields.update(overrides)
    position = Position(**fields)
    session.add(position)
    session.commit()
    return position


def make_resume(session: Session, graduate: User, **overrides) -> Resume:
    fields = dict(
        graduate_id=graduate.id, headline="后端开发方向应届生", self_intro="热爱编程，做过校园二手交易平台。",
        skills=["Python", "SQL", "Git"], education=[{"school": "南开大学", "major": "计算机科学与技术", "degree": "bachelor", "start": "2022-09", "end": "2026-06"}],
        expected_districts=["滨海新区", "南开区"], expected_kinds=["full_time"], expected_salary_min=7000, expected_salary_max=11000,
    )
    fields.update(overrides)
    resume = Resume(**fields)
    session.add(resume)
    session.commit()
    return resume


def make_offer(session: Session, *, graduate: User | None = None, organization: Organization | None = None,
               interviewed: bool = True, status: str = "offer"):
    """An application at the offer stage -> (application, organization, recruiter, graduate).

    With `interviewed`, its history shows an interview before the offer, as a genuine hire would.
    """
    from portal.applications.models import Application, ApplicationEvent

    recruiter = None
    if organization is None:
        organization, recruiter = make_employer(session)
    else:
        from sqlmodel import select

        recruiter_row = session.exec(select(Recruiter).where(Recruiter.organization_id == organization.id)).first()
        recruiter = session.get(User, recruiter_row.user_id)
    graduate = graduate or make_graduate(session)
    position = make_position(session, organization)
    application = Application(position_id=position.id, graduate_id=graduate.id, status=status)
    session.add(application)
    session.flush()
    steps = ["received", "interview", status] if interviewed else ["received", status]
    session.add_all(ApplicationEvent(application_id=application.id, status=s, actor_id=recruiter.id) for s in steps)
    session.commit()
    return application, organization, recruiter, graduate


def make_application(session: Session, graduate: User, position: Position, *, settings, cover_note=None):
    """An application through the real service; gives the graduate a resume first if they have none."""
    from portal.applications import service as applications
    from portal.resumes import service as resumes

    if resumes.get_resume(session, graduate_id=graduate.id) is None:
        make_resume(session, graduate)
    return applications.apply(session, settings=settings, user=graduate, position_id=position.id, cover_note=cover_note)


# ---- employers and positions (through their services) ----

def organization_signup_data(**overrides) -> dict:
    """Form/API fields of a valid employer sign-up, with a fresh valid USCC and sign-in email."""
    from portal.employers.uscc import make_valid_uscc

    n = next(_seq)
    fields = dict(
        name=f"天津津英测试有限公司{n}", uscc=make_valid_uscc(), industry="information_technology", size="50-199",
        district="滨海新区", address="天津市滨海新区新港二号路 1 号", contact_name="刘经理", contact_phone="13912345678",
        email=f"owner{n}@example.com", password=PASSWORD,
    )
    fields.update(overrides)
    return fields


def position_data(**overrides) -> dict:
    """Fields of a valid position (PositionCreate), as JSON-ready values."""
    fields = dict(
        title="数据分析助理", description="协助整理与分析业务数据，输出周报。熟悉 Excel 或 Python 优先。", kind="full_time",
        district="南开区", address="天津市南开区卫津路 92 号", degree_required="bachelor", majors=["统计学", "数学与应用数学"],
        skills=["Excel", "Python", "SQL"], salary_min=6000, salary_max=9000, headcount=2,
        deadline=(today() + timedelta(days=45)).isoformat(), is_support=False, accessible=False,
    )
    fields.update(overrides)
    return fields


def make_ledger_case(session: Session, graduate: User, officer: User, *, categories=("minimum_subsistence",), **overrides):
    """A support-ledger case for the graduate, enrolled by the officer with consent and evidence."""
    from portal.ledger import service as ledger

    fields = dict(evidence="低保证（民政局 2026 年核发）复印件", consent_given=True, consent_note="本人签字同意书")
    fields.update(overrides)
    return ledger.enrol(session, officer=officer, graduate_id=graduate.id, categories=list(categories), **fields)


# ---- events, presentations, interviews, notices (issue 12; through their services) ----

def make_interview(session: Session, *, settings, starts_in: timedelta = timedelta(minutes=5), choose: bool = True):
    """A video interview from a fresh application -> (interview, graduate, recruiter); scheduled unless `choose` is off."""
    from portal.interviews import service as interviews

    organization, recruiter = make_employer(session)
    graduate = make_graduate(session)
    application = make_application(session, graduate, make_position(session, organization), settings=settings)
    interview = interviews.propose(session, settings=settings, user=recruiter, application_id=application.id,
                                   slots=[utcnow() + starts_in, utcnow() + starts_in + timedelta(days=1)])
    if choose:
        slot = interviews.get(session, user=graduate, interview_id=interview.id).slots[0]
        interviews.choose(session, settings=settings, user=graduate, interview_id=interview.id, slot_id=slot.id)
    return interview, graduate, recruiter


def make_presentation(session: Session, *, settings, starts_in: timedelta = timedelta(minutes=5), approved: bool = True,
                      **fields):
    """A presentation by a fresh verified employer -> (presentation, presenter); approved unless told otherwise."""
    from portal.presentations import service as presentations
    from portal.presentations.schemas import PresentationCreate

    organization, recruiter = make_employer(session)
    position = make_position(session, organization)
    values = dict(topic="校园宣讲：后端开发岗位", starts_at=utcnow() + starts_in, position_ids=[position.id])
    values.update(fields)
    presentation = presentations.schedule(session, user=recruiter, create=PresentationCreate(**values))
    if approved:
        officer = make_officer(session, city_wide=True)
        presentations.decide(session, settings=settings, officer=officer, presentation_id=presentation.id, approve=True)
    return presentation, recruiter


def make_fair(session: Session, *, organizer: User | None = None, kind: str = "on_site",
              starts_in: timedelta = timedelta(days=1), **fields):
    """A published fair organised by an officer (a fresh one unless given), lasting four hours."""
    from portal.fairs import service as fairs
    from portal.fairs.schemas import FairCreate

    starts = utcnow() + starts_in
    values = dict(kind=kind, title="津英就业·信息技术专场招聘会", starts_at=starts, ends_at=starts + timedelta(hours=4),
                  registration_deadline=starts, capacity=100, venue="天津梅江会展中心" if kind == "on_site" else None,
                  booths=20 if kind == "on_site" else 0, district="西青区")
    values.update(fields)
    return fairs.create_fair(session, user=organizer or make_officer(session, city_wide=True), create=FairCreate(**values))


def make_exhibitor(session: Session, fair, *, settings, approved: bool = True, booth: int | None = 1):
    """A verified employer taking part in the fair with one position -> (exhibitor, organization, recruiter, position)."""
    from portal.fairs import service as fairs
    from portal.fairs.schemas import ExhibitRequest

    organization, recruiter = make_employer(session)
    position = make_position(session, organization)
    exhibitor = fairs.request_to_exhibit(session, settings=settings, user=recruiter, fair_id=fair.id,
                                         request=ExhibitRequest(position_ids=[position.id], booth=booth))
    if approved:
        organizer = session.get(User, fair.organizer_id)
        fairs.decide_exhibitor(session, settings=settings, user=organizer, fair_id=fair.id, exhibitor_id=exhibitor.id,
                               approve=True)
    return exhibitor, organization, recruiter, position


# ---- training (portal/training)

def make_provider(session: Session, *, status: str = "approved", **overrides):
    """A training provider with one account -> (provider, user); approved unless told otherwise."""
    from portal.training import service as training
    from portal.training.schemas import ProviderSignup

    n = next(_seq)
    fields = dict(name=f"津门职业培训学校{n}", district="南开区", address="天津市南开区鞍山西道 1 号", contact_name="赵老师",
                  contact_phone="13900000000", description="人社部门备案的职业技能培训机构。", email=f"provider{n}@example.com",
                  password=PASSWORD)
    fields.update(overrides)
    provider, user = training.register_provider(session, signup=ProviderSignup(**fields))
    provider.status = status
    session.add(provider)
    session.commit()
    return provider, user


def make_programme(session: Session, *, provider=None, status: str = "published", started: bool = False, **overrides):
    """A training programme (the city's unless a provider is given); `started` puts its first day in the past."""
    from portal.training import service as training
    from portal.training.models import TrainingProgramme

    n = next(_seq)
    starts_on = today() - timedelta(days=7) if started else today() + timedelta(days=14)
    fields = dict(
        title=f"Docker 与 Kubernetes 实训 {n}", description="容器化部署与集群运维的实操课程，结业发证。",
        skills=["Docker", "Kubernetes"], starts_on=starts_on, ends_on=starts_on + timedelta(days=30),
        schedule="每周六 9:00–12:00，共 8 次", mode="in_person", district="南开区", place="天津市南开区鞍山西道 1 号",
        seats=20, cost=2400, certificate="云原生运维职业技能等级证书（中级）", subsidised=True, subsidy_amount=1800,
        subsidy_groups=["final_year", "unemployed_graduate", "priority_group"],
        enrol_by=today() + timedelta(days=10), provider_id=provider.id if provider else None, status=status,
        published_at=utcnow() if status == "published" else None,
    )
    fields.update(overrides)
    fields["skill_keys"] = training.skill_keys_of(fields["skills"])
    programme = TrainingProgramme(**fields)
    session.add(programme)
    session.commit()
    return programme


def make_trainee(session: Session, settings, *, programme=None, graduate=None, completed: bool = True):
    """A graduate in their final year enrolled in a started, subsidised city programme -> (programme, enrolment,
    graduate); with `completed`, the certificate is recorded (as the provider's result would)."""
    from portal.subsidies.service import graduating_class
    from portal.training import service as training

    programme = programme or make_programme(session, started=True)
    graduate = graduate or make_graduate(session, graduation_year=graduating_class())
    enrolment = training.enrol(session, graduate=graduate, programme_id=programme.id)
    if completed:
        enrolment.status, enrolment.completed_at = "completed", utcnow()
        enrolment.certificate_number = f"TJ-{enrolment.id:05d}"
        session.add(enrolment)
        session.commit()
    return programme, enrolment, graduate


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def make_subsidy_claim(session: Session, settings, *, submitted: bool = True, **trainee):
    """A subsidy claim with every required document -> (application, graduate); submitted unless told otherwise."""
    from portal.subsidies import service as subsidies
    from portal.subsidies.models import REQUIRED_DOCUMENTS

    programme, _, graduate = make_trainee(session, settings, **trainee)
    application = subsidies.start(session, graduate=graduate, programme_id=programme.id)
    for kind in REQUIRED_DOCUMENTS:
        subsidies.add_document(session, settings=settings, graduate=graduate, application_id=application.id, kind=kind,
                               filename=f"{kind}.pdf", chunks=[PDF_BYTES])
    if submitted:
        application = subsidies.submit(session, settings=settings, graduate=graduate, application_id=application.id)
    return application, graduate


# ---- traineeships (portal/traineeships)

def make_traineeship_base(session: Session, organization: Organization, *, batch=None, capacity: int = 3, **overrides):
    """A base for the organisation in a published batch (a new one unless given) -> TraineeshipBase."""
    from portal.traineeships.models import TraineeshipBase, TraineeshipBatch

    if batch is None:
        batch = TraineeshipBatch(name=f"{today().year} 年第 {next(_seq)} 批就业见习基地", publish_on=today(),
                                 applications_open_on=today(), applications_close_on=today() + timedelta(days=90),
                                 status="published", published_at=utcnow())
        session.add(batch)
        session.flush()
    fields = dict(batch_id=batch.id, organization_id=organization.id, name=f"{organization.name}见习基地",
                  district=organization.district, address="天津市滨海新区新港二号路 1 号", capacity=capacity)
    fields.update(overrides)
    base = TraineeshipBase(**fields)
    session.add(base)
    session.commit()
    return base


def make_placement(session: Session, organization: Organization, *, graduate: User | None = None):
    """A graduate hired into a traineeship post of the organisation -> (application, position, graduate)."""
    from portal.applications.models import Application

    graduate = graduate or make_graduate(session)
    position = make_position(session, organization, kind="traineeship", title=f"行政助理见习 {next(_seq)}")
    application = Application(position_id=position.id, graduate_id=graduate.id, status="hired")
    session.add(application)
    session.commit()
    return application, position, graduate


def at_once(work, arguments) -> list:
    """Runs work(argument) for each argument in its own thread, all released together; their results."""
    import threading

    start = threading.Barrier(len(arguments))
    results: list = []

    def run(argument):
        start.wait()
        results.append(work(argument))

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# ---- career guidance (portal/guidance)

def make_counsellor(session: Session, settings, *, officer: User | None = None, **overrides) -> User:
    """An invited career counsellor who has set their password (PASSWORD) -> User."""
    from portal.guidance import service as guidance
    from portal.guidance.schemas import CounsellorInvite

    n = next(_seq)
    fields = dict(email=f"counsellor{n}@example.edu.cn", display_name=f"咨询师{n}", organisation="天津大学就业指导中心")
    fields.update(overrides)
    _, link = guidance.invite_counsellor(session, settings=settings, officer=officer or make_officer(session),
                                         invite=CounsellorInvite(**fields))
    return accounts.accept_invitation(session, token=link.rsplit("/", 1)[1], password=PASSWORD)


def make_guidance_slot(session: Session, adviser: User, *, starts_in: timedelta = timedelta(days=2),
                       mode: str = "in_person", **overrides):
    """A free slot of the adviser -> GuidanceSlot (written directly, so it may lie in the past)."""
    from portal.guidance.models import GuidanceSlot

    fields = dict(adviser_id=adviser.id, starts_at=utcnow() + starts_in, duration_minutes=45, mode=mode,
                  place="就业指导中心 201 室" if mode == "in_person" else None, note="简历修改")
    fields.update(overrides)
    slot = GuidanceSlot(**fields)
    session.add(slot)
    session.commit()
    return slot


# ---- personnel files in custody (portal/archives)

ID_NUMBER = "11010519491231002X"  # a valid check character (GB 11643)


def make_agency(session: Session, **overrides):
    """A talent service agency with one officer of its own -> (agency, agency officer)."""
    from portal.archives import service as archives
    from portal.archives.schemas import AgencyCreate

    n = next(_seq)
    fields = dict(name=f"天津市第{n}人才服务中心", district="和平区", address="天津市和平区南京路 1 号", phone="022-23456789")
    fields.update(overrides)
    city = make_officer(session, schools=(), city_wide=True)
    agency = archives.create_agency(session, officer=city, agency=AgencyCreate(**fields))
    staff = make_officer(session, schools=())
    archives.add_agency_officer(session, officer=city, agency_id=agency.id, email=staff.email)
    return agency, staff


def make_kept_file(session: Session, settings, *, person: User | None = None, agency=None, staff: User | None = None):
    """A personnel file the agency keeps, sent from elsewhere -> (file, person, agency officer)."""
    from portal.archives import service as archives
    from portal.archives.schemas import Contents, CustodyApplication

    if agency is None:
        agency, staff = make_agency(session)
    person = person or make_graduate(session)
    row = archives.apply(session, settings=settings, person=person, application=CustodyApplication(
        agency_id=agency.id, applicant_kind="no_employer", id_number=ID_NUMBER, phone="13800138000",
        file_source="elsewhere", file_holder="天津市南开区人才服务中心"))
    archives.decide(session, settings=settings, officer=staff, file_id=row.id, accept=True)
    row = archives.receive(session, settings=settings, officer=staff, file_id=row.id, contents=Contents(
        contents=["graduate_registration_form", "transcript"], location="A 库 03-12"))
    return row, person, staff


# ---- competitions (portal/competitions)

def deck_pdf() -> bytes:
    """A one-page PDF, as a pitch deck."""
    from io import BytesIO

    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Pitch deck")
    page.showPage()
    page.save()
    return buffer.getvalue()


def make_competition(session: Session, *, organizer: User | None = None, tracks=("人工智能", "智能制造"), **overrides):
    """An open competition (registration for a week) -> (competition, its tracks)."""
    from portal.competitions import service as competitions
    from portal.competitions.schemas import CompetitionCreate

    now = utcnow()
    fields = dict(title=f"天开杯创新创业大赛 {next(_seq)}", summary="面向高校毕业生的创新创业大赛。", rules="团队 1–5 人，须为应届或往届毕业生。",
                  prizes="一等奖 5 万元，入驻天开园孵化器。", tracks=list(tracks),
                  criteria=[{"name": "创新性", "weight": 40}, {"name": "可行性", "weight": 30}, {"name": "团队", "weight": 30}],
                  registration_closes_at=now + timedelta(days=7), judging_ends_at=now + timedelta(days=14),
                  results_at=now + timedelta(days=20))
    fields.update(overrides)
    officer = organizer or make_officer(session, city_wide=True)
    competition = competitions.create(session, officer=officer, competition=CompetitionCreate(**fields))
    competitions.advance(session, settings=None, officer=officer, competition_id=competition.id, step="publish")
    return competition, competitions.tracks_of(session, competition.id)


def make_entry(session: Session, settings, competition, track, *, leader: User | None = None, submitted: bool = True):
    """A team of one (its leader) with a deck -> CompetitionEntry; submitted unless told otherwise."""
    from portal.competitions import service as competitions
    from portal.competitions.schemas import EntryCreate

    leader = leader or make_graduate(session)
    entry = competitions.register_team(session, settings=settings, leader=leader, competition_id=competition.id,
                                       entry=EntryCreate(track_id=track.id, project_name=f"智慧项目 {next(_seq)}",
                                                         summary="用大模型为中小企业做质检，已有三家试点客户。"))
    competitions.upload_deck(session, settings=settings, leader=leader, entry_id=entry.id, filename="路演.pdf",
                             chunks=[deck_pdf()])
    if submitted:
        entry = competitions.submit(session, settings=settings, leader=leader, entry_id=entry.id)
    return entry


def make_judge(session: Session, settings, competition, track) -> User:
    """A judge invited to the track who has set their password (PASSWORD)."""
    from portal.competitions import service as competitions

    n = next(_seq)
    _, link = competitions.invite_judge(session, settings=settings, officer=session.get(User, competition.organizer_id),
                                        competition_id=competition.id, track_id=track.id,
                                        email=f"judge{n}@expert.example.cn", display_name=f"评委{n}")
    return accounts.accept_invitation(session, token=link.rsplit("/", 1)[1], password=PASSWORD)
