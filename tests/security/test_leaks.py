"""What one side keeps to itself never reaches the other, and what the portal vouches for cannot be forged."""
import re
import subprocess

import pytest

from portal.archives import service as archives
from portal.archives.schemas import Contents, ServiceAnswer, ServiceRequest
from portal.guidance import service as guidance
from tests.factories import make_graduate, make_guidance_slot, make_kept_file, make_officer

NOTE = "家访记录：情绪低落，需持续关注（仅顾问可见）"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # no query here differs between the databases
def test_an_advisers_private_notes_never_reach_the_graduate(session, settings, client_for):
    adviser, graduate = make_officer(session), make_graduate(session)
    slot = make_guidance_slot(session, adviser)
    appointment = guidance.book(session, settings=settings, graduate=graduate, slot_id=slot.id, topic="想修改简历")
    guidance.save_notes(session, adviser=adviser, appointment_id=appointment.id, notes=NOTE)
    http = client_for(graduate)
    for path in ("/me/guidance", f"/me/guidance/{appointment.id}", "/api/v1/me/guidance", "/me/privacy/export.json",
                 "/api/v1/me/data"):
        response = http.get(path)
        assert response.status_code == 200, path
        assert NOTE not in response.text, path
    assert NOTE in client_for(adviser).get(f"/guidance/adviser/appointments/{appointment.id}").text


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_custody_certificate_is_checked_at_the_address_it_prints_and_a_forged_one_is_not(session, settings, client,
                                                                                          tmp_path):
    """The certificate's number is guessable (file number + C0001) and anyone can draw a PDF, so what makes one
    trustworthy is the check address printed on it, whose code only the portal can make."""
    row, person, staff = make_kept_file(session, settings)
    asked = archives.request_service(session, settings=settings, person=person, file_id=row.id,
                                     request=ServiceRequest(kind="custody_certificate"))
    issued = archives.answer_service(session, settings=settings, officer=staff, service_id=asked.id,
                                     answer=ServiceAnswer(outcome="done"))
    pdf, _ = archives.certificate_pdf(session, settings=settings, user=person, service_id=issued.id)
    (tmp_path / "c.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    printed = re.search(r"/archive/certificates/check/\d+/[\w-]+=*", text.replace("\n", "")).group(0)
    check = client.get(printed, headers={"Accept-Language": "en"})
    assert check.status_code == 200 and issued.certificate_number in check.text
    assert "matches the agency" in check.text and person.display_name not in check.text  # the name is masked
    forged = printed.rsplit("/", 1)[0] + "/" + "A" * 16
    other = printed.replace(f"/check/{issued.id}/", f"/check/{issued.id + 1}/")
    assert client.get(forged).status_code == 404 and client.get(other).status_code == 404


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_what_a_kept_personnel_file_holds_never_reaches_its_person(session, settings, client_for):
    """The agency's record of a file's contents went into the person's data export through the audit log's detail."""
    row, person, staff = make_kept_file(session, settings)
    archives.update_contents(session, officer=staff, file_id=row.id, contents=Contents(
        contents=["graduate_registration_form", "transcript", "awards_and_penalties"], location="B 库 07-01"))
    http = client_for(person)
    for path in ("/me/archive", "/api/v1/me/archive", "/me/privacy/export.json", "/api/v1/me/data"):
        response = http.get(path)
        assert response.status_code == 200, path
        assert "awards_and_penalties" not in response.text and "B 库" not in response.text, path
