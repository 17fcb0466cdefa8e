"""A real S3-compatible HTTP server on loopback for the bucket storage tests: moto's standalone server
(PyPI `moto[server]`), spoken to over HTTP with signed requests, exactly as a MinIO or Ceph endpoint is."""
import contextlib
import shutil
import subprocess
import sys
import time

import httpx

from tests.private_services import free_port


@contextlib.contextmanager
def s3_server():
    """Yields the endpoint URL of a fresh S3 server; stops it afterwards."""
    port = free_port()
    command = [shutil.which("moto_server") or sys.executable, "-H", "127.0.0.1", "-p", str(port)]
    if not command[0].endswith("moto_server"):
        command[1:1] = ["-m", "moto.server"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the S3 server did not start")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def make_bucket(endpoint_url: str, name: str) -> None:
    import boto3

    boto3.client("s3", endpoint_url=endpoint_url, region_name="us-east-1", aws_access_key_id="test",
                 aws_secret_access_key="test-secret").create_bucket(Bucket=name)
