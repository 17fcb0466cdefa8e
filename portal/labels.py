"""English msgids for the coded values that pages show (statuses, kinds, degrees, industries)."""
from portal.i18n import gettext

LABELS = {
    # roles
    "graduate": "Graduate", "employer": "Employer", "officer": "Employment officer", "admin": "Administrator",
    # degrees
    "associate": "Associate (大专)", "bachelor": "Bachelor", "master": "Master", "doctorate": "Doctorate",
    # organization status
    "pending": "Pending verification", "verified": "Verified", "suspended": "Suspended",
    # position kinds and statuses
    "full_time": "Full-time", "part_time": "Part-time", "traineeship": "Traineeship (见习)",
    "draft": "Draft", "pending_review": "Pending review", "rejected": "Rejected", "published": "Published",
    "closed": "Closed", "expired": "Expired",
    "by_employer": "Closed by the employer", "filled": "Filled", "deadline": "Deadline passed",
    "not_reconfirmed": "Not reconfirmed within 30 days", "organization_suspended": "Employer suspended",
    # application statuses
    "received": "Received", "viewed": "Viewed", "shortlisted": "Shortlisted", "interview": "Interview",
    "offer": "Offer", "hired": "Hired", "withdrawn": "Withdrawn",
    # industries
    "information_technology": "Information technology", "manufacturing": "Manufacturing", "finance": "Finance",
    "education": "Education", "healthcare": "Healthcare", "logistics": "Logistics", "retail": "Retail",
    "construction": "Construction", "energy": "Energy", "public_sector": "Public sector",
    "culture_media": "Culture and media", "other": "Other",
}

# Agreements and destinations (portal/agreements, portal/destinations; Chinese in their zh_CN.po).
LABELS.update({
    "awaiting_graduate": "Waiting for the graduate", "awaiting_school": "Waiting for the school",
    "signed": "Signed", "cancelled": "Cancelled", "school": "School",
    "requested": "Requested", "consented": "Agreed by the other party", "approved": "Approved", "refused": "Refused",
    "drafted": "Drafted", "edited": "Draft edited", "discarded": "Draft discarded",
    "signed_employer": "Signed by the employer", "signed_graduate": "Signed by the graduate",
    "signed_school": "Signed by the school", "cancel_requested": "Cancelling requested",
    "cancel_consented": "Cancelling agreed by the other party", "cancel_refused_by_party": "Cancelling refused by the other party",
    "cancel_withdrawn": "Cancelling request withdrawn", "cancel_approved": "Cancelling approved",
    "cancel_refused": "Cancelling refused by the officer",
    "reported": "Reported", "confirmed": "Confirmed", "returned": "Returned for correction",
    "personnel_file": "Personnel file (档案)", "household": "Household registration (户籍)",
    "talent_service": "Public talent service centre", "home": "Place of origin", "abroad": "Going abroad",
    "sent": "Sent", "arrived": "Received at destination",
    "contact": "Contact", "service": "Service", "outcome": "Outcome", "handover": "Handed over", "opened": "Added to the list",
    "guidance": "Career guidance", "training": "Skills training", "recommendation": "Job recommendation",
})


def label(value: object) -> str:
    text = str(value)
    return gettext(LABELS.get(text, text))


def options(values) -> list[tuple[str, str]]:
    return [(value, label(value)) for value in values]
