"""The form round trip every page route uses: read the form, parse it into a schema with translated messages,
call the service, and answer with the success response or the same page (or block) again with the errors and
what was typed.

    @router.post("/signup/graduate")
    def graduate_signup(request: Request, session: SessionDep, data: FormData):
        return submit(
            request, session, GraduateSignup, data,
            lambda signup: service.register_graduate(session, signup=signup),
            done=lambda user: redirect(request, "/me/resume"),
            again=FormPage("accounts/signup_graduate.html"),
        )

The route is a plain `def` (FastAPI runs it in its threadpool, so password hashing, parsing an upload or a
blocking query never stalls the event loop); `FormData` and `UploadForm` read the body in an async dependency.
"""
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlmodel import Session
from starlette.datastructures import UploadFile
from starlette.responses import Response

from portal.errors import Forbidden, Invalid, NotFound, ServiceError
from portal.i18n import gettext
from portal.web import render

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
Errors = dict[str, str]

# Pydantic error types -> English msgids shown beside the field (ctx values fill the %(name)s parameters).
MESSAGES = {
    "missing": "This field is required.",
    "string_too_short": "Enter at least %(min_length)s characters.",
    "string_too_long": "This is too long (at most %(max_length)s characters).",
    "string_pattern_mismatch": "This value is not valid.",
    "string_type": "This value is not valid.",
    "too_short": "Choose at least %(min_length)s.",
    "too_long": "Too many entries (at most %(max_length)s).",
    "int_parsing": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "float_parsing": "Enter a number.",
    "float_type": "Enter a number.",
    "decimal_parsing": "Enter a number.",
    "greater_than": "Enter a number greater than %(gt)s.",
    "greater_than_equal": "Enter a number of at least %(ge)s.",
    "less_than": "Enter a number less than %(lt)s.",
    "less_than_equal": "Enter a number of at most %(le)s.",
    "date_parsing": "Enter a date such as 2026-07-01.",
    "date_from_datetime_parsing": "Enter a date such as 2026-07-01.",
    "date_type": "Enter a date such as 2026-07-01.",
    "datetime_parsing": "Enter a date and time such as 2026-07-01 09:30.",
    "datetime_from_date_parsing": "Enter a date and time such as 2026-07-01 09:30.",
    "enum": "Choose one of the options.",
    "literal_error": "Choose one of the options.",
    "bool_parsing": "Choose yes or no.",
    "bool_type": "Choose yes or no.",
    "list_type": "Choose one of the options.",
}
# A required text field left blank: "at least 1 character" says less than "required".
_BLANK = "This field is required."
_EMAIL = "Enter a valid email address."

# Refusals whose status a client acts on (sign in again, wait and retry) keep it; any other refusal shown in the
# form answers 422 like a form that does not parse.
_OWN_STATUS = (401, 429)
# Room for an upload's other fields and the multipart framing.
_FORM_FRAMING_BYTES = 64 * 1024


def message_of(item: Mapping[str, Any]) -> str:
    """One pydantic error as a translated sentence."""
    ctx = item.get("ctx") or {}
    if item["type"] == "value_error":
        if item["msg"].startswith("value is not a valid email address"):
            return gettext(_EMAIL)
        return gettext(str(ctx["error"])) if "error" in ctx else gettext("This value is not valid.")
    if item["type"] == "string_too_short" and ctx.get("min_length") == 1:
        return gettext(_BLANK)
    msgid = MESSAGES.get(item["type"])
    if msgid is None:
        return gettext("This value is not valid.")
    return gettext(msgid, **{k: v for k, v in ctx.items() if f"%({k})s" in msgid})


def error_key(loc: tuple, index_map: Mapping[str, list[int]] | None = None) -> str:
    """The form's own name for an error location: a field, or `section-<row>-<field>` for a row of a list."""
    if not loc:
        return "__all__"
    head = str(loc[0])
    if index_map is not None and head in index_map and len(loc) >= 2 and isinstance(loc[1], int):
        rows = index_map[head]
        row = rows[loc[1]] if loc[1] < len(rows) else loc[1]
        return f"{head}-{row}-{loc[2] if len(loc) > 2 else 'start'}"
    return head


def errors_by_field(error: ValidationError, index_map: Mapping[str, list[int]] | None = None) -> Errors:
    """Translated messages keyed by the form's field names; the first message of a field wins."""
    errors: Errors = {}
    for item in error.errors():
        errors.setdefault(error_key(tuple(item["loc"]), index_map), message_of(item))
    return errors


def parse(schema: type[T], data: Mapping[str, Any], index_map: Mapping[str, list[int]] | None = None) -> tuple[T | None, Errors]:
    """Validates form data against a schema: (the object, {}) or (None, translated errors by field)."""
    try:
        return schema.model_validate(data), {}
    except ValidationError as error:
        return None, errors_by_field(error, index_map)


def require(schema: type[T], data: Mapping[str, Any]) -> T:
    """For a form with no page of its own (a button with a choice, say): a bad value is refused like any bad input,
    with the first message, on the error page or in the flash area."""
    parsed, errors = parse(schema, data)
    if parsed is None:
        field, message = next(iter(errors.items()))
        raise Invalid(message, field=field)
    return parsed


