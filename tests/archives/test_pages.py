"""Personnel files through real HTTP: the graduate applies and follows each step, the agency receives the file and
issues a certificate, the city sets up agencies; contents and identity numbers never reach the person's pages, the
API or an employer."""
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from portal.archives.models import FileService, PersonnelFile
from portal.audit.models import AuditEntry
from tests.conftest import api_token
from tests.factories import (
    ID_NUMBER,
    make_agency,
    make_employer,
    make_graduate,
    make_kept_file,
    make_officer,
)

pytestmark = pytest.mark.parametrize("database", ["postgres"], indirect=True)


def test_a_graduate_applies_and_the_agency_accepts_and_receives(session, client_for):
    agency, staff = make_agency(session)
    graduate = make_graduate(session)
    me, clerk = client_for(graduate), client_for(staff)
    assert agency.name in me.get("/me/archive").text
    form = {"agency_id": str(agency.id), "applicant_kind": "no_employer", "id_number": "110105194912310021",
            "phone": "13800138000", "file_source": "elsewhere", "file_holder": ""}
    refused = me.post("/me/archive", data=form)
    assert refused.status_code == 422 and "请输入 18 位居民身份证号码" in refused.text
    assert me.post("/me/archive", data={**form, "id_number": ID_NUMBER, "file_holder": "天津市河西区人才服务中心"},
                   follow_redirects=False).status_code == 303
    row = session.exec(select(PersonnelFile)).one()

    assert graduate.display_name in clerk.get("/agency").text
    clerk.post(f"/agency/files/{row.id}/decision", data={"accept": "true", "note": ""})
    page = clerk.get(f"/agency/files/{row.id}")
    assert ID_NUMBER in page.text and "接收档案" in page.text
    missing = clerk.post(f"/agency/files/{row.id}/receipt", data={"contents[]": ["transcript"], "location": ""})
    assert missing.status_code == 422 and 'value="transcript" checked' in missing.text
    clerk.post(f"/agency/files/{row.id}/receipt", data={"contents[]": ["transcript", "physical_examination"],
                                                        "location": "C 库 02-11"})
    kept_page = clerk.get(f"/agency/files/{row.id}").text  # what is on record is ticked, ready to amend
    assert 'value="transcript" checked' in kept_page and 'value="graduate_registration_form" checked' not in kept_page
    mine = me.get("/me/archive").text
    assert "存档中" in mine and "C 库 02-11" not in mine and ID_NUMBER not in mine and "体检表" not in mine

    register = clerk.get("/agency/export.xlsx")
    [header, kept] = load_workbook(BytesIO(register.content)).active.iter_rows(values_only=True)
    assert (header[4], kept[0], kept[3], kept[4]) == ("存放位置", graduate.display_name, "存档中", "C 库 02-11")
    assert ID_NUMBER not in kept
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "archives.file.export")).one().subject_user_id \
        == graduate.id


def test_a_certificate_is_asked_for_issued_and_downloaded(session, settings, client_for):
    row, person, staff = make_kept_file(session, settings)
    me, clerk = client_for(person), client_for(staff)
    me.post(f"/me/archive/{row.id}/services", data={"kind": "custody_certificate"})
    asked = session.exec(select(FileService)).one()
    assert "存档证明" in clerk.get(f"/agency/files/{row.id}").text
    clerk.post(f"/agency/files/{row.id}/services/{asked.id}", data={"outcome": "done"})
    page = me.get("/me/archive").text
    assert "下载存档证明" in page
    pdf = me.get(f"/archive/certificates/{asked.id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    assert client_for(make_graduate(session)).get(f"/archive/certificates/{asked.id}.pdf").status_code == 404
    refused = me.post(f"/me/archive/{row.id}/services", data={"kind": "political_review", "receiving_unit": ""})
    assert refused.status_code == 422 and "请填写接收材料的单位及地址" in refused.text


def test_nobody_but_the_agency_reaches_a_file(session, settings, client_for, client):
    row, person, _ = make_kept_file(session, settings)
    _, recruiter = make_employer(session)
    employer = client_for(recruiter)
    for path in (f"/agency/files/{row.id}", "/agency", "/agency/export.xlsx", "/me/archive"):
        assert employer.get(path).status_code == 403
    assert employer.get("/api/v1/me/archive").status_code == 403
    for officer in (make_officer(session, city_wide=True), make_agency(session)[1]):
        assert client_for(officer).get(f"/agency/files/{row.id}").status_code == 404
    api = client.get("/api/v1/me/archive", headers=api_token(client, person.email))
    assert api.status_code == 200 and api.json()[0]["status"] == "in_custody"
    assert "A 库" not in api.text and ID_NUMBER not in api.text and "transcript" not in api.text


def test_the_city_sets_up_an_agency_and_its_officer(session, client_for):
    city = client_for(make_officer(session, schools=(), city_wide=True))
    assert city.post("/officer/agencies", data={"name": "天津市西青区人才服务中心", "district": "西青区",
                                                "address": "天津市西青区杨柳青镇 1 号", "phone": "022-27390000"},
                     follow_redirects=False).status_code == 303
    clerk = make_officer(session, schools=())
    agency_id = city.get("/officer/agencies").text.split("/officer/agencies/")[1].split("/")[0]
    city.post(f"/officer/agencies/{agency_id}/officers", data={"email": clerk.email})
    assert "天津市西青区人才服务中心" in client_for(clerk).get("/agency").text
    district = client_for(make_officer(session, districts=("西青区",)))
    assert district.post("/officer/agencies", data={"name": "某区人才中心", "district": "西青区", "address": "某地址某处",
                                                    "phone": "022-27390000"}).status_code == 403
