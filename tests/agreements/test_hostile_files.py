"""Hostile agreement files (built by hostile/make_hostile_pdfs.py) through all three ways of verifying one:
the public API, the /verify page and `portal agreement verify`."""
import json
import secrets
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portal.agreements import ca, service
from portal.agreements.models import SIGNING_ORDER, Agreement, AgreementSignature
from tests.agreements.conftest import TERMS
from tests.conftest import csrf_from
from tests.factories import make_offer, make_officer

HOSTILE = Path(__file__).parent / "hostile"
RECORD = json.loads((HOSTILE / "record.json").read_text())


@pytest.fixture
def on_record(session, settings):
    """This portal is the one that signed the fixtures: it has their root certificate and their record."""
    ca.ca_dir(settings).mkdir(parents=True)
    shutil.copyfile(HOSTILE / "root.cert.pem", ca.root_cert_path(settings))
    application, organization, recruiter, graduate = make_offer(session)
    officer = make_officer(session, schools=("南开大学",))
    agreement = Agreement(
        **TERMS.model_dump(), number=RECORD["number"], verify_code=secrets.token_urlsafe(16),
        application_id=application.id, graduate_id=graduate.id, organization_id=organization.id,
        position_id=application.position_id, template_id=service.active_template(session).id,
        drafted_by_id=recruiter.id, school="南开大学", status="signed", document_sha256=RECORD["school"],
        parties={"employer": {"name": organization.name}, "graduate": {"name": graduate.display_name},
                 "school": {"name": "南开大学"}},
    )
    session.add(agreement)
    session.flush()
    before = RECORD["draft"]
    for party, signer in zip(SIGNING_ORDER, (recruiter, graduate, officer)):
        session.add(AgreementSignature(
            agreement_id=agreement.id, party=party, signer_id=signer.id, field_name=f"sig_{party.value}",
            certificate_serial="fixture", hash_before=before, hash_after=RECORD[party.value]))
        before = RECORD[party.value]
    session.commit()
    return agreement


def check_everywhere(client, settings, monkeypatch, tmp_path, name: str) -> tuple[dict, str, str, int]:
    """(API JSON, /verify page HTML, CLI output, CLI exit code) for one fixture file."""
    pdf = (HOSTILE / name).read_bytes()
    api = client.post("/api/v1/verify", files={"file": (name, pdf, "application/pdf")},
                      headers={"Accept-Language": "en"})
    assert api.status_code == 200, api.text
    token = csrf_from(client.get("/verify").text)
    page = client.post("/verify", data={"csrf_token": token}, files={"file": (name, pdf, "application/pdf")},
                       headers={"Accept-Language": "en"})
    assert page.status_code == 200, page.text
    from portal.cli import app
    from portal.settings import get_settings

    for key, value in (("DATA_DIR", str(settings.data_dir)), ("SECRET_KEY", settings.secret_key),
                       ("DATABASE_URL", settings.resolved_database_url)):
        monkeypatch.setenv(f"PORTAL_{key}", value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["agreement", "verify", str(HOSTILE / name)])
    finally:
        get_settings.cache_clear()
    return api.json(), page.text, result.output, result.exit_code


def test_the_signed_original_is_the_final_version_on_record(on_record, client, settings, monkeypatch, tmp_path):
    api, page, cli, code = check_everywhere(client, settings, monkeypatch, tmp_path, "signed.pdf")
    assert api["valid"] and not api["modified"] and api["verdict"] == "valid" and api["changes"] == []
    assert api["agreement_number"] == RECORD["number"] and api["agreement_status"] == "signed"
    assert api["record_version"] == "final" and api["record_revision"] == api["revisions"] == 5
    assert 'data-verdict="valid"' in page and "final signed version on record" in page
    assert code == 0 and "VALID" in cli and RECORD["number"] in cli


def test_an_overlay_drawn_by_an_added_empty_field_is_reported_modified(on_record, client, settings, monkeypatch,
                                                                       tmp_path):
    api, page, cli, code = check_everywhere(client, settings, monkeypatch, tmp_path, "overlay.pdf")
    # Every signature is still cryptographically intact: what fails is what was added after them.
    assert all(s["intact"] and s["trusted"] and not s["later_changes_allowed"] for s in api["signatures"])
    assert not api["valid"] and api["modified"] and api["verdict"] == "modified"
    assert "Revision 6 adds a form field “sig_amendment” drawn on page 1." in [c["message"] for c in api["changes"]]
    # It starts as the final version on record, but is not that version.
    assert api["record_version"] == "modified" and api["agreement_status"] is None
    assert 'data-verdict="modified"' in page and "sig_amendment" in page and "status-signed" not in page
    assert code == 1 and "MODIFIED" in cli and "sig_amendment" in cli


def test_an_earlier_revision_is_not_the_final_signed_version(on_record, client, settings, monkeypatch, tmp_path):
    api, page, cli, code = check_everywhere(client, settings, monkeypatch, tmp_path, "earlier.pdf")
    assert api["valid"] and not api["modified"]  # its two signatures are genuine...
    assert api["verdict"] == "not_final" and api["unsigned_fields"] == ["sig_school"]  # ...but the school's is missing
    assert api["record_version"] == "earlier" and api["record_revision"] == 4
    assert api["agreement_number"] == RECORD["number"] and api["agreement_status"] is None
    assert "This is not the final signed version" in api["record_message"]
    assert 'data-verdict="not_final"' in page and "This is not the final signed version" in page
    assert "status-signed" not in page  # never shown as "on record: signed"
    assert code == 1 and "NOT THE FINAL VERSION" in cli


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # nothing here depends on the database
def test_a_file_that_is_not_a_pdf_is_bad_input_on_the_api_and_explained_on_the_page(client):
    """schemathesis sent the text `null` as the file: the API refuses it as documented, the page says why in words."""
    for content in (b"null", b"<html>%PDF-1.7</html>"):
        api = client.post("/api/v1/verify", files={"file": ("a.pdf", content, "application/pdf")},
                          headers={"Accept-Language": "en"})
        assert api.status_code == 422 and api.headers["content-type"] == "application/problem+json"
        assert api.json()["errors"] == [{"field": "file", "message": "The file is not a PDF."}]
    token = csrf_from(client.get("/verify").text)
    page = client.post("/verify", data={"csrf_token": token}, files={"file": ("a.pdf", b"null", "application/pdf")},
                       headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "The file is not a readable PDF." in page.text
    operation = client.get("/openapi.json").json()["paths"]["/api/v1/verify"]["post"]
    assert "422" in operation["responses"] and "not a PDF" in operation["description"]
