"""The resume: saving through the service, the page (HTMX rows, per-field errors), the API, and the PDF."""
from io import BytesIO

import pytest
from reportlab.pdfgen import canvas
from sqlmodel import select

from portal.errors import Invalid
from portal.resumes import service
from portal.resumes.models import Resume
from portal.resumes.schemas import ProfileUpdate, ResumeUpdate
from search.models import SearchOutbox
from tests.conftest import api_token
from tests.factories import make_graduate


def real_pdf(text: str = "张晓明 的简历") -> bytes:
    buffer = BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


FAKES = {
    "html renamed": b"<!doctype html><html><script>alert(1)</script></html>",
    "exe renamed": b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
    "magic but garbage": b"%PDF-1.7\n" + b"\x00garbage" * 50,
    "empty": b"",
}


def outbox_for(session, resume_id):
    return session.exec(select(SearchOutbox).where(SearchOutbox.entity == "resume", SearchOutbox.entity_id == resume_id)).all()


# ---------------------------------------------------------------- service


def test_saving_creates_the_resume_once_and_queues_search_each_time(session):
    graduate = make_graduate(session)
    update = ResumeUpdate.model_validate({
        "headline": "数据分析方向", "skills": "Python，SQL、Excel, Python",
        "education": [{"school": "天津大学", "major": "统计学", "degree": "bachelor", "start": "2022-09", "end": "2026-06"}],
        "expected_districts": ["南开区", "和平区"], "expected_kinds": ["full_time", "traineeship"],
        "expected_salary_min": 6000, "expected_salary_max": 9000,
    })
    first = service.update_resume(session, user=graduate, update=update)
    second = service.update_resume(session, user=graduate, update=update.model_copy(update={"headline": "改了"}))
    assert first.id == second.id
    assert len(session.exec(select(Resume).where(Resume.graduate_id == graduate.id)).all()) == 1
    assert second.skills == ["Python", "SQL", "Excel"] and second.headline == "改了"
    assert len(outbox_for(session, first.id)) == 2
    service.update_profile(session, user=graduate, update=ProfileUpdate(
        school="天津大学", major="统计学", degree="bachelor", graduation_year=2026, phone="13800001111",
        discoverable=True))
    assert len(outbox_for(session, first.id)) == 3
    percent, missing = service.completeness(second, service.profile_of(session, user=graduate))
    assert 0 < percent < 100 and "a self-introduction" in missing


@pytest.mark.parametrize("bad", [
    {"expected_districts": ["北京市朝阳区"]},
    {"expected_kinds": ["freelance"]},
    {"expected_salary_min": 9000, "expected_salary_max": 5000},
    {"education": [{"school": "", "major": "x", "degree": "bachelor", "start": "2022-09"}]},
    {"experience": [{"organization": "a", "role": "b", "start": "2024-13"}]},
    {"projects": [{"name": "p", "start": "2024-09", "end": "2023-01"}]},
])
def test_bad_resume_data_is_refused(bad):
    with pytest.raises(ValueError):
        ResumeUpdate.model_validate(bad)


def test_pdf_upload_checks_content_and_replaces_the_old_file(session, settings):
    graduate = make_graduate(session)
    resume = service.upload_pdf(session, settings=settings, user=graduate, filename="../../我的简历.pdf",
                                chunks=[real_pdf()])
    first_path = settings.uploads_dir / resume.pdf_file
    assert first_path.is_file() and resume.pdf_original_name == "我的简历.pdf"
    assert settings.uploads_dir.resolve() in first_path.resolve().parents
    assert "我的简历" not in resume.pdf_file
    resume = service.upload_pdf(session, settings=settings, user=graduate, filename="v2.pdf", chunks=[real_pdf("v2")])
    assert not first_path.exists() and (settings.uploads_dir / resume.pdf_file).is_file()


@pytest.mark.parametrize("name", FAKES)
def test_fake_pdfs_are_refused_and_leave_nothing_behind(session, settings, name):
    graduate = make_graduate(session)
    with pytest.raises(Invalid):
        service.upload_pdf(session, settings=settings, user=graduate, filename="resume.pdf", chunks=[FAKES[name]])
    assert service.get_resume(session, graduate_id=graduate.id) is None
    assert not any(p.is_file() for p in settings.uploads_dir.rglob("*")) if settings.uploads_dir.exists() else True


