"""What one side keeps to itself never reaches the other through any page, API or export."""
import pytest

from portal.guidance import service as guidance
from tests.factories import make_graduate, make_guidance_slot, make_officer

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
