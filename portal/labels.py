"""English msgids for the coded values that pages show (statuses, kinds, degrees, industries)."""
from portal.i18n import gettext, pgettext

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
    "signed": "Signed", "cancelled": "Cancelled", "school": "School", "city": "City",
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

# Support ledger (portal/ledger; Chinese in its zh_CN.po). Existing keys keep their meaning.
LABELS.update({k: v for k, v in {
    "active": "Active", "proposed": "Proposed", "offered": "Offered", "applied": "Applied", "lapsed": "Lapsed",
    "submitted": "Submitted", "declined": "Declined",
    "position_closed": "Position closed", "position_filled": "Position filled", "position_expired": "Position expired",
    "application_rejected": "Application not successful", "application_withdrawn": "Application withdrawn",
    "no_longer_suitable": "No longer suits the graduate", "case_closed": "Case closed", "by_officer": "By an officer",
    "agreement_signed": "Agreement signed", "destination_registered": "Destination registered",
    "job_recommendation": "Job recommendation", "guidance_session": "Guidance session",
    "skills_training": "Skills training", "subsidy": "Subsidy", "mental_health": "Mental-health support",
    "accommodation": "Disability accommodation", "planned": "Planned", "in_progress": "In progress", "done": "Done",
    "phone": "Phone", "visit": "Home visit", "meeting": "Meeting", "message": "Message", "email": "Email",
    "enrolled": "Enrolled", "re_enrolled": "Enrolled again", "updated": "Updated", "reopened": "Reopened",
    "not_topped_up": "Not topped up yet", "awaiting_confirmation": "Awaiting confirmation",
    "no_open_positions": "No open position for the degree", "no_major_match": "No position for the major",
    "no_major_match_in_districts": "No position for the major in the preferred districts",
    "no_accessible_match": "No accessible position", "all_suitable_offered": "All suitable positions offered",
    "matcher_finds_no_fit": "The matcher finds no fit", "no_profile": "Profile incomplete",
}.items() if k not in LABELS})

# audit actions on organisations and positions (the officers' decision history)
LABELS.update({
    "organization.register": "Registered with the portal", "organization.verify": "Verified", "organization.suspend": "Suspended",
    "organization.reinstate": "Reinstated", "organization.update": "Profile changed",
    "organization.recruiter.add": "Recruiter added", "organization.recruiter.disable": "Recruiter switched off",
    "organization.recruiter.enable": "Recruiter switched on",
    "position.approve": "Approved and published", "position.reject": "Rejected",
})

# Training (portal/training; Chinese in its zh_CN.po). Existing keys keep their meaning.
LABELS.update({k: v for k, v in {
    "provider": "Training provider", "in_person": "In person", "online": "Online",
    "final_year": "Final-year students", "unemployed_graduate": "Unemployed graduates", "priority_group": "Priority groups",
    "completed": "Completed", "not_completed": "Did not complete",
    # subsidy claims, their documents and history (portal/subsidies)
    "more_requested": "More documents requested", "resubmitted": "Sent again", "unpaid": "Not paid yet", "paid": "Paid",
    "id_card": "ID card (both sides)", "bank_card": "Bank card for the payment", "fee_receipt": "Receipt for the fee",
    "certificate": "Training certificate",
    "subsidy.created": "Claim started", "subsidy.submitted": "Claim submitted", "subsidy.resubmitted": "Sent again with more documents",
    "subsidy.more_requested": "Officer asked for more", "subsidy.approved": "Approved", "subsidy.rejected": "Not approved",
    "subsidy.paid": "Paid",
    # traineeship batches and how placements end (portal/traineeships)
    "scheduled": "Scheduled", "ended_early": "Ended early",
}.items() if k not in LABELS})

# Recruitment events, presentations, interviews and notices (portal/fairs, presentations, interviews, notices).
LABELS.update({k: v for k, v in {
    "scheduled": "Scheduled", "proposed": "Proposed",
    "policy": "Policy", "news": "News", "guide": "Guide",
}.items() if k not in LABELS})

