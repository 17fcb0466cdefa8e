"""PAdES signing and verification with pyHanko; plain bytes in, bytes or a report out, no database."""
import hashlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, FormUpdatingRule, ModificationLevel, StandardDiffPolicy
from pyhanko.sign.diff_analysis.rules.form_field_rules import SigFieldModificationRule
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from portal.agreements.ca import Credential
from portal.agreements.models import SIGNATURE_FIELDS
from portal.agreements.revisions import Change, unexpected_changes

logger = logging.getLogger(__name__)

# pyHanko's own difference analysis, narrowed to what the signing flow does: fill a signature field that is
# already there (no new fields, not even empty ones, whose appearance could draw over a signed page).
SIGNING_ONLY = StandardDiffPolicy(
    global_rules=DEFAULT_DIFF_POLICY.global_rules,
    form_rule=FormUpdatingRule(field_rules=[SigFieldModificationRule()]),
)
# A draft has two revisions (the document, its declared fields) and each party adds one; a file with far more
# is refused before pyHanko reviews every revision for every signature.
MAX_REVISIONS = 16
_ALLOWED_LATER_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def declare_signature_fields(pdf: bytes, names: tuple[str, ...] = SIGNATURE_FIELDS) -> bytes:
    """Adds one empty, invisible signature field per party, so that signing never has to create a field."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    for name in names:
        fields.append_signature_field(writer, fields.SigFieldSpec(name))
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def sign_pdf(
    pdf: bytes,
    *,
    credential: Credential,
    root: asn1_x509.Certificate,
    field_name: str,
    signer_name: str,
    reason: str,
    location: str = "天津",
    timestamp_url: str | None = None,
) -> bytes:
    """Fills the declared field `field_name` with a PAdES signature as an incremental update, so earlier
    signatures stay intact."""
    signer = signers.SimpleSigner(
        signing_cert=credential.certificate,
        signing_key=credential.private_key,
        cert_registry=SimpleCertificateStore.from_certs([root]),
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        name=signer_name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    # PAdES B-T: the signature carries a trusted time from the configured RFC 3161 service.
    timestamper = timestamps.HTTPTimeStamper(timestamp_url, timeout=15) if timestamp_url else None
    out = BytesIO()
    signers.PdfSigner(metadata, signer=signer, timestamper=timestamper).sign_pdf(
        writer, output=out, existing_fields_only=True
    )
    return out.getvalue()


@dataclass
class SignatureReport:
    field_name: str
    signer: str
    signer_organization: str
    signer_role: str
    signed_at: datetime | None
    timestamp_at: datetime | None
    intact: bool  # the signed bytes are unchanged and the cryptographic signature checks out
    covers_whole_document: bool
    later_changes_allowed: bool  # anything added after it is only the next parties' signatures, in their fields
    trusted: bool | None  # chains to the portal's certificate authority; None: not checked (signature broken)
    valid: bool
    problems: list[str] = field(default_factory=list)
    timestamp_trusted: bool | None = None  # None: the signature has no timestamp


@dataclass
class VerificationReport:
    sha256: str
    signatures: list[SignatureReport]
    error: str | None = None
    revisions: int = 0
    changes: list[Change] = field(default_factory=list)  # what was added after signing that signing does not add
    unsigned_fields: list[str] = field(default_factory=list)  # parties' declared fields still without a signature

    @property
    def valid(self) -> bool:
        return self.error is None and bool(self.signatures) and all(s.valid for s in self.signatures) \
            and not self.changes

    @property
    def modified(self) -> bool:
        return bool(self.changes) or any(not (s.intact and s.later_changes_allowed) for s in self.signatures)

    def as_dict(self) -> dict:
        return {"sha256": self.sha256, "valid": self.valid, "modified": self.modified, "error": self.error,
                "revisions": self.revisions, "unsigned_fields": self.unsigned_fields,
                "changes": [asdict(c) for c in self.changes], "signatures": [asdict(s) for s in self.signatures]}


@cache
def _public_roots() -> list[asn1_x509.Certificate]:
    """The Mozilla root programme's certificates (certifi's bundle), for checking time-stamping authorities."""
    try:
        import certifi
    except ImportError:
        return []
    data = Path(certifi.where()).read_bytes()
    return [asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]


def _name_part(cert: asn1_x509.Certificate, key: str) -> str:
    return str(cert.subject.native.get(key, "") or "")


def _contexts(root: asn1_x509.Certificate | None) -> tuple[ValidationContext, ValidationContext]:
    """(signer, timestamp) contexts: a signer must chain to the portal's root; a timestamp comes from a public
    time-stamping authority, so the usual public roots are trusted for it too."""
    roots = [root] if root is not None else []
    return (ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"),
            ValidationContext(trust_roots=roots + _public_roots(), allow_fetching=False, revocation_mode="soft-fail"))


def _unchecked(field_name: str) -> SignatureReport:
    return SignatureReport(
        field_name=field_name, signer="", signer_organization="", signer_role="", signed_at=None, timestamp_at=None,
        intact=False, covers_whole_document=False, later_changes_allowed=False, trusted=None, valid=False,
        problems=["The signature could not be checked."],
    )


def _check_signature(sig, root: asn1_x509.Certificate | None, changes: list[Change]) -> SignatureReport:
    signer_context, ts_context = _contexts(root)
    try:
        status = validate_pdf_signature(sig, signer_validation_context=signer_context, ts_validation_context=ts_context,
                                        diff_policy=SIGNING_ONLY)
    except Exception:
        logger.info("signature %s could not be checked", sig.field_name, exc_info=True)
        return _unchecked(sig.field_name)
    problems: list[str] = []
    cert = status.signing_cert
    intact = bool(status.intact and status.valid)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # Changes are numbered from 1; this signature's own revision is sig.signed_revision + 1.
    later_ok = status.coverage in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION) and (
        whole or status.modification_level in _ALLOWED_LATER_CHANGES
    ) and not any(c.revision > sig.signed_revision + 1 for c in changes)
    if not intact:
        problems.append("The document was changed after this signature, or the signature is damaged.")
    if not later_ok:
        problems.append("Something other than the next party's signature was added after this signature.")
    # pyHanko checks the certificate chain only for a signature that is intact; otherwise it says nothing.
    trusted = bool(status.trusted) if intact else None
    if trusted is False:
        problems.append("The signing certificate was not issued by the portal's authority.")
    ts = status.timestamp_validity
    return SignatureReport(
        field_name=sig.field_name,
        signer=_name_part(cert, "common_name"),
        signer_organization=_name_part(cert, "organization_name"),
        signer_role=_name_part(cert, "organizational_unit_name"),
        signed_at=status.signer_reported_dt,
        timestamp_at=ts.timestamp if ts is not None else None,
        timestamp_trusted=bool(ts.intact and ts.valid and ts.trusted) if ts is not None else None,
        intact=intact,
        covers_whole_document=whole,
        later_changes_allowed=later_ok,
        trusted=trusted,
        valid=intact and later_ok and bool(trusted),
        problems=problems,
    )


def verify_pdf(pdf: bytes, *, root: asn1_x509.Certificate | None) -> VerificationReport:
    """Checks every signature in the file against the portal's root (no root: nothing is trusted), and that
    nothing but the parties' signatures, in order and in their declared fields, was added after the first."""
    digest = sha256(pdf)
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
        revisions = reader.xrefs.total_revisions
        changes = unexpected_changes(reader, first_signed=embedded[0].signed_revision,
                                     field_order=SIGNATURE_FIELDS) if embedded else []
        declared = {f[0] for f in fields.enumerate_sig_fields(reader, filled_status=False)}
    except Exception:  # a file pyHanko cannot even parse is simply not a valid agreement
        logger.info("unreadable PDF %s", digest, exc_info=True)
        return VerificationReport(digest, [], error="The file is not a readable PDF.")
    if not embedded:
        return VerificationReport(digest, [], error="The file has no digital signatures.", revisions=revisions)
    if len(embedded) > len(SIGNATURE_FIELDS) or revisions > MAX_REVISIONS:  # not worth checking one by one
        return VerificationReport(
            digest, [], error="The file has more signatures or revisions than an agreement can have.",
            revisions=revisions, changes=changes)
    return VerificationReport(
        digest, [_check_signature(sig, root, changes) for sig in embedded], revisions=revisions, changes=changes,
        unsigned_fields=[name for name in SIGNATURE_FIELDS if name in declared],
    )
