"""A PDF bomb (a hundred kilobytes whose object stream inflates to a hundred megabytes) is refused as soon as
pyHanko's decoding limit trips, wherever a PDF is read: a pitch deck, a résumé, and the public /verify."""
import time
import zlib

import pytest

from portal.competitions import service as competitions
from portal.competitions.schemas import EntryCreate
from portal.errors import Invalid
from portal.resumes import service as resumes
from tests.factories import make_competition, make_graduate

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)  # the files are the point, not the SQL
INFLATED_MB = 100


def pdf_bomb(megabytes: int = INFLATED_MB) -> bytes:
    """A well-formed PDF whose page tree sits in an object stream padded with `megabytes` of compressed spaces."""
    out, offsets = bytearray(b"%PDF-1.7\n"), {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    add(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>")
    deflate, header = zlib.compressobj(9), b"2 0 "
    stream = deflate.compress(header + b"<< /Type /Pages /Kids [3 0 R] /Count 1 >> ")
    stream += b"".join(deflate.compress(b" " * (1 << 20)) for _ in range(megabytes)) + deflate.flush()
    add(5, b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
        % (len(header), len(stream), stream))
    xref = len(out)

    def entry(kind: int, field: int, generation: int) -> bytes:
        return bytes([kind]) + field.to_bytes(4, "big") + generation.to_bytes(2, "big")

    entries = (entry(0, 0, 65535) + entry(1, offsets[1], 0) + entry(2, 5, 0) + entry(1, offsets[3], 0)
               + entry(1, xref, 0) + entry(1, offsets[5], 0))
    out.extend(b"4 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n%s\nendstream\nendobj\n"
               b"startxref\n%d\n%%%%EOF\n" % (len(entries), entries, xref))
    return bytes(out)


def refused_quickly(call) -> None:
    started = time.monotonic()
    with pytest.raises(Invalid):
        call()
    assert time.monotonic() - started < 5


def test_a_pdf_bomb_is_refused_quickly_everywhere_a_pdf_is_read(session, settings, client):
    bomb = pdf_bomb()
    assert len(bomb) < settings.upload_max_bytes
    competition, (track, _) = make_competition(session)
    leader = make_graduate(session)
    entry = competitions.register_team(session, settings=settings, leader=leader, competition_id=competition.id,
                                       entry=EntryCreate(track_id=track.id, project_name="压缩测试", summary="为中小制造企业提供视觉质检服务。"))
    refused_quickly(lambda: competitions.upload_deck(session, settings=settings, leader=leader, entry_id=entry.id,
                                                     filename="deck.pdf", chunks=[bomb]))
    refused_quickly(lambda: resumes.upload_pdf(session, settings=settings, user=leader, filename="cv.pdf",
                                               chunks=[bomb]))
    started = time.monotonic()
    answer = client.post("/api/v1/verify", files={"file": ("a.pdf", bomb, "application/pdf")})
    assert answer.status_code == 200 and answer.json()["verdict"] == "invalid"
    assert time.monotonic() - started < 5