def test_the_size_cap_stops_reading(session, settings):
    graduate = make_graduate(session)
    settings.upload_max_bytes = 1024 * 1024
    consumed = []

    def endless():
        yield b"%PDF-1.4\n"
        while True:
            consumed.append(1)
            yield b"0" * 65536

    with pytest.raises(Invalid, match="larger"):
        service.upload_pdf(session, settings=settings, user=graduate, filename="big.pdf", chunks=endless())
    assert len(consumed) <= 17  # stopped right after crossing 1 MiB, not at the end of the stream
    assert not any(p.is_file() for p in settings.uploads_dir.rglob("*"))


# ---------------------------------------------------------------- pages


def test_resume_page_saves_rows_and_shows_errors_per_field(session, client_for):
    graduate = make_graduate(session)
    browser = client_for(graduate)
    page = browser.get("/me/resume")
    assert page.status_code == 200 and 'hx-get="/me/resume/rows/education"' in page.text
    row = browser.get("/me/resume/rows/experience", headers={"HX-Request": "true"})
    assert row.status_code == 200 and "<html" not in row.text and 'name="experience-' in row.text

    bad = browser.post("/me/resume", headers={"HX-Request": "true"}, data={
        "headline": "x", "education-0-school": "南开大学", "education-0-major": "软件工程", "education-0-degree": "bachelor",
        "education-0-start": "2022-09", "education-0-end": "2021-01",
        "experience-1717000000000-organization": "某公司", "experience-1717000000000-start": "bad",
        "expected_salary_min": "abc",
    })
    assert bad.status_code == 422 and "<html" not in bad.text
    assert bad.text.count('class="field has-error"') >= 4
    assert 'value="某公司"' in bad.text  # what was typed comes back
    assert service.get_resume(session, graduate_id=graduate.id) is None

    good = browser.post("/me/resume", headers={"HX-Request": "true"}, data={
        "headline": "后端开发", "skills": "Python, Go",
        "education-0-school": "南开大学", "education-0-major": "软件工程", "education-0-degree": "bachelor",
        "education-0-start": "2022-09", "education-0-end": "",
        "projects-5-name": "校园二手平台", "projects-5-start": "2024-03", "projects-5-description": "FastAPI",
        "projects-9-name": "", "projects-9-start": "",  # a blank row someone added and left empty
        "expected_districts[]": ["南开区", "滨海新区"], "expected_kinds[]": "full_time",
        "expected_salary_min": "6000", "expected_salary_max": "10000",
    })
    assert good.status_code == 200 and good.headers["HX-Trigger"] == "resume-saved"
    session.expire_all()
    resume = service.get_resume(session, graduate_id=graduate.id)
    assert resume.projects == [{"name": "校园二手平台", "role": "", "start": "2024-03", "end": None, "description": "FastAPI"}]
    assert resume.expected_districts == ["南开区", "滨海新区"] and resume.expected_kinds == ["full_time"]
    assert resume.education[0]["end"] is None


