"""Two agency officers acting on one personnel file at once (PostgreSQL row locks): the second sees what the first
left and gets a Conflict; the file's history and the person's notifications are written once."""
from sqlmodel import func, select

from portal.accounts.models import User
from portal.archives import service
from portal.archives.models import FileStatus, FileStep
from portal.archives.schemas import Contents, CustodyApplication, ServiceAnswer, ServiceRequest
from portal.errors import Conflict
from portal.notifications.models import Notification
from tests.concurrency import require_row_locks, run_together
from tests.factories import ID_NUMBER, make_agency, make_graduate, make_kept_file

CONTENTS = Contents(contents=["transcript"], location="C 库 02-01")


def applied_file(session, settings):
    agency, staff = make_agency(session)
    person = make_graduate(session)
    row = service.apply(session, settings=settings, person=person, application=CustodyApplication(
        agency_id=agency.id, applicant_kind="no_employer", id_number=ID_NUMBER, phone="13800138000",
        file_source="elsewhere", file_holder="天津市南开区人才服务中心"))
    return row, person, staff


def steps(session, file_id: int, kind: str) -> int:
    return session.exec(select(func.count()).select_from(FileStep).where(
        FileStep.file_id == file_id, FileStep.kind == kind)).one()


def notices(session, person_id: int) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == person_id, Notification.kind == "archives")).one()


def outcome_names(outcomes) -> list[str]:
    return sorted("Conflict" if isinstance(o, Conflict) else type(o).__name__ for o in outcomes)


def test_an_accept_and_a_refusal_at_once_decide_the_application_once(engine, session, settings):
    require_row_locks(engine)
    row, person, staff = applied_file(session, settings)
    before = notices(session, person.id)
    decide = lambda accept: lambda s: service.decide(s, settings=settings, officer=s.get(User, staff.id),
                                                     file_id=row.id, accept=accept, note="材料不全")

    outcomes = run_together(engine, [decide(True), decide(False)])

    assert outcome_names(outcomes) == ["Conflict", "PersonnelFile"]
    session.expire_all()
    final = session.get(type(row), row.id).status
    assert final == (FileStatus.accepted if not isinstance(outcomes[0], Exception) else FileStatus.refused)
    assert steps(session, row.id, FileStatus.accepted) + steps(session, row.id, FileStatus.refused) == 1
    assert notices(session, person.id) == before + 1


def test_a_file_received_twice_at_once_is_received_once(engine, session, settings):
    require_row_locks(engine)
    row, person, staff = applied_file(session, settings)
    service.decide(session, settings=settings, officer=staff, file_id=row.id, accept=True)
    before = notices(session, person.id)
    receive = lambda s: service.receive(s, settings=settings, officer=s.get(User, staff.id), file_id=row.id,
                                        contents=CONTENTS)

    outcomes = run_together(engine, [receive, receive])

    assert outcome_names(outcomes) == ["Conflict", "PersonnelFile"]
    assert steps(session, row.id, FileStatus.in_custody) == 1
    assert notices(session, person.id) == before + 1


def test_a_withdrawal_racing_the_decision_leaves_one_outcome(engine, session, settings):
    require_row_locks(engine)
    row, person, staff = applied_file(session, settings)

    outcomes = run_together(engine, [
        lambda s: service.decide(s, settings=settings, officer=s.get(User, staff.id), file_id=row.id, accept=True),
        lambda s: service.withdraw(s, person=s.get(User, person.id), file_id=row.id),
    ])

    assert outcome_names(outcomes) == ["Conflict", "PersonnelFile"]
    session.expire_all()
    final = session.get(type(row), row.id).status
    assert final == (FileStatus.accepted if not isinstance(outcomes[0], Exception) else FileStatus.withdrawn)
    assert steps(session, row.id, FileStatus.accepted) + steps(session, row.id, FileStatus.withdrawn) == 1


def test_a_request_answered_twice_at_once_is_answered_once(engine, session, settings):
    require_row_locks(engine)
    row, person, staff = make_kept_file(session, settings)
    asked = service.request_service(session, settings=settings, person=person, file_id=row.id,
                                    request=ServiceRequest(kind="custody_certificate"))
    before = notices(session, person.id)
    answer = lambda outcome: lambda s: service.answer_service(
        s, settings=settings, officer=s.get(User, staff.id), service_id=asked.id,
        answer=ServiceAnswer(outcome=outcome, answer="" if outcome == "done" else "暂不能出具"))

    outcomes = run_together(engine, [answer("done"), answer("refused")])

    assert outcome_names(outcomes) == ["Conflict", "FileService"]
    assert steps(session, row.id, "custody_certificate.done") + steps(session, row.id, "custody_certificate.refused") == 1
    assert notices(session, person.id) == before + 1


def test_the_same_request_asked_twice_at_once_opens_one(engine, session, settings):
    require_row_locks(engine)
    row, person, _ = make_kept_file(session, settings)
    ask = lambda s: service.request_service(s, settings=settings, person=s.get(User, person.id), file_id=row.id,
                                            request=ServiceRequest(kind="custody_certificate"))

    outcomes = run_together(engine, [ask, ask])

    assert outcome_names(outcomes) == ["Conflict", "FileService"]
    assert steps(session, row.id, "custody_certificate.requested") == 1
