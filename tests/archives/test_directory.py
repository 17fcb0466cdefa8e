"""The officers' directory of agencies (/officer/agencies) through real HTTP: every officer sees each agency's name,
address and phone (to send a case to the right one), and its staff's names and emails only when the agency is
theirs to cover: their own agency, an agency in a district of their scope, or any for a city-wide officer."""
from tests.factories import make_agency, make_officer


def test_staff_contacts_only_for_agencies_in_the_officers_scope(session, client_for):
    heping, heping_staff = make_agency(session, district="和平区")
    xiqing, xiqing_staff = make_agency(session, district="西青区")

    district_officer = client_for(make_officer(session, schools=(), districts=("和平区",)))
    page = district_officer.get("/officer/agencies")
    assert page.status_code == 200
    assert heping_staff.email in page.text and heping_staff.display_name in page.text
    assert xiqing.name in page.text and xiqing.phone in page.text  # where to send a case, still there
    assert xiqing_staff.email not in page.text and xiqing_staff.display_name not in page.text
    assert "/officer/agencies/" not in page.text  # adding officers is the city's, so no form for them

    school_officer = client_for(make_officer(session, schools=("南开大学",)))
    page = school_officer.get("/officer/agencies").text
    assert heping.name in page and xiqing.name in page
    assert heping_staff.email not in page and xiqing_staff.email not in page

    own = client_for(xiqing_staff).get("/officer/agencies").text  # an agency's officer sees their colleagues
    assert xiqing_staff.email in own and heping_staff.email not in own

    city = client_for(make_officer(session, schools=(), city_wide=True)).get("/officer/agencies").text
    assert heping_staff.email in city and xiqing_staff.email in city
    assert f"/officer/agencies/{xiqing.id}/officers" in city
