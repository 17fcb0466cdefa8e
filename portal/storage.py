"""Where uploaded and generated files live: a directory every portal process shares, or an S3-compatible bucket.

Keys are relative, slash-separated names the portal makes itself (e.g. "resumes/3f…9a.pdf"), never a
user's file name. Portal processes keep nothing of their own: whatever one writes, every other reads.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Protocol
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import Response

from portal.errors import Invalid, NotFound
from portal.settings import Settings


class StoredFileMissing(LookupError):
    pass


class Storage(Protocol):
    def write(self, key: str, data: bytes) -> None: ...
    def read(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...
    def keys(self, prefix: str = "") -> Iterator[str]: ...


def check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or "\\" in key or any(part in ("", ".", "..") for part in parts):
        raise NotFound("The file could not be found.")
    return key


class DirectoryStorage:
    """Files under one directory (a volume shared by every portal process)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def write(self, key: str, data: bytes) -> None:
        # Written beside the target and renamed, so a reader never sees half a file, even after kill -9.
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise StoredFileMissing(key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = "") -> Iterator[str]:
        for path in sorted(self.root.rglob("*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and key.startswith(prefix) and not path.name.startswith(".partial-"):
                yield key


class BucketStorage:
    """Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, an OSS/COS S3 endpoint)."""

    def __init__(self, *, bucket: str, prefix: str = "", endpoint_url: str | None = None, region: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url, region_name=region or "us-east-1",
            aws_access_key_id=access_key, aws_secret_access_key=secret_key,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, s3={"addressing_style": "path"}),
        )

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def write(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self._name(key), Body=data)

    def read(self, key: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise StoredFileMissing(key) from None

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))

    def keys(self, prefix: str = "") -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix + prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"].removeprefix(self.prefix)


@lru_cache(maxsize=8)
def _build(kind: str, location: str, endpoint_url: str | None, region: str | None,
           access_key: str | None, secret_key: str | None) -> Storage:
    if kind == "s3":
        bucket, _, prefix = location.partition("/")
        return BucketStorage(bucket=bucket, prefix=prefix, endpoint_url=endpoint_url, region=region,
                             access_key=access_key, secret_key=secret_key)
    return DirectoryStorage(Path(location))


def storage_for(settings: Settings) -> Storage:
    """The storage the settings name: `PORTAL_STORAGE_URL=s3://bucket/prefix`, else the uploads directory."""
    url = settings.storage_url
    if url and url.startswith("s3://"):
        return _build("s3", url.removeprefix("s3://"), settings.s3_endpoint_url, settings.s3_region,
                      settings.s3_access_key_id, settings.s3_secret_access_key)
    return _build("directory", str(Path(url.removeprefix("file://")) if url else settings.uploads_dir),
                  None, None, None, None)


def get_storage(request: Request) -> Storage:
    return storage_for(request.app.state.settings)


StorageDep = Annotated[Storage, Depends(get_storage)]


def read_capped(chunks: Iterable[bytes], *, limit: int, field: str) -> bytes:
    """An upload's bytes, refusing it as soon as more than `limit` arrive (it never reaches storage whole)."""
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise Invalid("The file is larger than %(mb)s MB.", field=field, mb=limit // (1024 * 1024))
        parts.append(chunk)
    return b"".join(parts)


def read_stored(storage: Storage, key: str) -> bytes:
    try:
        return storage.read(key)
    except StoredFileMissing:
        raise NotFound("The file could not be found.") from None


# The OpenAPI answer of an API route that returns a PDF (responses=PDF_RESPONSES).
PDF_RESPONSES = {200: {"content": {"application/pdf": {}}, "description": "The PDF file"}}


def pdf_attachment(data: bytes, filename: str) -> Response:
    """A stored PDF (a résumé, say) as a download."""
    return attachment(data, filename=filename, media_type="application/pdf")


def attachment(data: bytes, *, filename: str, media_type: str) -> Response:
    """A file as a download that no browser will sniff into something else or run."""
    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "._-" else "_" for ch in filename) or "file"
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
            "Content-Security-Policy": "sandbox",
        },
    )
