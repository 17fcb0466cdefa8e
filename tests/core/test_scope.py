"""The officer-scope rule (portal/scope.py), once for every domain: SQL conditions and single-object checks."""
import pytest
from sqlmodel import select

from portal.accounts.models import GraduateProfile, Role
from portal.employers.models import Organization
from portal.errors import NotFound
from portal.scope import CITY, NO_SCOPE, graduate_in_scope, is_school_officer, school_officers, scope_of
from tests.factories import make_employer, make_graduate, make_officer


@pytest.fixture
def people(session):
    nankai = make_graduate(session, school="南开大学")
    tju = make_graduate(session, school="天津大学")
    profile = session.get(GraduateProfile, tju.id)
    profile.district = "和平区"
    session.add(profile)
    session.commit()
    return nankai, tju


def _graduates(session, scope) -> set[int]:
    return set(session.exec(select(GraduateProfile.user_id).where(scope.graduates())))


def test_schools_districts_and_the_city(session, people):
    nankai, tju = people
    school_officer = scope_of(session, make_officer(session, schools=["南开大学"]))
    district_officer = scope_of(session, make_officer(session, schools=[], districts=["和平区"]))
    assert _graduates(session, school_officer) == {nankai.id}
    assert _graduates(session, district_officer) == {tju.id}
    assert _graduates(session, scope_of(session, make_officer(session, schools=[], city_wide=True))) == {nankai.id, tju.id}
    assert _graduates(session, scope_of(session, make_officer(session, schools=[]))) == set()
    assert scope_of(session, make_officer(session, schools=[], role=Role.admin)) == CITY
    assert scope_of(session, nankai) == NO_SCOPE and scope_of(session, None) == NO_SCOPE
    ids = select(GraduateProfile.user_id).where(district_officer.graduate_ids(GraduateProfile.user_id))
    assert set(session.exec(ids)) == {tju.id}


def test_a_single_graduate_out_of_scope_is_not_found(session, people):
    nankai, tju = people
    officer = make_officer(session, schools=["南开大学"])
    assert graduate_in_scope(session, officer, nankai.id).user_id == nankai.id
    with pytest.raises(NotFound):
        graduate_in_scope(session, officer, tju.id)
    with pytest.raises(NotFound):
        graduate_in_scope(session, officer, 10**6)


def test_the_profile_on_record_decides_not_a_copy(session, people):
    nankai, _ = people
    officer = make_officer(session, schools=["南开大学"])
    profile = session.get(GraduateProfile, nankai.id)
    profile.school = "天津大学"
    session.add(profile)
    session.commit()
    with pytest.raises(NotFound):
        graduate_in_scope(session, officer, nankai.id)


def test_organisations_by_district_and_who_signs_for_a_school(session):
    binhai, _ = make_employer(session, district="滨海新区")
    heping, _ = make_employer(session, district="和平区")
    district_officer = make_officer(session, schools=["南开大学"], districts=["和平区"])
    scope = scope_of(session, district_officer)
    assert set(session.exec(select(Organization.id).where(scope.organizations(Organization.district)))) == {heping.id}
    assert scope.covers_district(heping.district) and not scope.covers_district(binhai.district)
    assert not scope_of(session, make_officer(session, schools=["南开大学"])).covers_district("和平区")
    assert is_school_officer(session, district_officer, "南开大学")
    assert not is_school_officer(session, make_officer(session, schools=[], city_wide=True), "南开大学")
    tju = make_officer(session, schools=["天津大学"])
    assert [u.id for u in school_officers(session, "天津大学")] == [tju.id]  # not the city-wide one above
