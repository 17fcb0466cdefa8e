"""The form round trip (portal/forms.py): translated messages, the page again with what was typed, refusals."""
import pytest
from pydantic import BaseModel, EmailStr, Field
from sqlmodel import select

from portal import i18n
from portal.accounts.models import User
from portal.errors import Conflict, NotFound
from portal.forms import form_fields, parse, refused
from tests.conftest import csrf_from
from tests.factories import make_graduate


class Booking(BaseModel):
    name: str
    password: str = Field(min_length=8)
    rooms: int = Field(le=6)
    email: EmailStr


@pytest.fixture
def chinese():
    i18n.set_locale("zh_CN")
    yield
    i18n.set_locale("zh_CN")


def test_pydantic_messages_come_out_in_chinese_on_chinese_pages(chinese):
    booking, errors = parse(Booking, {"password": "short", "rooms": "7", "email": "nobody"})
    assert booking is None
    assert errors == {"name": "此项为必填。", "password": "请至少输入 8 个字符。", "rooms": "请输入不大于 6 的数字。",
                      "email": "请输入有效的邮箱地址。"}
    i18n.set_locale("en")
    assert parse(Booking, {"name": "x", "password": "long enough", "rooms": "x", "email": "a@b.cn"})[1] == {
        "rooms": "Enter a whole number."}


def test_errors_of_list_rows_are_keyed_by_the_row_the_form_showed():
    class Education(BaseModel):
        school: str = Field(min_length=2)

    class Resume(BaseModel):
        education: list[Education]

    _, errors = parse(Resume, {"education": [{"school": "南开大学"}, {"school": "x"}]}, {"education": [3, 17]})
    assert list(errors) == ["education-17-school"]


def test_a_refusal_is_undone_and_shown_but_someone_elses_object_is_not_a_form_error(session):
    graduate = make_graduate(session)
    graduate.display_name = "changed by the refused action"
    session.add(graduate)
    session.flush()
    errors, status = refused(session, Conflict("That name is taken.", field="name"))
    assert errors == {"name": i18n.gettext("That name is taken.")} and status == 422
    assert session.exec(select(User.display_name).where(User.id == graduate.id)).one() != "changed by the refused action"
    with pytest.raises(NotFound):
        refused(session, NotFound("We could not find that graduate."))


def test_repeated_fields_become_lists_and_the_csrf_token_stays_out():
    from starlette.datastructures import FormData as StarletteForm

    form = StarletteForm([("csrf_token", "t"), ("districts", "南开区"), ("districts", "和平区"), ("tags[]", "a"), ("name", "王")])
    assert form_fields(form) == {"districts": ["南开区", "和平区"], "tags": ["a"], "name": "王"}


def test_the_signup_page_comes_back_in_chinese_with_what_was_typed_and_creates_nothing(client, session):
    token = csrf_from(client.get("/signup/graduate").text)
    response = client.post("/signup/graduate", headers={"Accept-Language": "zh-CN"}, data={
        "csrf_token": token, "display_name": "王小红", "email": "wang@example.edu.cn", "password": "short",
        "school": "天津大学", "student_number": "2022001", "major": "软件工程", "degree": "bachelor",
        "graduation_year": "2026"})
    assert response.status_code == 422
    assert "请至少输入 8 个字符。" in response.text and 'value="wang@example.edu.cn"' in response.text
    assert session.exec(select(User).where(User.email == "wang@example.edu.cn")).first() is None


def test_a_wrong_password_keeps_its_status_and_shows_above_the_form(client, session):
    graduate = make_graduate(session)
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", headers={"Accept-Language": "zh-CN"},
                           data={"csrf_token": token, "email": graduate.email, "password": "wrong-password-1"})
    assert response.status_code == 401 and "邮箱或密码不正确。" in response.text
