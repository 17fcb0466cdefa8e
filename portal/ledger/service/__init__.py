"""The support ledger's rules: enrolment, the file and the plan, the three-position guarantee, reports.

Authorization lives here. A ledger record is visible only to officers (and admins) whose scope covers the graduate
(portal/scope.py, by the graduate's profile); anyone else gets NotFound, so case ids cannot be probed. Every read
and every change of a ledger record writes an audit entry in the same transaction. Nothing here is ever shown to an
employer. The parts: cases.py (access, audit, categories), enrolment.py (enrolment, requests, closing), files.py
(the file, contacts, documents), plans.py (measures), offers.py (the guarantee, top-up, offers), reports.py.
Other packages use the names below.
"""
from portal.ledger.service.cases import (
    GUARANTEE,
    add_category,
    can_manage_categories,
    case_of_graduate,
    cases_in_scope,
    find_graduate,
    get_case,
    list_categories,
)
from portal.ledger.service.enrolment import (
    BulkResult,
    RowError,
    bulk_enrol,
    close_case,
    close_case_for_graduate,
    decide_request,
    enrol,
    my_requests,
    officer_close,
    officer_reopen,
    pending_request,
    read_table,
    reopen_case,
    reopen_case_for_graduate,
    request_enrolment,
    requests_for_officer,
    update_case,
)
from portal.ledger.service.files import DOCUMENT_MAX_BYTES, CaseFile, add_contact, add_document, case_file, read_document
from portal.ledger.service.offers import (
    SupportView,
    TopUpReport,
    apply_to_offer,
    confirm_all,
    confirm_offer,
    constraints_of,
    my_support,
    proposals,
    refresh_case,
    top_up,
    top_up_job,
    top_up_with_settings,
    withdraw_offer,
)
from portal.ledger.service.plans import add_measure, overdue_measures, set_measure_status
from portal.ledger.service.reports import CaseRow, export_xlsx, list_cases, report, shortfall_list, shortfall_message
from portal.ledger.suitability import DEFAULT_MIN_FIT

__all__ = [
    "DEFAULT_MIN_FIT", "DOCUMENT_MAX_BYTES", "GUARANTEE", "BulkResult", "CaseFile", "CaseRow", "RowError",
    "SupportView", "TopUpReport", "add_category", "add_contact", "add_document", "add_measure", "apply_to_offer",
    "bulk_enrol", "can_manage_categories", "case_file", "case_of_graduate", "cases_in_scope", "close_case",
    "close_case_for_graduate", "confirm_all", "confirm_offer", "constraints_of", "decide_request", "enrol",
    "export_xlsx", "find_graduate", "get_case", "list_cases", "list_categories", "my_requests", "my_support",
    "officer_close", "officer_reopen", "overdue_measures", "pending_request", "proposals", "read_document",
    "read_table", "refresh_case", "reopen_case", "reopen_case_for_graduate", "report", "request_enrolment",
    "requests_for_officer", "set_measure_status", "shortfall_list", "shortfall_message", "top_up", "top_up_job",
    "top_up_with_settings", "update_case", "withdraw_offer",
]
