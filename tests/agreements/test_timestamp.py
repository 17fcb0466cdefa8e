"""PAdES B-T: with a time-stamping service configured, every signature carries a verified RFC 3161 timestamp."""
import asyncio
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper

from portal.agreements import ca, service, signing
from portal.clock import utcnow
from tests.agreements.conftest import sign_all


def _tsa_credential(settings):
    """A time-stamping certificate from the portal's root: a stand-in for a public TSA in tests."""
    root = ca.load_root(settings)
    root_key = ca._read_key(settings, ca._root_key_path(settings))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA signs with RSA only
    now = utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(root.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return ca.to_asn1(cert), asn1_keys.PrivateKeyInfo.load(der_key)


@pytest.fixture
def tsa_url(ca_settings):
    stamper = DummyTimeStamper(*_tsa_credential(ca_settings))
    served = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            response = asyncio.run(stamper.async_request_tsa_response(request))
            body = response.dump()
            served.append(request)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/", served
    server.shutdown()


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_signatures_carry_a_trusted_timestamp_when_a_tsa_is_configured(session, parties, ca_settings, tsa_url):
    url, served = tsa_url
    settings = ca_settings.model_copy(update={"timestamp_url": url})
    agreement = sign_all(session, settings, *parties)
    assert len(served) >= 3  # pyHanko also asks once per signature to size the signature field
    assert all(s.timestamped for s in service.signatures(session, agreement.id))
    report = signing.verify_pdf(service.read_pdf(settings, agreement), root=ca.root_asn1(settings))
    assert report.valid
    assert all(s.timestamp_at is not None and s.timestamp_trusted for s in report.signatures)
