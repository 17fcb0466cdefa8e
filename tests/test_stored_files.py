"""kill -9 between writing an upload and committing its row leaves a file no row names; the scheduled sweep
removes it once it has stayed unnamed past the grace period, and never a file a row names."""
import os
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import update

from portal import stored_files
from portal.clock import utcnow
from portal.resumes import service as resumes
from portal.stored_files import UnnamedFile
from tests.factories import make_graduate
from tests.resumes.test_resumes import real_pdf

ROOT = Path(__file__).resolve().parents[1]
# The child process uploads a résumé PDF through the real service and is killed (SIGKILL) the moment its
# transaction is about to commit: the file is written, the row that would name it never arrives.
KILLED_UPLOAD = """
import os, signal, sys
from sqlalchemy import event
from sqlmodel import Session
from portal import models
from portal.accounts.models import User
from portal.db import make_engine
from portal.resumes import service
from portal.settings import Settings
settings = Settings(database_url=sys.argv[1], data_dir=sys.argv[2], secret_key="test-secret-key", _env_file=None)
with Session(make_engine(settings.resolved_database_url)) as session:
    event.listen(session, "before_commit", lambda _: os.kill(os.getpid(), signal.SIGKILL))
    service.upload_pdf(session, settings=settings, user=session.get(User, int(sys.argv[3])), filename="cv.pdf",
                       chunks=[sys.stdin.buffer.read()])
"""


def test_a_file_left_by_a_killed_upload_is_swept_and_named_files_stay(session, settings):
    kept = make_graduate(session)
    resumes.upload_pdf(session, settings=settings, user=kept, filename="kept.pdf", chunks=[real_pdf("kept")])
    victim = make_graduate(session)
    child = subprocess.run(
        [sys.executable, "-c", KILLED_UPLOAD, settings.resolved_database_url, str(settings.data_dir), str(victim.id)],
        input=real_pdf("lost"), cwd=ROOT, capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
    uploads = sorted(p.name for p in (settings.uploads_dir / "resumes").iterdir())
    assert len(uploads) == 2  # the kept one and the orphan
    assert resumes.get_resume(session, graduate_id=victim.id) is None

    assert stored_files.sweep_orphans(session, settings=settings) == 0  # first sighting: noted, not deleted
    session.execute(update(UnnamedFile).values(first_seen=utcnow() - stored_files.GRACE))
    session.commit()
    assert stored_files.sweep_orphans(session, settings=settings) == 1
    left = [p.name for p in (settings.uploads_dir / "resumes").iterdir()]
    assert ["resumes/" + name for name in left] == [resumes.get_resume(session, graduate_id=kept.id).pdf_file]
    assert session.exec(UnnamedFile.__table__.select()).all() == []
