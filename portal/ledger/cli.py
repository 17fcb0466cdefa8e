"""`portal ledger ...`: top up the ledger, print its figures, export it."""
import json
from typing import Annotated

import typer

ledger_app = typer.Typer(help="Support ledger (帮扶工作台账)", no_args_is_help=True)


def _open():
    from sqlmodel import Session

    from portal import models  # noqa: F401
    from portal.db import make_engine
    from portal.settings import get_settings
    from search.factory import build_backend

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    return settings, Session(engine, expire_on_commit=False), build_backend(settings, engine)


@ledger_app.command("top-up")
def top_up(
    auto: Annotated[bool | None, typer.Option("--auto/--propose", help="offer at once, or only propose (default: PORTAL_LEDGER_AUTO_OFFERS)")] = None,
    case: Annotated[list[int] | None, typer.Option(help="only this case id; repeatable")] = None,
) -> None:
    """Refill every active case to three suitable open offers; print a JSON summary and the shortfall count."""
    from portal.ledger import service

    settings, session, search = _open()
    with session:
        result = service.top_up(session, search=search,
                                auto_offers=settings.ledger_auto_offers if auto is None else auto,
                                case_ids=case or None, min_fit=settings.ledger_min_fit)
    typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))


@ledger_app.command("report")
def report(fmt: Annotated[str, typer.Option("--format", help="json or text")] = "json") -> None:
    """The dashboard's figures for the whole city."""
    from portal.ledger import service

    _, session, _ = _open()
    with session:
        figures = service.report(session, officer=None)
    if fmt == "json":
        typer.echo(json.dumps(figures, ensure_ascii=False))
        return
    for section, values in figures.items():
        typer.echo(f"{section}: {values}")


@ledger_app.command("add-category")
def add_category(code: str, label_zh: str, label_en: str,
                 accessible: Annotated[bool, typer.Option(help="cases need accessible workplaces")] = False) -> None:
    """Add a priority category (the list is data)."""
    from portal.accounts.models import Role, User
    from portal.ledger import service
    from sqlmodel import select

    _, session, _ = _open()
    with session:
        admin = session.exec(select(User).where(User.role == Role.admin)).first()
        actor = admin or User(id=None, email="cli", role=Role.admin, display_name="cli")
        service.add_category(session, actor=actor, code=code, label_zh=label_zh, label_en=label_en,
                             needs_accessible=accessible)
    typer.echo(f"added {code}")
