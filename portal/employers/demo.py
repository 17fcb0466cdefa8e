"""Demo employers, created through the real services (sign-up → verify); their positions: portal/positions/demo.py.

Called from portal/demo.py `seed()`; does nothing once the demo employer exists.
"""
from sqlmodel import Session

from portal.accounts import service as accounts
from portal.employers import service as employers
from portal.employers.schemas import OrganizationSignup
from portal.settings import Settings

# Unified social credit codes made for the demo: valid check characters, Tianjin division codes.
ORGANIZATIONS = [
    dict(
        key="yunzhi", name="天津滨海云智科技有限公司", uscc="911201163AGYGLUY33", industry="information_technology",
        size="200-999", district="滨海新区", address="天津市滨海新区经济技术开发区第三大街 51 号泰达 MSD-C1 座 12 层",
        description="专注制造业与港口物流的云端数据平台，服务京津冀 300 余家企业。研发团队 180 人，"
                    "为应届生配备一对一导师，入职即参与真实项目。",
        contact_name="陈思远", contact_phone="022-66281234", verified=True,
    ),
    dict(
        key="bohai", name="天津渤海精密机械制造有限公司", uscc="911201113XE20LARCP", industry="manufacturing",
        size="1000+", district="西青区", address="天津市西青区西青经济技术开发区赛达新兴产业园 8 号",
        description="汽车零部件与精密模具制造企业，国家级专精特新“小巨人”。设有博士后工作站，提供倒班宿舍和通勤班车。",
        contact_name="王立新", contact_phone="022-27398800", verified=True,
    ),
    dict(
        key="heping", name="天津和平康宁健康管理有限公司", uscc="91120101BT5N0BB8YK", industry="healthcare",
        size="50-199", district="和平区", address="天津市和平区南京路 189 号",
        description="社区健康管理与慢病随访服务机构，与区内多家社区卫生服务中心合作。",
        contact_name="刘静", contact_phone="13602123456", verified=True,
    ),
    dict(
        key="nankai_edu", name="天津南开文创教育咨询有限公司", uscc="91120104PFFX5P5NU1", industry="education",
        size="1-49", district="南开区", address="天津市南开区鞍山西道 300 号",
        description="面向中小学的课后素质教育服务，刚完成注册，等待认证。",
        contact_name="赵敏", contact_phone="13920001234", verified=False,
    ),
]

RECRUITER_EMAILS = {
    "bohai": "hr@bohai-precision.demo.jinying.cn",
    "heping": "hr@kangning-health.demo.jinying.cn",
    "nankai_edu": "hr@nankai-wenchuang.demo.jinying.cn",
}


def seed_employers(session: Session, *, settings: Settings, officer_email: str, employer_email: str,
                   password: str) -> dict[str, str]:
    """Registers the demo organisations and verifies three; returns each organisation's owner email by its key."""
    emails = {org["key"]: employer_email if org["key"] == "yunzhi" else RECRUITER_EMAILS[org["key"]]
              for org in ORGANIZATIONS}
    if accounts.get_user_by_email(session, employer_email) is not None:
        return emails
    officer = accounts.get_user_by_email(session, officer_email)
    for org in ORGANIZATIONS:
        signup = OrganizationSignup(
            name=org["name"], uscc=org["uscc"], industry=org["industry"], size=org["size"], district=org["district"],
            address=org["address"], description=org["description"], contact_name=org["contact_name"],
            contact_phone=org["contact_phone"], email=emails[org["key"]], password=password,
        )
        organization, _owner = employers.register_organization(session, signup=signup)
        if org["verified"] and officer is not None:
            employers.verify_organization(session, officer=officer, organization_id=organization.id, settings=settings)
    return emails
