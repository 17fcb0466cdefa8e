"""Demo data for agreements: one agreement signed by all three parties, one waiting for its graduate. Called from
portal/demo.py; runs once, through the services."""
from datetime import date

from sqlmodel import Session, select

from portal.accounts import service as accounts
from portal.accounts.schemas import GraduateSignup
from portal.agreements import ca, service
from portal.agreements.schemas import AgreementTerms
from portal.settings import Settings

SIGNED_GRADUATE_EMAIL = "graduate.signed@demo.jinying.cn"
SIGNING_GRADUATE_EMAIL = "graduate.signing@demo.jinying.cn"


def _graduate(session: Session, *, email: str, password: str, name: str, number: str, major: str):
    return accounts.get_user_by_email(session, email) or accounts.register_graduate(session, signup=GraduateSignup(
        email=email, password=password, display_name=name, school="南开大学", student_number=number, major=major,
        degree="bachelor", graduation_year=2026,
    ))


def _offer(session: Session, *, settings: Settings, graduate, employer, position_id: int) -> int:
    """An application taken through interview to offer, as the employer would on the portal."""
    from portal.applications import service as applications
    from portal.resumes import service as resumes
    from portal.resumes.schemas import ResumeUpdate

    if resumes.get_resume(session, graduate_id=graduate.id) is None:
        resumes.update_resume(session, user=graduate, update=ResumeUpdate(
            headline="2026 届本科毕业生", skills=["Python", "SQL"], expected_districts=["滨海新区"],
        ))
    application = applications.apply(session, settings=settings, user=graduate, position_id=position_id)
    for status, message in (("interview", "请于周三上午 10 点到公司参加面试。"), ("offer", "恭喜您通过面试，我们将与您签订三方协议。")):
        applications.move(session, settings=settings, user=employer, application_id=application.id, status=status,
                          message=message)
    return application.id


def seed_demo(session: Session, *, settings: Settings, employer_email: str, officer_email: str, password: str
              ) -> list[tuple[str, str]]:
    """Returns the extra demo logins as (role, email). Needs the demo employer with two open positions and the
    demo officer (school scope 南开大学); does nothing once the signed demo graduate exists."""
    from portal.applications.models import Application
    from portal.employers.models import Recruiter
    from portal.positions.models import Position
    from portal.positions.service import open_positions_filter

    logins = [("graduate", SIGNED_GRADUATE_EMAIL), ("graduate", SIGNING_GRADUATE_EMAIL)]
    employer = accounts.get_user_by_email(session, employer_email)
    officer = accounts.get_user_by_email(session, officer_email)
    recruiter = session.get(Recruiter, employer.id) if employer else None
    if recruiter is None or officer is None:
        return []
    if accounts.get_user_by_email(session, SIGNED_GRADUATE_EMAIL) is not None:
        return logins
    positions = session.exec(
        select(Position).where(Position.organization_id == recruiter.organization_id, open_positions_filter())
        .order_by(Position.id).limit(2)
    ).all()
    if not positions:
        return []
    if not ca.is_initialized(settings):
        ca.init_ca(settings)

    signed_graduate = _graduate(session, email=SIGNED_GRADUATE_EMAIL, password=password, name="王思远",
                                number="2022010233", major="软件工程")
    signing_graduate = _graduate(session, email=SIGNING_GRADUATE_EMAIL, password=password, name="刘雨桐",
                                 number="2022010377", major="计算机科学与技术")
    for graduate, position, start in ((signed_graduate, positions[0], date(2026, 7, 6)),
                                      (signing_graduate, positions[-1], date(2026, 7, 13))):
        application_id = _offer(session, settings=settings, graduate=graduate, employer=employer, position_id=position.id)
        application = session.get(Application, application_id)
        agreement = service.draft_agreement(session, settings=settings, employer=employer, application_id=application.id,
                                            terms=AgreementTerms(
            position_title=position.title, salary_monthly=position.salary_min, probation_months=3, start_date=start,
            work_place=service.work_place_of(position),
            breach_terms=service.active_template(session).default_breach_terms,
            extra_clauses="甲方为乙方提供一年人才公寓；乙方报到时须持毕业证书、学位证书和报到证。",
        ))
        signers = (employer, graduate, officer) if graduate is signed_graduate else (employer,)
        for signer in signers:
            service.sign(session, settings=settings, user=signer, agreement_id=agreement.id, password=password,
                         ip="127.0.0.1", acknowledge_flags=True)

    return logins
