"""Demo data for `portal serve --demo`: one of each role, so the whole journey can be tried at once."""
from sqlmodel import Session

from portal.accounts import service as accounts
from portal.accounts.models import Role
from portal.accounts.schemas import GraduateSignup, OfficerCreate
from portal.settings import Settings

DEMO_PASSWORD = "jinying-demo-2026"
GRADUATE_EMAIL = "graduate@demo.jinying.cn"
EMPLOYER_EMAIL = "hr@demo.jinying.cn"
OFFICER_EMAIL = "officer@demo.jinying.cn"


def seed(session: Session, *, settings: Settings) -> list[tuple[str, str]]:
    """Loads the demo once; a database that has the demo graduate is left as it is."""
    if accounts.get_user_by_email(session, GRADUATE_EMAIL) is None:
        accounts.create_officer(
            session,
            officer=OfficerCreate(
                email=OFFICER_EMAIL, password=DEMO_PASSWORD, display_name="李老师（就业指导中心）",
                schools=["南开大学", "天津大学"], districts=["南开区", "滨海新区"], city_wide=True,
            ),
            role=Role.officer,
        )
        accounts.register_graduate(
            session,
            signup=GraduateSignup(
                email=GRADUATE_EMAIL, password=DEMO_PASSWORD, display_name="张晓明", school="南开大学",
                student_number="2022010101", major="计算机科学与技术", degree="bachelor", graduation_year=2026,
            ),
        )
    return [("graduate", GRADUATE_EMAIL), ("employer", EMPLOYER_EMAIL), ("officer", OFFICER_EMAIL)]


def describe(logins: list[tuple[str, str]], base_url: str) -> str:
    lines = [f"Jinying demo at {base_url}  (password for every demo account: {DEMO_PASSWORD})"]
    lines += [f"  {role:<9} {email}" for role, email in logins]
    return "\n".join(lines)