def field_errors(error: ServiceError) -> Errors:
    """A service's refusal as form errors: under its field, or above the form."""
    return {error.field or "__all__": gettext(error.message, **error.params)}


def form_fields(form) -> dict[str, Any]:
    """Text fields as a dict (the csrf token left out); repeated names (checkbox groups) and names ending in [] become
    lists."""
    data: dict[str, Any] = {}
    for key in form.keys():
        values = [value for value in form.getlist(key) if isinstance(value, str)]
        if key == "csrf_token" or not values:
            continue
        data[key.removesuffix("[]")] = values if len(values) > 1 or key.endswith("[]") else values[0]
    return data


async def read_form_data(request: Request) -> dict[str, Any]:
    return form_fields(await request.form())


FormData = Annotated[dict[str, Any], Depends(read_form_data)]


@dataclass
class Upload:
    """A multipart form with at most one file, read with a size cap; `file()` raises the refusal inside the action."""

    data: dict[str, Any]
    files: dict[str, UploadFile] = field(default_factory=dict)
    too_large: ServiceError | None = None

    def file(self, name: str) -> UploadFile:
        if self.too_large is not None:
            raise Invalid(self.too_large.message, field=name, **self.too_large.params)
        upload = self.files.get(name)
        if upload is None or not upload.filename:
            raise Invalid("Choose a file.", field=name)
        return upload

    def read(self, name: str) -> bytes:
        """The file's bytes (call it from a plain `def` route: a large upload sits in a temporary file)."""
        return self.file(name).file.read()


async def read_upload(request: Request) -> Upload:
    """The form of an upload page. A body declared larger than the upload cap is refused before it is read (the
    body limit and the services' capped writes stop one that lies about its length)."""
    limit = request.app.state.settings.upload_max_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _FORM_FRAMING_BYTES:
        return Upload({}, too_large=Invalid("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024)))
    form = await request.form(max_files=1, max_fields=50)
    files = {key: value for key, value in form.multi_items() if isinstance(value, UploadFile)}
    return Upload(form_fields(form), files)


UploadForm = Annotated[Upload, Depends(read_upload)]


def capped_bytes(file: UploadFile, limit: int) -> bytes:
    """An uploaded file's bytes (from a plain `def` route), refused when it is larger than `limit`."""
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise Invalid("The file is larger than %(mb)s MB.", field="file", mb=limit // (1024 * 1024))
    return data


@dataclass(frozen=True)
class FormPage:
    """The page a form lives on, rendered again when a submission is refused.

    `context(errors)` gives what the template needs besides `errors` and `values` (what was typed), which the
    round trip sets last; `block` is the part HTMX swaps (the whole page for other requests).
    """

    template: str
    block: str | None = None
    context: Callable[[Errors], dict] | None = None
    lists: tuple[str, ...] = ()  # checkbox groups: shown again as lists even when one or none was ticked

    def again(self, request: Request, errors: Errors, values: Mapping[str, Any], status_code: int = 422) -> Response:
        values = {**values, **{name: _as_list(values.get(name)) for name in self.lists}}
        context = {**(self.context(errors) if self.context else {}), "errors": errors, "values": values}
        return render(request, self.template, context, block=self.block, status_code=status_code)

    def show(self, request: Request, values: Mapping[str, Any] | None = None) -> Response:
        """The page as it first appears: nothing refused, the form filled with `values` (what is on record)."""
        return self.again(request, {}, values or {}, status_code=200)


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else ([value] if value else [])


def refused(session: Session, error: ServiceError) -> tuple[Errors, int]:
    """A refusal to show in the form, after undoing whatever the refused action wrote.

    Someone else's or a missing object is not a form error: NotFound and Forbidden go on to the error page.
    """
    if isinstance(error, (NotFound, Forbidden)):
        raise error
    session.rollback()
    return field_errors(error), error.status_code if error.status_code in _OWN_STATUS else 422


def submit(
    request: Request,
    session: Session,
    schema: type[T] | None,
    data: Mapping[str, Any],
    action: Callable[[T], R],
    *,
    done: Callable[[R], Response],
    again: FormPage | Callable[[Errors, Mapping[str, Any], int], Response],
    index_map: Mapping[str, list[int]] | None = None,
) -> Response:
    """parse -> action -> done(result); or the form again with translated errors (422) and the submitted values.

    With no schema (a form that is only a file, say) the action receives the data as they came. `again` is usually
    a FormPage; a form that lives on several pages (a row of a list, say) passes `again(errors, values, status)`.
    """
    parsed, errors = parse(schema, data, index_map) if schema is not None else (data, {})
    status_code = 422
    if parsed is not None:
        try:
            result = action(parsed)
        except ServiceError as error:
            errors, status_code = refused(session, error)
        else:
            return done(result)
    if isinstance(again, FormPage):
        return again.again(request, errors, data, status_code)
    return again(errors, data, status_code)
