"""`portal keys …`: the encryption key of the sensitive columns (see deploy/README.md, "Rotating keys")."""
import typer

keys_app = typer.Typer(help="Encryption keys of the sensitive columns", no_args_is_help=True)


@keys_app.command("new")
def new_key_command() -> None:
    """Print a fresh key for PORTAL_ENCRYPTION_KEY."""
    from portal.crypto import new_key

    typer.echo(new_key())


@keys_app.command("rotate")
def rotate_command() -> None:
    """Re-encrypt every sensitive value under PORTAL_ENCRYPTION_KEY (old keys in PORTAL_ENCRYPTION_OLD_KEYS)."""
    from portal import crypto, models  # noqa: F401  (every table, so every encrypted column)
    from portal.db import make_engine
    from portal.settings import get_settings

    settings = get_settings()
    engine = make_engine(settings.resolved_database_url)
    crypto.install_keyring(engine, settings)
    counts = crypto.rotate(engine)
    for column, count in counts.items():
        typer.echo(f"{column}: {count} re-encrypted")
    typer.echo(f"done: {sum(counts.values())} values now under the current key")
