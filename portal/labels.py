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


def label(value: object) -> str:
    text = str(value)
    return gettext(LABELS.get(text, text))


def options(values) -> list[tuple[str, str]]:
    return [(value, label(value)) for value in values]
