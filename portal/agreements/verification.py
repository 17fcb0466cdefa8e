"""Verifying an agreement file: its signatures (signing.verify_pdf) and where it stands against the portal's record.

The record keeps the SHA-256 of every version the signing flow produced (the draft each signer saw, and the file
after each signature). An upload is that version byte for byte, or such a version with something appended, or
unknown to the portal. Only the agreement's current document is shown with the agreement's status.
"""
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import or_
from sqlmodel import Session, select

from portal.agreements import ca, revisions, signing
from portal.agreements.models import Agreement, AgreementSignature, AgreementStatus
from portal.errors import Invalid
from portal.i18n import gettext
from portal.settings import Settings


PDF_MAGIC = b"%PDF-"


class Version(StrEnum):
    final = "final"  # the fully signed document on record
    current = "current"  # the document on record as it stands, not (or no longer) on its way to being signed
    earlier = "earlier"  # a version on record that later signatures superseded
    modified = "modified"  # a version on record with changes appended that the portal did not make


class Verdict(StrEnum):
    valid = "valid"
    not_final = "not_final"
    modified = "modified"
    invalid = "invalid"


VERDICT_MESSAGES = {
    Verdict.valid: "All signatures are valid.",
    Verdict.not_final: "The signatures are valid, but this is not the final signed version of the agreement.",
    Verdict.modified: "This document was MODIFIED after it was signed.",
    Verdict.invalid: "This document does not verify.",
}


STEPS = {
    "draft": "as drawn up, before anyone signed",
    "employer": "after the employer signed",
    "graduate": "after the graduate signed",
    "school": "after the school signed",
}


@dataclass(frozen=True)
class RecordMatch:
    agreement: Agreement
    step: str  # the recorded version the file is, or starts with: "draft", or the party whose signature it ends with
    revision: int  # how many revisions that recorded version holds
    version: Version

    @property
    def message(self) -> str:
        """Where the file stands against the record, in the current language."""
        params = {"revision": self.revision, "step": gettext(STEPS[self.step])}
        if self.version == Version.final:
            return gettext("This is the final signed version on record: revision %(revision)s, %(step)s.", **params)
        if self.version == Version.current:
            return gettext("This is the agreement's current version on record: revision %(revision)s, %(step)s.",
                           **params)
        if self.version == Version.modified:
            return gettext("This file is revision %(revision)s, %(step)s, with changes added afterwards that the "
                           "portal did not make.", **params)
        if self.agreement.status == AgreementStatus.signed:
            return gettext("This is not the final signed version: it is revision %(revision)s, %(step)s. The "
                           "portal holds the version all three parties signed.", **params)
        return gettext("This is not the current version: it is revision %(revision)s, %(step)s. The portal holds "
                       "a later one.", **params)


@dataclass(frozen=True)
class Verification:
    report: signing.VerificationReport
    record: RecordMatch | None

    @property
    def agreement(self) -> Agreement | None:
        return self.record.agreement if self.record else None

    @property
    def on_record(self) -> bool:
        """The file is the agreement's document as it stands, so the agreement's status speaks for it."""
        return self.record is not None and self.record.version in (Version.final, Version.current)

    @property
    def verdict(self) -> Verdict:
        if self.report.modified or (self.record and self.record.version == Version.modified):
            return Verdict.modified
        if not self.report.valid:
            return Verdict.invalid
        if self.record and self.record.version == Version.earlier:
            return Verdict.not_final
        return Verdict.valid

    @property
    def verdict_message(self) -> str:
        return VERDICT_MESSAGES[self.verdict]


def _recorded_versions(session: Session, agreement: Agreement) -> list[tuple[str, str]]:
    """(step, sha256) of every version the signing flow produced, oldest first."""
    rows = list(session.exec(select(AgreementSignature).where(AgreementSignature.agreement_id == agreement.id)
                             .order_by(AgreementSignature.id)))
    versions = [("draft", rows[0].hash_before)] if rows else []
    versions += [(row.party, row.hash_after) for row in rows]
    if agreement.document_sha256 and not rows:
        versions.append(("draft", agreement.document_sha256))
    return versions


def _candidates(session: Session, digests: set[str]) -> list[Agreement]:
    by_document = select(Agreement.id).where(Agreement.document_sha256.in_(digests))
    by_signature = select(AgreementSignature.agreement_id).where(
        or_(AgreementSignature.hash_after.in_(digests), AgreementSignature.hash_before.in_(digests)))
    return list(session.exec(select(Agreement).where(or_(Agreement.id.in_(by_document), Agreement.id.in_(by_signature)))
                             .limit(5)))


def _version(agreement: Agreement, digest: str, exact: bool) -> Version:
    if not exact:
        return Version.modified
    if digest != agreement.document_sha256:
        return Version.earlier
    return Version.final if agreement.status == AgreementStatus.signed else Version.current


def match_record(session: Session, pdf: bytes, digest: str) -> RecordMatch | None:
    """The latest recorded version the file is, or begins with."""
    prefixes = revisions.revision_prefixes(pdf)
    best: RecordMatch | None = None
    for agreement in _candidates(session, set(prefixes) | {digest}):
        for step, recorded in _recorded_versions(session, agreement):
            count = prefixes.get(recorded)
            if count is None or (best is not None and count <= best.revision):
                continue
            best = RecordMatch(agreement, step, count, _version(agreement, recorded, exact=recorded == digest))
    return best


def require_pdf(pdf: bytes) -> bytes:
    """A file that does not even start like a PDF is bad input for a client of the API, not an agreement that
    fails to verify (the page tells a person so in the report instead)."""
    if not pdf.startswith(PDF_MAGIC):
        raise Invalid("The file is not a PDF.", field="file")
    return pdf


def verify_document(session: Session, *, settings: Settings, pdf: bytes) -> Verification:
    """Checks a file's signatures and where it stands against the record (pyHanko runs its own event loop, so
    callers in async code run this in a worker thread)."""
    root = ca.root_asn1(settings) if ca.has_root(settings) else None
    report = signing.verify_pdf(pdf, root=root)
    return Verification(report, match_record(session, pdf, report.sha256) if report.revisions else None)
