"""The portal's own certificate authority: a root certificate and one signing certificate per party.

Keys are PKCS#8, encrypted with a password derived from PORTAL_SECRET_KEY, and live under
`data_dir/ca`; they never leave the server. Changing the secret key makes existing keys unreadable,
so rotate it only together with a fresh `portal ca init --force`.
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID

from portal.clock import utcnow
from portal.errors import Conflict
from portal.settings import Settings

ROOT_NAME = "Jinying Graduate Employment Portal Root CA"
ROOT_YEARS = 20
PARTY_YEARS = 3


@dataclass(frozen=True)
class Credential:
    """A certificate with its private key, in the form pyHanko takes them."""

    certificate: asn1_x509.Certificate
    private_key: asn1_keys.PrivateKeyInfo


def ca_dir(settings: Settings) -> Path:
    return settings.data_dir / "ca"


def _root_key_path(settings: Settings) -> Path:
    return ca_dir(settings) / "root.key.pem"


def root_cert_path(settings: Settings) -> Path:
    return ca_dir(settings) / "root.cert.pem"


def _key_password(settings: Settings) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"jinying-ca", info=b"private-key-encryption").derive(
        settings.secret_key.encode()
    )


def _write_key(settings: Settings, path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_key_password(settings)),
    )
    path.write_bytes(pem)
    path.chmod(0o600)


def _read_key(settings: Settings, path: Path) -> ec.EllipticCurvePrivateKey:
    return serialization.load_pem_private_key(path.read_bytes(), password=_key_password(settings))


def is_initialized(settings: Settings) -> bool:
    return root_cert_path(settings).exists() and _root_key_path(settings).exists()


def has_root(settings: Settings) -> bool:
    """The root certificate is here: enough to verify signatures, even where no key is kept."""
    return root_cert_path(settings).exists()


def init_ca(settings: Settings, *, force: bool = False) -> x509.Certificate:
    """Creates the root key and self-signed certificate; refuses to replace an existing one unless forced."""
    if is_initialized(settings) and not force:
        raise Conflict("The portal's certificate authority already exists.")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "津英就业 Jinying"),
            x509.NameAttribute(NameOID.COMMON_NAME, ROOT_NAME),
        ]
    )
    now = utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * ROOT_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_key(settings, _root_key_path(settings), key)
    root_cert_path(settings).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert


def load_root(settings: Settings) -> x509.Certificate:
    if not is_initialized(settings):
        raise Conflict("The portal's certificate authority is not set up yet. Run `portal ca init` first.")
    return x509.load_pem_x509_certificate(root_cert_path(settings).read_bytes())


def root_asn1(settings: Settings) -> asn1_x509.Certificate:
    if not has_root(settings):
        raise Conflict("The portal's certificate authority is not set up yet. Run `portal ca init` first.")
    return to_asn1(x509.load_pem_x509_certificate(root_cert_path(settings).read_bytes()))


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex(":").upper()


def serial_hex(cert: x509.Certificate) -> str:
    return format(cert.serial_number, "x")


def _party_key_path(settings: Settings, serial: str) -> Path:
    return ca_dir(settings) / "parties" / f"{serial}.key.pem"


def issue_party_certificate(
    settings: Settings, *, user_id: int, common_name: str, organization: str, role: str
) -> x509.Certificate:
    """Makes a new key for a party and a signing certificate for it, issued by the portal's root."""
    root = load_root(settings)
    root_key = _read_key(settings, _root_key_path(settings))
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64] or "-"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64] or "-"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, f"jinying-user-{user_id}-{secrets.token_hex(4)}"),
        ]
    )
    now = utcnow()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + timedelta(days=365 * PARTY_YEARS), root.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )
    _write_key(settings, _party_key_path(settings, serial_hex(cert)), key)
    return cert


def load_party_credential(settings: Settings, *, certificate_pem: str) -> Credential:
    cert = x509.load_pem_x509_certificate(certificate_pem.encode())
    key = _read_key(settings, _party_key_path(settings, serial_hex(cert)))
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Credential(certificate=to_asn1(cert), private_key=asn1_keys.PrivateKeyInfo.load(der_key))


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()
