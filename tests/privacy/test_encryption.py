"""Sensitive columns are unreadable in the database itself, readable through the portal, and rotate to a new key."""
import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from portal.accounts.models import GraduateProfile
from portal.crypto import MissingEncryptionKey, install_keyring, keyring_for, new_key, rotate
from portal.db import make_engine
from portal.ledger.models import LedgerCase
from portal.settings import Settings
from tests.factories import make_graduate, make_ledger_case, make_officer

SECRETS = ("minimum_subsistence", "低保证", "家庭年收入两万元")


def test_a_database_dump_shows_none_of_the_sensitive_values(session, engine):
    graduate = make_graduate(session)
    officer = make_officer(session)
    make_ledger_case(session, graduate, officer, family_income_note="家庭年收入两万元")
    profile = session.get(GraduateProfile, graduate.id)
    profile.accessibility_note = "需要无障碍电梯"
    session.add(profile)
    session.commit()
    with engine.connect() as connection:
        stored = " ".join(str(row) for row in connection.execute(
            text("SELECT categories, evidence, family_income_note FROM ledgercase")))
        stored += str(connection.execute(text("SELECT accessibility_note FROM graduateprofile")).all())
    assert not any(secret in stored for secret in (*SECRETS, "无障碍电梯"))
    session.expire_all()
    case = session.exec(select(LedgerCase)).one()
    assert case.categories == ["minimum_subsistence"] and case.family_income_note == "家庭年收入两万元"
    assert "低保证" in case.evidence and session.get(GraduateProfile, graduate.id).accessibility_note == "需要无障碍电梯"


def keyed_engine(url: str, key: str, *old: str):
    engine = make_engine(url)
    install_keyring(engine, Settings(_env_file=None, environment="production", encryption_key=key,
                                     encryption_old_keys=",".join(old)))
    return engine


def test_rotation_moves_every_value_to_the_new_key(tmp_path):
    url = f"sqlite:///{tmp_path / 'rotate.db'}"
    old_key, new = new_key(), new_key()
    with Session(keyed_engine(url, old_key), expire_on_commit=False) as session:
        SQLModel.metadata.create_all(session.get_bind())
        graduate = make_graduate(session)
        make_ledger_case(session, graduate, make_officer(session), family_income_note="家庭年收入两万元")
    with keyed_engine(url, old_key).begin() as connection:  # a value from before encryption was turned on
        connection.execute(text("UPDATE ledgercase SET consent_note = 'x', evidence = 'plain evidence'"))

    both = keyed_engine(url, new, old_key)
    with Session(both) as session:  # during the rotation: old values still read
        assert session.exec(select(LedgerCase)).one().family_income_note == "家庭年收入两万元"
    counts = rotate(both)
    assert counts["ledgercase.categories"] == 1 and counts["ledgercase.evidence"] == 1
    assert sum(rotate(both).values()) == 0  # nothing left under the old key

    with Session(keyed_engine(url, new)) as session:
        case = session.exec(select(LedgerCase)).one()
        assert case.categories == ["minimum_subsistence"] and case.evidence == "plain evidence"
    with Session(keyed_engine(url, old_key)) as session, pytest.raises(Exception):
        session.exec(select(LedgerCase)).one()


def test_outside_local_use_a_key_is_required():
    with pytest.raises(MissingEncryptionKey):
        keyring_for(Settings(_env_file=None, environment="production"))
    assert keyring_for(Settings(_env_file=None, environment="local"))
