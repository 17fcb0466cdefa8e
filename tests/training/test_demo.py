"""The demo's training, subsidy and traineeship data: made once, through the services, whatever runs it again."""
from sqlmodel import select

from portal.subsidies.demo import CLAIMANT_EMAIL, seed_subsidies
from portal.subsidies.models import SubsidyApplication
from portal.subsidies.service import graduating_class
from portal.traineeships import service as traineeships
from portal.traineeships.demo import TRAINEE_EMAIL, seed_traineeships
from portal.training.demo import seed_training
from portal.training.models import TrainingProgramme
from tests.factories import PASSWORD, make_employer, make_graduate, make_officer, make_position


def test_the_demo_seeds_programmes_a_waiting_claim_and_batches_once(session, settings):
    officer = make_officer(session, city_wide=True)
    organization, recruiter = make_employer(session)
    post = make_position(session, organization, kind="traineeship", title="前端开发见习生")
    make_graduate(session, email=CLAIMANT_EMAIL, graduation_year=graduating_class())
    for _ in range(2):
        logins = seed_training(session, settings=settings, officer_email=officer.email, password=PASSWORD)
        seed_subsidies(session, settings=settings, officer_email=officer.email)
        seed_traineeships(session, settings=settings, officer_email=officer.email, employer_email=recruiter.email,
                          password=PASSWORD)
    assert logins == [("provider", "provider@demo.jinying.cn")]
    programmes = session.exec(select(TrainingProgramme)).all()
    assert len(programmes) == 4 and {p.status for p in programmes} == {"published"}
    assert [a.status for a in session.exec(select(SubsidyApplication))] == ["submitted"]
    assert [b.status for b in traineeships.batches(session)] == ["scheduled", "published"]
    [base] = traineeships.bases_of(session, traineeships.batches(session, published_only=True)[0].id)
    session.refresh(post)
    assert (post.status, post.traineeship_months, post.host_base_id) == ("published", 6, base.base.id)
    [placed] = traineeships.placements(session, officer=officer)  # officers have a trainee to follow
    assert (placed.graduate.email, placed.position.id, base.placed) == (TRAINEE_EMAIL, post.id, 1)
