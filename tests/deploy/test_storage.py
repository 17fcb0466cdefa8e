"""One contract for every storage: a shared directory and an S3-compatible bucket (a real server over HTTP)."""
import pytest

from portal.settings import Settings
from portal.storage import BucketStorage, DirectoryStorage, StoredFileMissing, storage_for
from tests.conftest import sign_in
from tests.deploy.s3_server import make_bucket, s3_server
from tests.factories import make_graduate
from tests.resumes.test_resumes import real_pdf

PDF = real_pdf("存储测试")


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3_server() as url:
        make_bucket(url, "jinying-test")
        yield url


def bucket_settings(endpoint: str, tmp_path, **fields) -> Settings:
    return Settings(storage_url="s3://jinying-test/uploads", s3_endpoint_url=endpoint, s3_access_key_id="test",
                    s3_secret_access_key="test-secret", data_dir=tmp_path, _env_file=None, **fields)


@pytest.fixture(params=["directory", "bucket"])
def storage(request, tmp_path):
    if request.param == "directory":
        return DirectoryStorage(tmp_path / "files")
    return storage_for(bucket_settings(request.getfixturevalue("s3_endpoint"), tmp_path))


def test_what_is_written_is_read_back_listed_and_deleted(storage):
    storage.write("resumes/a.pdf", PDF)
    storage.write("resumes/a.pdf", PDF + b"again")  # a rewrite replaces the whole file
    storage.write("applications/b.pdf", b"b")
    assert storage.read("resumes/a.pdf") == PDF + b"again"
    assert storage.exists("resumes/a.pdf") and not storage.exists("resumes/none.pdf")
    assert sorted(storage.keys("resumes/")) == ["resumes/a.pdf"]
    storage.delete("resumes/a.pdf")
    storage.delete("resumes/a.pdf")  # deleting twice is harmless
    with pytest.raises(StoredFileMissing):
        storage.read("resumes/a.pdf")
    assert list(storage.keys("resumes/")) == []


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs", "a//b", "a/../b", "a\\b", ""])
def test_keys_cannot_leave_the_store(storage, key):
    from portal.errors import NotFound

    with pytest.raises(NotFound):
        storage.read(key)


def test_bucket_storage_is_what_the_settings_name(s3_endpoint, tmp_path):
    settings = bucket_settings(s3_endpoint, tmp_path)
    assert isinstance(storage_for(settings), BucketStorage)
    assert isinstance(storage_for(Settings(data_dir=tmp_path, _env_file=None)), DirectoryStorage)


@pytest.mark.postgres
def test_a_resume_pdf_goes_to_the_bucket_and_comes_back(s3_endpoint, tmp_path):
    """Through the real pages: upload, download, replace; nothing lands on the process's disk."""
    from fastapi.testclient import TestClient
    from sqlmodel import Session

    from portal.app import create_app
    from tests.conftest import _postgres_engine

    engine = _postgres_engine()
    settings = bucket_settings(s3_endpoint, tmp_path, database_url=engine.url.render_as_string(hide_password=False),
                               secret_key="test-secret-key")
    with Session(engine, expire_on_commit=False) as session:
        graduate = make_graduate(session)
    with TestClient(create_app(settings, engine=engine, run_background_jobs=False)) as client:
        sign_in(client, graduate.email)
        upload = client.post("/me/resume/pdf", files={"pdf": ("简历.pdf", PDF, "application/pdf")}, follow_redirects=False)
        assert upload.status_code == 303, upload.text
        download = client.get("/me/resume/pdf")
        assert download.status_code == 200 and download.content == PDF
        assert download.headers["content-type"] == "application/pdf"
    bucket = storage_for(settings)
    assert [key for key in bucket.keys("resumes/")] and not (tmp_path / "uploads").exists()
