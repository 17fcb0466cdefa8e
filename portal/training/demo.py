"""Demo training for `portal serve --demo`: an approved provider with a subsidised cloud-operations programme that
teaches the skills a demo position asks for and the demo graduate lacks, and programmes the city runs. Idempotent,
via the services."""
from datetime import timedelta

from sqlmodel import Session, select

from portal.accounts import service as accounts
from portal.clock import today
from portal.settings import Settings
from portal.training import service
from portal.training.models import ProgrammeStatus, TrainingProgramme
from portal.training.schemas import ProgrammeCreate, ProviderSignup

PROVIDER_EMAIL = "provider@demo.jinying.cn"
ALL_GROUPS = ["final_year", "unemployed_graduate", "priority_group"]


def _programmes(first_day):
    """(runs it: "provider" or "city", fields), first_day(offset) giving the day `offset` days from today."""
    return (
        ("provider", dict(
            title="Docker 与 Kubernetes 云原生运维实训", skills=["Docker", "Kubernetes", "Shell"],
            description="从容器镜像到 Kubernetes 集群部署、监控与故障排查，十二次实操课，结业考核合格颁发证书。",
            starts_on=first_day(-3), ends_on=first_day(45), schedule="每周六、周日 9:00–16:00，共 12 次",
            mode="in_person", district="滨海新区", place="天津市滨海新区第三大街 51 号 3 楼", seats=30, cost=2600,
            certificate="云计算工程技术人员职业技能等级证书（中级）", subsidised=True, subsidy_amount=2000,
            subsidy_groups=ALL_GROUPS, enrol_by=first_day(20))),
        ("provider", dict(
            title="Linux 系统管理与 Shell 脚本（线上）", skills=["Linux", "Shell"],
            description="线上直播课与实验环境，掌握常用运维命令与自动化脚本。", starts_on=first_day(10),
            ends_on=first_day(40), schedule="每周二、周四 19:00–21:00，共 8 次", mode="online", seats=80, cost=800,
            certificate="Linux 系统管理培训结业证书", enrol_by=first_day(9))),
        ("city", dict(
            title="Excel 与 Python 数据分析实训", skills=["Excel", "Python", "pandas", "Tableau"],
            description="面向毕业生的数据分析入门：数据清洗、透视分析与可视化报表，结业考核合格颁发证书。",
            starts_on=first_day(-5), ends_on=first_day(30), schedule="周一至周五 14:00–17:00，共 15 次",
            mode="in_person", district="南开区", place="天津市南开区人力资源和社会保障局培训中心 201 室", seats=40,
            cost=1800, certificate="数据分析职业技能等级证书（初级）", subsidised=True, subsidy_amount=1500,
            subsidy_groups=ALL_GROUPS, enrol_by=first_day(14))),
        ("city", dict(
            title="养老护理员职业技能培训", skills=["养老护理", "沟通表达"],
            description="养老机构一线护理技能与沟通技巧，含机构实习，结业可考取养老护理员证书。",
            starts_on=first_day(21), ends_on=first_day(60), schedule="周一至周五 9:00–12:00", mode="in_person",
            district="河东区", place="天津市河东区社区服务中心 2 楼", seats=25, cost=1200, certificate="养老护理员（五级）",
            subsidised=True, subsidy_amount=1200, subsidy_groups=["priority_group", "unemployed_graduate"],
            enrol_by=first_day(18))),
    )


def seed_training(session: Session, *, settings: Settings, officer_email: str, password: str) -> list[tuple[str, str]]:
    """Returns the provider's demo login. Programmes are made once: a database that has them is left as it is."""
    officer = accounts.get_user_by_email(session, officer_email)
    provider_user = accounts.get_user_by_email(session, PROVIDER_EMAIL)
    if officer is None:
        return []
    if provider_user is None:
        provider, provider_user = service.register_provider(session, signup=ProviderSignup(
            name="天津滨海云原生职业培训学校", district="滨海新区", address="天津市滨海新区第三大街 51 号",
            contact_name="周老师", contact_phone="022-66281234", email=PROVIDER_EMAIL, password=password,
            description="经人社部门备案的职业培训学校，专注云计算与运维方向，年培训学员 600 余人。"))
        service.decide_provider(session, settings=settings, officer=officer, provider_id=provider.id, approve=True)
    if session.exec(select(TrainingProgramme)).first() is None:
        for runner, fields in _programmes(lambda days: today() + timedelta(days=days)):
            user = provider_user if runner == "provider" else officer
            row = service.create_programme(session, user=user, programme=ProgrammeCreate(**fields))
            service.set_programme_status(session, settings=settings, user=user, programme_id=row.id,
                                         status=ProgrammeStatus.published)
    return [("provider", PROVIDER_EMAIL)]
