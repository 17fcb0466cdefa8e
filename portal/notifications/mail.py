"""The mail outbox: an email is a row written in the caller's transaction, sent once that transaction commits.

A sender thread starts right after a commit that queued mail, and the scheduler sends whatever is still due
(`send_due` in SCHEDULED_JOBS), so mail survives a restart and a mail server that is down. Nothing about
sending (a refused connection, a value that cannot be a header) ever reaches the request that queued it.
"""
import logging
import smtplib
import threading
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from portal.clock import utcnow
from portal.notifications.models import OutgoingMail
from portal.settings import Settings

log = logging.getLogger(__name__)
_WAKE_SENDER = "jinying_wake_mail_sender"
MAX_ATTEMPTS = 8
BATCH = 50
# How long a sender holds a mail it is sending; a failed mail waits this long, doubled with every attempt.
CLAIM = timedelta(minutes=2)
SUBJECT_MAX = 200


def header_value(text: str) -> str:
    """One line of printable text: a line break in a position title must not become a second header."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())[:SUBJECT_MAX]


def queue(session: Session, *, settings: Settings, to: str, subject: str, body: str) -> OutgoingMail | None:
    """Adds an email to the caller's transaction (nothing when no mail server is configured)."""
    if not settings.smtp_host:
        return None
    mail = OutgoingMail(to=header_value(to), subject=header_value(subject), body=body)
    session.add(mail)
    session.info[_WAKE_SENDER] = settings
    return mail


def _message(settings: Settings, mail: OutgoingMail) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = header_value(settings.smtp_sender), header_value(mail.to)
    message["Subject"] = header_value(mail.subject)
    message.set_content(mail.body)
    return message


def _claim(session: Session, mail_id: int) -> OutgoingMail | None:
    """The mail, if this sender got it first; another sender working at the same moment gets nothing."""
    now = utcnow()
    claimed = session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.sent_at.is_(None), OutgoingMail.not_before <= now)
        .values(not_before=now + CLAIM, attempts=OutgoingMail.attempts + 1)
    ).rowcount
    session.commit()
    return session.get(OutgoingMail, mail_id, populate_existing=True) if claimed == 1 else None


def _deliver(settings: Settings, mail: OutgoingMail) -> str | None:
    """Sends one mail; the reason it failed, or None."""
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(_message(settings, mail))
    except (OSError, smtplib.SMTPException, ValueError) as error:
        log.warning("could not send mail %s to %s: %s", mail.id, mail.to, error)
        return f"{type(error).__name__}: {error}"[:500]
    return None


def send_due(session: Session, *, settings: Settings, search=None) -> int:
    """Sends every mail that is due (a scheduled job, and the sender thread's work); how many went out."""
    if not settings.smtp_host:
        return 0
    due = session.exec(
        select(OutgoingMail.id)
        .where(OutgoingMail.sent_at.is_(None), OutgoingMail.not_before <= utcnow(),
               OutgoingMail.attempts < MAX_ATTEMPTS)
        .order_by(OutgoingMail.id).limit(BATCH)
    ).all()
    sent = 0
    for mail_id in due:
        mail = _claim(session, mail_id)
        if mail is None:
            continue
        error = _deliver(settings, mail)
        if error is None:
            mail.sent_at, mail.last_error = utcnow(), None
            sent += 1
        else:
            mail.last_error, mail.not_before = error, utcnow() + CLAIM * 2 ** (mail.attempts - 1)
        session.add(mail)
        session.commit()
    return sent


def _send_in_background(engine: Engine, settings: Settings) -> None:
    try:
        with Session(engine, expire_on_commit=False) as session:
            send_due(session, settings=settings)
    except Exception:  # the scheduler sends what this thread could not
        log.exception("the mail sender stopped")


@event.listens_for(OrmSession, "after_commit")
def _wake_sender(session: OrmSession) -> None:
    settings = session.info.pop(_WAKE_SENDER, None)
    if settings is not None:
        threading.Thread(target=_send_in_background, args=(session.get_bind(), settings), daemon=True,
                         name="mail-sender").start()


@event.listens_for(OrmSession, "after_rollback")
def _forget_after_rollback(session: OrmSession) -> None:
    session.info.pop(_WAKE_SENDER, None)
