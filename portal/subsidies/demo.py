"""Demo subsidy claim for `portal serve --demo`: the priority graduate completed the city's data-analysis programme
and claims its subsidy with her documents, waiting for the officer. Idempotent, via the services."""
import base64

from sqlmodel import Session, select

from portal.accounts import service as accounts
from portal.settings import Settings
from portal.subsidies import service
from portal.subsidies.models import REQUIRED_DOCUMENTS
from portal.training import service as training
from portal.training.models import TrainingProgramme

CLAIMANT_EMAIL = "wangli@demo.jinying.cn"  # the ledger demo's priority graduate
PROGRAMME_TITLE = "Excel 与 Python 数据分析实训"
# A 1x1 PNG: the documents only need to be real images for the demo.
SCAN_NAMES = {"id_card": "身份证正反面.png", "certificate": "结业证书.png", "bank_card": "银行卡.png"}
SCAN = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def seed_subsidies(session: Session, *, settings: Settings, officer_email: str) -> None:
    officer = accounts.get_user_by_email(session, officer_email)
    graduate = accounts.get_user_by_email(session, CLAIMANT_EMAIL)
    programme = session.exec(select(TrainingProgramme).where(TrainingProgramme.title == PROGRAMME_TITLE)).first()
    if None in (officer, graduate, programme) or service.my_applications(session, graduate=graduate):
        return
    enrolment = training.enrol(session, graduate=graduate, programme_id=programme.id)
    training.record_result(session, settings=settings, user=officer, enrolment_id=enrolment.id, completed=True,
                           certificate_number="SJFX-2026-0317")
    claim = service.start(session, graduate=graduate, programme_id=programme.id)
    for kind in REQUIRED_DOCUMENTS:
        service.add_document(session, settings=settings, graduate=graduate, application_id=claim.id, kind=kind,
                             filename=SCAN_NAMES[kind], chunks=[SCAN])
    service.submit(session, settings=settings, graduate=graduate, application_id=claim.id, note="材料已齐全，请审核。")
