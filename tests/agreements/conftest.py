from datetime import date

import pytest

from portal.agreements import ca, service
from portal.agreements.schemas import AgreementTerms
from tests.factories import PASSWORD, make_offer, make_officer


@pytest.fixture
def ca_settings(settings):
    ca.init_ca(settings)
    return settings


TERMS = AgreementTerms(
    position_title="后端开发工程师", salary_monthly=9500, probation_months=3, start_date=date(2026, 7, 15),
    work_place="天津市滨海新区第三大街 16 号", breach_terms="任何一方违约，应向守约方支付违约金人民币 3000 元。",
    extra_clauses="甲方为乙方提供人才公寓一年。",
)


@pytest.fixture
def parties(session, ca_settings):
    """A drafted agreement and its three signers: (agreement, recruiter, graduate, officer)."""
    application, organization, recruiter, graduate = make_offer(session)
    officer = make_officer(session, schools=("南开大学",))
    agreement = service.draft_agreement(
        session, settings=ca_settings, employer=recruiter, application_id=application.id, terms=TERMS
    )
    return agreement, recruiter, graduate, officer


def sign_all(session, settings, agreement, recruiter, graduate, officer):
    for user in (recruiter, graduate, officer):
        agreement = service.sign(session, settings=settings, user=user, agreement_id=agreement.id, password=PASSWORD,
                                 ip="127.0.0.1", acknowledge_flags=True)
    return agreement
