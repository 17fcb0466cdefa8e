"""`portal ca …` (the certificate authority) and `portal agreement …` (verification from the command line)."""
from pathlib import Path
from typing import Annotated

import typer

ca_app = typer.Typer(help="The portal's certificate authority for agreement signatures", no_args_is_help=True)
agreement_app = typer.Typer(help="Tripartite agreements", no_args_is_help=True)


@ca_app.command("init")
def ca_init(force: Annotated[bool, typer.Option(help="replace an existing authority (old signatures stop verifying)")] = False) -> None:
    """Create the root key and certificate under PORTAL_DATA_DIR/ca (the key encrypted with PORTAL_SECRET_KEY)."""
    from portal.agreements import ca
    from portal.errors import Conflict
    from portal.settings import get_settings

    settings = get_settings()
    try:
        cert = ca.init_ca(settings, force=force)
    except Conflict:
        cert = ca.load_root(settings)
        typer.echo(f"the certificate authority already exists at {ca.root_cert_path(settings)}")
    else:
        typer.echo(f"created the certificate authority at {ca.root_cert_path(settings)}")
    typer.echo(f"SHA-256 fingerprint: {ca.fingerprint(cert)}")


@ca_app.command("show")
def ca_show() -> None:
    """Print the root certificate (PEM) and its fingerprint."""
    from portal.agreements import ca
    from portal.settings import get_settings

    cert = ca.load_root(get_settings())
    typer.echo(ca.pem(cert))
    typer.echo(f"SHA-256 fingerprint: {ca.fingerprint(cert)}")


@agreement_app.command("verify")
def agreement_verify(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    json_output: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Check every signature in an agreement PDF and compare it with the portal's record; exits 0 only for a
    valid file that is not an earlier or modified version of an agreement on record."""
    import json

    from sqlmodel import Session

    from portal import i18n, models  # noqa: F401  (the record's tables)
    from portal.agreements import ca, verification
    from portal.db import make_engine
    from portal.settings import get_settings

    i18n.set_locale("en")
    settings = get_settings()
    if not ca.has_root(settings):
        typer.echo("warning: no certificate authority here, so no signature can be trusted", err=True)
    with Session(make_engine(settings.resolved_database_url)) as session:
        result = verification.verify_document(session, settings=settings, pdf=file.read_bytes())
    if json_output:
        typer.echo(json.dumps(result.report.as_dict() | {
            "verdict": result.verdict, "record": {"agreement": result.record.agreement.number, "step": result.record.step,
                                                  "revision": result.record.revision, "version": result.record.version}
            if result.record else None}, ensure_ascii=False, default=str, indent=2))
    else:
        _print_report(file.name, result)
    raise typer.Exit(0 if result.verdict == verification.Verdict.valid else 1)


def _print_report(name: str, result) -> None:
    from portal.i18n import gettext
    from portal.localtime import format_datetime

    report = result.report
    typer.echo(f"{name}  sha256 {report.sha256}  ({report.revisions} revisions)")
    if report.error:
        typer.echo(f"  {report.error}")
    for n, s in enumerate(report.signatures, 1):
        typer.echo(
            f"  [{n}] {'valid' if s.valid else 'INVALID'}  {s.signer} ({s.signer_role}, {s.signer_organization})"
            f"  signed {format_datetime(s.signed_at)} (Tianjin time)" if s.signed_at else f"  [{n}] INVALID  {s.field_name}"
        )
        typer.echo(
            f"      intact: {yn(s.intact)}  covers whole document: {yn(s.covers_whole_document)}  "
            f"only the next parties' signatures added later: {yn(s.later_changes_allowed)}  "
            f"chains to portal CA: {yn(s.trusted)}"
            + (f"  timestamp: {format_datetime(s.timestamp_at)} (trusted: {yn(s.timestamp_trusted)})"
               if s.timestamp_at else "")
        )
        for problem in s.problems:
            typer.echo(f"      ! {problem}")
    for change in report.changes:
        typer.echo(f"  ! {gettext(change.message, **change.params)}")
    if report.unsigned_fields:
        typer.echo(f"  not signed yet in this file: {', '.join(report.unsigned_fields)}")
    if result.record:
        typer.echo(f"  agreement {result.record.agreement.number}: {result.record.message}")
    typer.echo({"valid": "VALID", "not_final": "NOT THE FINAL VERSION", "modified": "MODIFIED",
                "invalid": "INVALID"}[result.verdict])


def yn(value: bool | None) -> str:
    return "not checked" if value is None else "yes" if value else "no"
