"""The support ledger's JSON API: the same service functions as the pages."""
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from portal.deps import GraduateUser, IdPath, OfficerUser, SearchDep, SessionDep, SettingsDep
from portal.ledger import service
from portal.ledger.models import LedgerCase
from portal.ledger.schemas import CaseList, CaseSummary, EnrolCreate, OfferPublic, SupportPublic, TopUpResult

router = APIRouter(prefix="/api/v1", tags=["ledger"])


class ApplicationCreated(BaseModel):
    application_id: int


def _summary(case: LedgerCase, name: str, major: str, school: str, district: str | None) -> CaseSummary:
    return CaseSummary(id=case.id, graduate_id=case.graduate_id, name=name, school=school, major=major,
                       district=district, status=case.status, categories=case.categories,
                       offers_held=case.offers_held, shortfall_reason=case.shortfall_reason,
                       shortfall=service.shortfall_message(case), opened_at=case.opened_at, closed_at=case.closed_at)


def _file_summary(file: service.CaseFile) -> CaseSummary:
    return _summary(file.case, file.graduate.display_name, file.profile.major, file.profile.school, file.profile.district)


@router.get("/ledger/cases", response_model=CaseList)
def list_cases(user: OfficerUser, session: SessionDep,
               status: Annotated[str | None, Query(max_length=16)] = "active", shortfall: bool = False,
               page: Annotated[int, Query(ge=1, le=10_000)] = 1,
               per_page: Annotated[int, Query(ge=1, le=200)] = 50):
    rows, total = service.list_cases(session, officer=user, status=status or None, shortfall_only=shortfall,
                                     page=page, per_page=per_page)
    return CaseList(total=total, items=[_summary(r.case, r.name, r.major, r.school, r.district) for r in rows])


@router.get("/ledger/cases/{case_id}", response_model=CaseSummary)
def read_case(case_id: IdPath, user: OfficerUser, session: SessionDep):
    file = service.case_file(session, officer=user, case_id=case_id)
    return _file_summary(file)


@router.post("/ledger/cases", response_model=CaseSummary, status_code=201)
def enrol(body: EnrolCreate, user: OfficerUser, session: SessionDep):
    case = service.enrol(session, officer=user, graduate_id=body.graduate_id, categories=body.categories,
                         evidence=body.evidence, consent_given=body.consent_given, consent_note=body.consent_note,
                         preferred_districts=body.preferred_districts, needs_accessible=body.needs_accessible,
                         family_income_note=body.family_income_note)
    file = service.case_file(session, officer=user, case_id=case.id)
    return _file_summary(file)


@router.post("/ledger/top-up", response_model=TopUpResult)
def top_up(user: OfficerUser, session: SessionDep, search: SearchDep, settings: SettingsDep):
    result = service.top_up_with_settings(session, settings=settings, search=search, actor=user,
                                          case_ids=service.cases_in_scope(session, officer=user))
    return TopUpResult(**result.as_dict())


@router.post("/ledger/offers/{offer_id}/confirm", status_code=204)
def confirm_offer(offer_id: IdPath, user: OfficerUser, session: SessionDep, settings: SettingsDep):
    service.confirm_offer(session, officer=user, offer_id=offer_id, settings=settings)
    return Response(status_code=204)


@router.get("/ledger/report", response_model=dict[str, Any])
def report(user: OfficerUser, session: SessionDep):
    return service.report(session, officer=user)


@router.get("/me/support", response_model=SupportPublic)
def my_support(user: GraduateUser, session: SessionDep):
    view = service.my_support(session, graduate=user)
    return SupportPublic(enrolled=view.enrolled, request_pending=view.request is not None, offers=[
        OfferPublic(id=o.id, position_id=p.id, title=p.title, organization=org.name, district=p.district,
                    salary_min=p.salary_min, salary_max=p.salary_max, deadline=p.deadline, status=o.status, fit=o.fit,
                    reasons=o.reasons, application_id=a.id if a else None, application_status=a.status if a else None)
        for o, p, org, a in view.offers])


@router.post("/me/support/offers/{offer_id}/apply", response_model=ApplicationCreated, status_code=201)
def apply_to_offer(offer_id: IdPath, user: GraduateUser, session: SessionDep, settings: SettingsDep):
    application = service.apply_to_offer(session, settings=settings, graduate=user, offer_id=offer_id)
    return ApplicationCreated(application_id=application.id)