# invitations to apply (portal/invitations)
LABELS.update({"invitation_sent": "Invited", "invitation_accepted": "Accepted and applied",
               "invitation_declined": "Invitation declined"})

# the support ledger's shortfall reasons: what eliminated the candidates (ledger/suitability.py FUNNEL)
LABELS.update({"no_open_positions": "No open position in the field", "no_position_for_degree": "None for the degree",
               "no_accessible_position": "No accessible workplace", "none_in_districts": "None in the preferred districts",
               "none_of_kinds": "None of the job kinds asked for", "none_fits": "None fits well enough",
               "all_suitable_at_cap": "Suitable positions fully promised"})


# what a ledger case's "updated" history entry says changed (portal/ledger)
LABELS.update({k: v for k, v in {
    "categories": "Categories", "evidence": "Evidence seen", "preferred_districts": "Preferred districts",
    "needs_accessible": "Accessible workplace", "officer_id": "Responsible officer",
    "family_income_note": "Family income status",
    # a case the graduate applied for themselves (portal/ledger/service/enrolment.py)
    "graduate_request": "The graduate's own application", "consent_with_request": "Given online with the application",
}.items() if k not in LABELS})


def label(value: object, context: str | None = None) -> str:
    """The coded value's words; a context ("measure") picks the translation meant there, e.g. 已取消, not 已解约."""
    text = str(value)
    msgid = LABELS.get(text, text)
    return pgettext(context, msgid) if context else gettext(msgid)


def label_or_text(value: object) -> str:
    """A field that holds a coded value or words someone typed: the code in words, the typed words as they are."""
    text = str(value)
    return gettext(LABELS[text]) if text in LABELS else text


def options(values, context: str | None = None) -> list[tuple[str, str]]:
    return [(value, label(value, context)) for value in values]


# Career guidance, personnel files in custody and competitions (portal/guidance, archives, competitions), invited
# accounts and secondary vocational schools (portal/accounts, portal/reference).
LABELS.update({k: v for k, v in {
    "counsellor": "Career counsellor", "judge": "Judge",
    "secondary": "Secondary vocational (中专)", "technical": "Technical school (技工学校)",
    "higher_education": "University or college",
    "video": "By video", "booked": "Booked", "missed": "Did not come",
}.items() if k not in LABELS})

# Events with registration besides job fairs (portal/fairs FairKind; job fairs name themselves in fairs/_macros.html)
LABELS.update({k: v for k, v in {
    "group_guidance": "Group career guidance", "service_day": "Public employment service day on campus",
    "forum": "Innovation and entrepreneurship forum", "report_meeting": "Report meeting (报告会)",
}.items() if k not in LABELS})

# Personnel files in custody (portal/archives; statuses read with the "archives" context in its zh_CN.po)
LABELS.update({k: v for k, v in {
    "accepted": "Accepted", "in_custody": "In custody", "transferred_out": "Transferred out", "follow_up": "Followed up",
    "no_employer": "Graduate without an employer", "study_abroad": "Studying abroad at own expense",
    "private_abroad": "Abroad for private reasons", "elsewhere": "A former employer or another agency",
    "custody_certificate": "Custody certificate", "political_review": "Political review materials",
    "transfer_out": "Transfer to an employer", "lost_item": "Missing item follow-up",
    "graduate_registration_form": "Graduate registration form", "transcript": "Transcript",
    "student_status_records": "Student status records", "physical_examination": "Physical examination form",
    "party_league_records": "Party and league records", "awards_and_penalties": "Awards and penalties",
    "admission_records": "Admission records", "employment_registration": "Employment registration papers",
}.items() if k not in LABELS})

# Competitions (portal/competitions; statuses read with the "competition" context in its zh_CN.po)
LABELS.update({k: v for k, v in {
    "open": "Open", "judging": "Judging", "round_closed": "Round closed", "results_published": "Results published",
}.items() if k not in LABELS})
