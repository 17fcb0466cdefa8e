from portal.agreements import ca, demo, service, signing
from portal.destinations import demo as destinations_demo
from portal.destinations import followup
from portal.destinations import service as destinations
from tests.factories import PASSWORD, make_employer, make_officer, make_position


def test_seed_demo_makes_a_signed_agreement_once(session, settings):
    organization, recruiter = make_employer(session)
    make_position(session, organization)
    make_position(session, organization)
    officer = make_officer(session, schools=("南开大学", "天津大学"), city_wide=True)
    logins = demo.seed_demo(session, settings=settings, employer_email=recruiter.email, officer_email=officer.email,
                            password=PASSWORD)
    assert len(logins) == 2
    agreements = service.list_agreements(session, user=officer)
    assert sorted(a.status for a in agreements) == ["awaiting_graduate", "signed"]
    signed = next(a for a in agreements if a.status == "signed")
    report = signing.verify_pdf(service.read_pdf(settings, signed), root=ca.root_asn1(settings))
    assert report.valid and len(report.signatures) == 3
    assert destinations.get_destination(session, signed.graduate_id).category == "agreement"
    seeded = destinations_demo.seed_destinations(session, settings=settings, officer_email=officer.email,
                                                 placed_graduate_email=demo.SIGNED_GRADUATE_EMAIL, password=PASSWORD)
    assert seeded == [("graduate", destinations_demo.JOBLESS_GRADUATE_EMAIL)]
    assert len(followup.list_cases(session, officer=officer)) == 1
    again = demo.seed_demo(session, settings=settings, employer_email=recruiter.email, officer_email=officer.email,
                           password=PASSWORD)
    assert again == logins and len(service.list_agreements(session, user=officer)) == 2
