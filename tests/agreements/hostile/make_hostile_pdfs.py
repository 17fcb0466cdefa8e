"""Builds the hostile agreement files kept beside this script (run it from the repository root):

    python tests/agreements/hostile/make_hostile_pdfs.py

It signs one agreement through the portal's real signing flow (a throwaway SQLite portal with its own
certificate authority), then writes:

- signed.pdf    the agreement as all three parties signed it (the final version on record)
- earlier.pdf   the same agreement after the graduate signed, before the school did
- overlay.pdf   signed.pdf plus an incremental update adding an empty signature field whose appearance
                paints over the monthly salary and draws a higher one (9,500 -> 19,500): every signature
                stays cryptographically intact, only the page looks different
- root.cert.pem the authority's root certificate, which the signatures chain to
- record.json   what the portal recorded: the agreement's number and the SHA-256 of every step
"""
import json
import shutil
import sys
import tempfile
from io import BytesIO
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from pyhanko.pdf_utils import generic  # noqa: E402
from pyhanko.pdf_utils.generic import NameObject  # noqa: E402
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter  # noqa: E402
from pyhanko.sign import fields  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

# Where the salary figure sits on page 1 of the agreement (PDF points, origin bottom left), found with
# `pdftotext -bbox`; the overlay covers it with white and writes the forged figure.
SALARY_BOX = (202, 450, 228, 464)
FORGED_SALARY = b"19,500"


def overlay(signed: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    fields.append_signature_field(writer, fields.SigFieldSpec("sig_amendment", on_page=0, box=SALARY_BOX))
    widget = writer.root["/AcroForm"]["/Fields"][-1].get_object()
    width, height = SALARY_BOX[2] - SALARY_BOX[0], SALARY_BOX[3] - SALARY_BOX[1]
    font = writer.add_object(generic.DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    appearance = generic.StreamObject({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): generic.ArrayObject([generic.NumberObject(v) for v in (0, 0, width, height)]),
        NameObject("/Resources"): generic.DictionaryObject({
            NameObject("/Font"): generic.DictionaryObject({NameObject("/F1"): font})}),
    }, stream_data=b"1 1 1 rg 0 0 %d %d re f 0 0 0 rg BT /F1 8.5 Tf 0 3.5 Td (%s) Tj ET" % (width, height, FORGED_SALARY))
    widget[NameObject("/AP")] = generic.DictionaryObject({NameObject("/N"): writer.add_object(appearance)})
    writer.update_container(widget)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    from portal import models  # noqa: F401
    from portal.agreements import ca, service
    from portal.db import make_engine
    from portal.settings import Settings
    from tests.agreements.conftest import TERMS, sign_all
    from tests.factories import make_offer, make_officer

    work = Path(tempfile.mkdtemp(prefix="hostile-agreement-"))
    try:
        settings = Settings(data_dir=work, database_url=f"sqlite:///{work}/portal.db", secret_key="hostile-fixtures",
                            _env_file=None)
        engine = make_engine(settings.resolved_database_url)
        SQLModel.metadata.create_all(engine)
        ca.init_ca(settings)
        with Session(engine, expire_on_commit=False) as session:
            application, _, recruiter, graduate = make_offer(session)
            officer = make_officer(session, schools=("南开大学",))
            agreement = service.draft_agreement(session, settings=settings, employer=recruiter,
                                                application_id=application.id, terms=TERMS)
            agreement = sign_all(session, settings, agreement, recruiter, graduate, officer)
            steps = service.signatures(session, agreement.id)
            signed = service.read_pdf(settings, agreement)
            earlier = (work / agreement.pdf_file).with_name(f"{agreement.number}-graduate.pdf").read_bytes()
            record = {
                "number": agreement.number,
                "draft": steps[0].hash_before,
                **{step.party: step.hash_after for step in steps},
            }
        assert (work / agreement.pdf_file).read_bytes() == signed
        (HERE / "signed.pdf").write_bytes(signed)
        (HERE / "earlier.pdf").write_bytes(earlier)
        (HERE / "overlay.pdf").write_bytes(overlay(signed))
        shutil.copyfile(ca.root_cert_path(settings), HERE / "root.cert.pem")
        (HERE / "record.json").write_text(json.dumps(record, indent=2) + "\n")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