def test_profile_form_and_discoverable_opt_in(session, client_for):
    graduate = make_graduate(session)
    browser = client_for(graduate)
    data = {"school": "天津大学", "major": "软件工程", "degree": "master", "graduation_year": "2026",
            "phone": "138-0000", "discoverable": "true"}
    bad = browser.post("/me/profile", data=data, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "has-error" in bad.text
    assert service.profile_of(session, user=graduate).discoverable is False
    good = browser.post("/me/profile", data={**data, "phone": "13800001111"}, follow_redirects=False)
    assert good.status_code == 303
    session.expire_all()
    profile = service.profile_of(session, user=graduate)
    assert profile.discoverable and profile.major == "软件工程" and profile.phone == "13800001111"
    # The school keeps the enrolment (portal/enrolment): the form cannot change it.
    assert (profile.school, profile.degree) == ("南开大学", "bachelor")
    browser.post("/me/profile", data={**data, "phone": "", "discoverable": ""} | {"discoverable": "false"})
    session.expire_all()
    assert service.profile_of(session, user=graduate).discoverable is False


def test_pdf_upload_page_and_download_headers(session, client_for, settings):
    graduate = make_graduate(session)
    browser = client_for(graduate)
    fake = browser.post("/me/resume/pdf", headers={"HX-Request": "true"},
                        files={"pdf": ("resume.pdf", FAKES["html renamed"], "application/pdf")})
    assert fake.status_code == 422 and "PDF" in fake.text
    ok = browser.post("/me/resume/pdf", headers={"HX-Request": "true"},
                      files={"pdf": ("简历.pdf", real_pdf(), "application/pdf")})
    assert ok.status_code == 200, ok.text
    download = browser.get("/me/resume/pdf")
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["content-type"] == "application/pdf"


def test_oversized_upload_is_refused_from_its_declared_length(session, client_for, settings):
    graduate = make_graduate(session)
    browser = client_for(graduate)
    big = b"%PDF-1.4\n" + b"0" * (settings.upload_max_bytes + 200 * 1024)
    response = browser.post("/me/resume/pdf", headers={"HX-Request": "true"}, files={"pdf": ("big.pdf", big, "application/pdf")})
    assert response.status_code == 422 and "MB" in response.text
    assert service.get_resume(session, graduate_id=graduate.id) is None


def test_other_roles_and_strangers_cannot_use_the_resume_pages(session, client_for, client):
    graduate = make_graduate(session)
    owner = make_graduate(session)
    service.upload_pdf(session, settings=client.app.state.settings, user=owner, filename="a.pdf", chunks=[real_pdf()])
    resume = service.get_resume(session, graduate_id=owner.id)
    assert client.get("/me/resume", follow_redirects=False).status_code == 303  # to sign-in
    browser = client_for(graduate)
    assert browser.get(f"/resumes/{resume.id}/pdf").status_code == 404
    assert browser.get("/me/resume/pdf").status_code == 404  # they have none


# ---------------------------------------------------------------- API


def test_resume_api_round_trip(session, client):
    graduate = make_graduate(session)
    headers = api_token(client, graduate.email)
    blank = client.get("/api/v1/me/resume", headers=headers)
    assert blank.status_code == 200 and blank.json()["resume"]["id"] is None
    assert blank.json()["profile"]["school"] == "南开大学"
    body = {"headline": "测试", "skills": ["Python"], "expected_districts": ["南开区"], "expected_kinds": ["part_time"],
            "education": [{"school": "南开大学", "major": "软件工程", "degree": "bachelor", "start": "2022-09"}]}
    saved = client.put("/api/v1/me/resume", json=body, headers=headers)
    assert saved.status_code == 200 and saved.json()["id"] and saved.json()["has_pdf"] is False
    bad = client.put("/api/v1/me/resume", json={**body, "expected_districts": ["外地"]}, headers=headers)
    assert bad.status_code == 422
    upload = client.post("/api/v1/me/resume/pdf", files={"pdf": ("r.pdf", real_pdf(), "application/pdf")}, headers=headers)
    assert upload.status_code == 200 and upload.json()["has_pdf"] is True
    fake = client.post("/api/v1/me/resume/pdf", files={"pdf": ("r.pdf", FAKES["exe renamed"], "application/pdf")}, headers=headers)
    assert fake.status_code == 422 and fake.headers["content-type"].startswith("application/problem+json")
    assert client.get("/api/v1/me/resume/pdf", headers=headers).content.startswith(b"%PDF-")
    assert client.delete("/api/v1/me/resume/pdf", headers=headers).json()["has_pdf"] is False
    profile = client.put("/api/v1/me/profile", headers=headers, json={
        "school": "天津大学", "major": "软件工程", "degree": "bachelor", "graduation_year": 2026, "discoverable": True})
    assert profile.status_code == 200 and profile.json()["discoverable"] is True


def test_an_undeclared_length_upload_is_cut_off_while_it_streams(session, client_for, settings):
    """No Content-Length (chunked): the body is counted as it arrives and refused once past the cap."""
    graduate = make_graduate(session)
    browser = client_for(graduate)
    def body():
        yield b'--XyZ\r\nContent-Disposition: form-data; name="pdf"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n'
        for _ in range(settings.upload_max_bytes // 65536 + 64):
            yield b"0" * 65536
        yield b"\r\n--XyZ--\r\n"

    response = browser.post("/me/resume/pdf", content=body(),
                            headers={"HX-Request": "true", "Content-Type": "multipart/form-data; boundary=XyZ"})
    # Far past the cap, the app-wide body limit refuses it before the resume service sees it.
    assert response.status_code == 413 and "MB" in response.text
    assert service.get_resume(session, graduate_id=graduate.id) is None
    assert not any(p.is_file() for p in settings.uploads_dir.rglob("*")) if settings.uploads_dir.exists() else True


def test_the_completeness_card_refreshes_itself(session, client_for):
    graduate = make_graduate(session)
    browser = client_for(graduate)
    card = browser.get("/me/resume", headers={"HX-Request": "true", "X-Block": "completeness"})
    assert card.status_code == 200 and card.text.lstrip().startswith('<section class="card" id="completeness-card"')
    assert "<html" not in card.text
