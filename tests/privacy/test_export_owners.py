"""The data export finds a graduate's rows under whatever name a column gives them (a personnel file's person, a
competition team's leader, a signature's signer, ...), with the rows of their file they see, and without what is
kept from them or anyone else's rows."""
import subprocess

from portal.applications import service as applications
from portal.privacy import service
from tests.factories import (PASSWORD, make_application, make_competition, make_employer, make_entry,
                             make_graduate, make_kept_file, make_position)


def test_the_export_holds_the_personnel_file_and_the_team_and_nobody_elses(session, settings, client_for, tmp_path):
    competition, tracks = make_competition(session)
    graduate = make_graduate(session)
    kept, _, _ = make_kept_file(session, settings, person=graduate)
    entry = make_entry(session, settings, competition, tracks[0], leader=graduate)
    other = make_graduate(session)
    others_file, _, _ = make_kept_file(session, settings, person=other)
    others_entry = make_entry(session, settings, competition, tracks[1], leader=other)

    browser = client_for(graduate)
    data = browser.get("/me/privacy/export.json").json()["records"]
    assert [row["id"] for row in data["personnelfile"]] == [kept.id]
    assert data["personnelfile"][0]["archive_number"] == kept.archive_number
    assert "contents" not in data["personnelfile"][0] and "location" not in data["personnelfile"][0]  # the agency's
    assert [row["id"] for row in data["competitionentry"]] == [entry.id]
    assert data["competitionentry"][0]["project_name"] == entry.project_name
    assert {row["file_id"] for row in data["filestep"]} == {kept.id}  # the steps the graduate follows at /me/archive

    text = browser.get("/me/privacy/export.json").text
    for leaked in (others_entry.project_name, others_file.archive_number, other.email, "A 库 03-12", "transcript"):
        assert leaked not in text
    theirs = client_for(other).get("/me/privacy/export.json").json()["records"]
    assert [row["id"] for row in theirs["personnelfile"]] == [others_file.id]
    assert [row["id"] for row in theirs["competitionentry"]] == [others_entry.id]

    pdf = browser.get("/me/privacy/export.pdf")
    (tmp_path / "data.pdf").write_bytes(pdf.content)
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "data.pdf"), "-"], capture_output=True, text=True).stdout
    assert entry.project_name in pdf_text and kept.archive_number in pdf_text


def test_every_column_that_names_a_user_is_searched():
    """A new table that points at a person under a new name (owner_id, member_id, ...) is exported without a list
    to keep up to date: the export follows every foreign key to the user table."""
    from sqlmodel import SQLModel

    named = {(table.name, column.name) for table in SQLModel.metadata.sorted_tables
             for column in service.person_columns(table)}
    assert {("personnelfile", "person_id"), ("competitionentry", "leader_id"), ("agreementsignature", "signer_id"),
            ("presentationquestion", "author_id"), ("resume", "graduate_id")} <= named


def test_the_export_holds_the_history_of_the_graduates_applications_whoever_wrote_it(session, settings, client_for):
    organization, recruiter = make_employer(session)
    position = make_position(session, organization)
    graduate, other = make_graduate(session), make_graduate(session)
    mine = make_application(session, graduate, position, settings=settings)
    theirs = make_application(session, other, position, settings=settings)
    for application, message in ((mine, "请带上作品集来面谈"), (theirs, "another graduate's invitation")):
        applications.move(session, settings=settings, user=recruiter, application_id=application.id,
                          status="shortlisted", message=message)

    data = client_for(graduate).get("/me/privacy/export.json").json()["records"]
    events = data["applicationevent"]
    assert {row["application_id"] for row in events} == {mine.id}
    assert any(row["actor_id"] == recruiter.id and row["message"] == "请带上作品集来面谈" for row in events)
    assert "another graduate's invitation" not in str(data)


def test_deleting_the_account_says_the_personnel_file_and_the_teams_entry_stay_and_why(session, settings):
    competition, tracks = make_competition(session)
    graduate = make_graduate(session)
    kept, _, _ = make_kept_file(session, settings, person=graduate)
    entry = make_entry(session, settings, competition, tracks[0], leader=graduate)
    untouched = make_graduate(session)
    make_kept_file(session, settings, person=untouched)

    report = service.delete_account(session, settings=settings, user=graduate, password=PASSWORD)
    assert {"personnelfile", "filestep", "competitionentry"} <= set(report.kept)
    assert "人事档案" in report.kept["personnelfile"]
    session.expire_all()
    assert session.get(type(kept), kept.id).person_id == graduate.id  # in the agency's custody, as before
    assert session.get(type(entry), entry.id).leader_id == graduate.id
    assert "personnelfile" not in service.delete_account(session, settings=settings, user=make_graduate(session),
                                                         password=PASSWORD).kept
