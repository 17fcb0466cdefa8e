"""Notifications: in-app messages for every user, and email after commit where SMTP is configured.

Titles and bodies are English msgids stored with their params, so each reader sees them in their
own language. Email is rendered in the recipient's language when the notification is made, written
to the mail outbox in the same transaction, and sent after it commits (mail.py); a failed send is
retried and logged, never raised.
"""
from sqlalchemy import func, update
from sqlmodel import Session, select

from portal import i18n, labels
from portal.accounts.models import User
from portal.clock import utcnow
from portal.errors import NotFound
from portal.notifications import mail
from portal.notifications.models import Notification
from portal.settings import Settings
from portal.web import absolute_url

# Params with these names hold coded values (statuses, kinds) and are shown through their labels.
LABELLED_PARAMS = ("status",)


def translate(message: str, params: dict, locale: str | None = None) -> str:
    """A stored msgid in the given (or the current) language, with its params filled in."""
    if locale is not None:
        token = i18n._current_locale.set(locale if locale in i18n.LOCALES else i18n.LOCALES[0])
    try:
        shown = {k: labels.label(v) if k in LABELLED_PARAMS else v for k, v in (params or {}).items()}
        text = i18n.catalogue(i18n.current_locale()).get(message, message)
        try:
            return text % shown if shown else text
        except (KeyError, ValueError, TypeError):  # a catalogue entry that does not fit its params
            return text
    finally:
        if locale is not None:
            i18n._current_locale.reset(token)


def title_of(notification: Notification) -> str:
    return translate(notification.title, notification.params)


def body_of(notification: Notification) -> str:
    return translate(notification.body, notification.params) if notification.body else ""


def notify(
    session: Session,
    *,
    settings: Settings,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    params: dict | None = None,
) -> Notification:
    """Adds an in-app notification to the caller's transaction, and queues its email for after commit."""
    notification = Notification(user_id=user.id, kind=kind, title=title, body=body, link=link, params=params or {})
    session.add(notification)
    if settings.smtp_host and user.email:
        locale = user.locale or settings.default_locale
        text = translate(body, params or {}, locale) if body else ""
        if link:
            text += "\n\n" + absolute_url(settings, link)
        footer = translate("You receive this email because you use Jinying Graduate Employment.", {}, locale)
        email(session, settings=settings, to=user.email, subject=translate(title, params or {}, locale),
              body=f"{text}\n\n--\n{footer}\n")
    return notification


def email(session: Session, *, settings: Settings, to: str, subject: str, body: str) -> None:
    """Queues an email in the caller's transaction; it is sent after commit (nothing without SMTP)."""
    mail.queue(session, settings=settings, to=to, subject=subject, body=body)


# ---------------------------------------------------------------- reading and marking


def list_for(session: Session, *, user: User, page: int = 1, per_page: int = 20, unread_only: bool = False):
    """(notifications, total) for the user, newest first."""
    query = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def unread_count(session: Session, *, user: User) -> int:
    return session.exec(
        select(func.count()).select_from(Notification).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ).one()


def get_own(session: Session, *, user: User, notification_id: int) -> Notification:
    notification = session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound("We could not find that message.")
    return notification


def mark_read(session: Session, *, user: User, notification_id: int) -> Notification:
    notification = get_own(session, user=user, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.add(notification)
        session.commit()
    return notification


def mark_all_read(session: Session, *, user: User) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    session.commit()
    return result.rowcount or 0
