"""Demo positions, created through the real services (draft → submit → approve) for the demo employers
(portal/employers/demo.py). Called from portal/demo.py `seed()`; does nothing once the demo employer has positions."""
from datetime import timedelta

from sqlmodel import Session

from portal.accounts import service as accounts
from portal.clock import today
from portal.positions import service
from portal.positions.schemas import PositionCreate
from portal.settings import Settings


def _positions() -> list[tuple[str, dict]]:
    d = today()
    return [
        ("yunzhi", dict(
            title="Python 后端开发工程师（2026 届校招）", kind="full_time", district="滨海新区",
            address="天津市滨海新区经济技术开发区第三大街 51 号", degree_required="bachelor",
            majors=["计算机科学与技术", "软件工程"], skills=["Python", "FastAPI", "PostgreSQL", "Linux", "Git"],
            salary_min=9000, salary_max=14000, headcount=3, deadline=d + timedelta(days=60),
            description="岗位职责：\n1. 参与港口物流数据平台的后端服务设计与开发；\n2. 编写接口、单元测试与技术文档；\n"
                        "3. 参与代码评审，持续改进系统性能与稳定性。\n任职要求：\n1. 2026 届本科及以上，计算机相关专业；\n"
                        "2. 熟悉 Python，了解至少一种关系型数据库；\n3. 有校园项目或实习经历者优先。\n"
                        "福利：六险一金、餐补、人才公寓、导师带教。",
        )),
        ("yunzhi", dict(
            title="数据分析师（校招）", kind="full_time", district="滨海新区", address="天津市滨海新区经济技术开发区第三大街 51 号",
            degree_required="bachelor", majors=["统计学", "数学与应用数学", "计算机科学与技术"],
            skills=["SQL", "Python", "pandas", "Tableau"], salary_min=8000, salary_max=12000, headcount=2,
            deadline=d + timedelta(days=45),
            description="负责客户生产与物流数据的清洗、分析与可视化，输出经营分析报告；与产品团队一起定义指标体系。"
                        "要求熟练使用 SQL，掌握 Python 或 R，具备良好的沟通表达能力。",
        )),
        ("yunzhi", dict(
            title="前端开发见习生", kind="traineeship", district="南开区", address="天津市南开区华苑产业区海泰发展六道 6 号",
            degree_required="associate", majors=[], skills=["JavaScript", "Vue", "HTML/CSS"],
            salary_min=3000, salary_max=4000, headcount=4, deadline=d + timedelta(days=30),
            description="天津市就业见习岗位，见习期 6 个月，按规定发放见习补贴并缴纳意外伤害保险。"
                        "在导师指导下参与管理后台页面开发，见习期满考核合格可优先留用。欢迎离校未就业高校毕业生报名。",
        )),
        ("yunzhi", dict(
            title="运维工程师", kind="full_time", district="滨海新区", address="天津市滨海新区经济技术开发区第三大街 51 号",
            degree_required="bachelor", majors=["计算机科学与技术", "电子信息工程"], skills=["Linux", "Docker", "Kubernetes", "Shell"],
            salary_min=8000, salary_max=12000, headcount=1, deadline=d + timedelta(days=40),
            description="负责公司云平台的部署、监控与故障处理，参与自动化运维体系建设。需适应轮值，轮值期间提供额外补贴。",
        )),
        ("yunzhi", dict(
            title="客户成功专员（帮扶岗位）", kind="full_time", district="河西区", address="天津市河西区友谊路 35 号城市大厦 9 层",
            degree_required="associate", majors=[], skills=["沟通表达", "Office", "客户服务"],
            salary_min=5500, salary_max=7000, headcount=2, deadline=d + timedelta(days=50), is_support=True, accessible=True,
            description="面向帮扶台账中的困难毕业生优先招聘。负责客户培训、回访与需求收集，工作地点交通便利，"
                        "办公区配备无障碍通道与卫生间。公司提供岗前培训，试用期一个月。",
        )),
        ("yunzhi", dict(
            title="软件测试工程师", kind="full_time", district="西青区", address="天津市西青区华苑产业区（环外）海泰创新六路 2 号",
            degree_required="bachelor", majors=["软件工程", "计算机科学与技术"], skills=["Python", "Selenium", "测试用例设计"],
            salary_min=7000, salary_max=10000, headcount=2, deadline=d + timedelta(days=35),
            description="负责 Web 与接口测试，编写测试用例与自动化脚本，跟踪缺陷直至关闭。有自动化测试经验者优先。",
        )),
        ("bohai", dict(
            title="机械设计工程师", kind="full_time", district="西青区", address="天津市西青区赛达新兴产业园 8 号",
            degree_required="bachelor", majors=["机械设计制造及其自动化"], skills=["SolidWorks", "AutoCAD", "公差配合"],
            salary_min=7000, salary_max=10000, headcount=2, deadline=d + timedelta(days=55),
            description="负责汽车零部件工装夹具与模具的结构设计，参与样件试制与现场问题分析。提供宿舍与通勤班车。",
        )),
        ("bohai", dict(
            title="电气工程师（储备干部）", kind="full_time", district="静海区", address="天津市静海区经济开发区北区 12 号",
            degree_required="bachelor", majors=["电气工程及其自动化", "自动化"], skills=["PLC", "电气制图", "变频器"],
            salary_min=7500, salary_max=10500, headcount=2, deadline=d + timedelta(days=50),
            description="参与自动化产线的电气设计、调试与维护；一年轮岗培养，作为车间技术骨干储备。",
        )),
        ("bohai", dict(
            title="生产管理见习生", kind="traineeship", district="静海区", address="天津市静海区经济开发区北区 12 号",
            degree_required="associate", majors=[], skills=["Excel", "精益生产"],
            salary_min=3500, salary_max=4500, headcount=5, deadline=d + timedelta(days=25),
            description="市级就业见习基地岗位，见习期 3 至 12 个月，提供见习补贴、工作餐和宿舍。"
                        "在生产部轮岗学习排产、物料与现场管理。",
        )),
        ("bohai", dict(
            title="质量检验员（帮扶岗位）", kind="full_time", district="西青区", address="天津市西青区赛达新兴产业园 8 号",
            degree_required="associate", majors=[], skills=["质量检验", "测量工具", "质量管理体系"],
            salary_min=5000, salary_max=6500, headcount=3, deadline=d + timedelta(days=40), is_support=True, accessible=True,
            description="优先招聘帮扶台账中的毕业生（含残疾毕业生）。负责来料与成品的尺寸及外观检验，"
                        "工位为坐姿作业，厂区设有无障碍通道。",
        )),
        ("heping", dict(
            title="社区护士", kind="full_time", district="和平区", address="天津市和平区南京路 189 号",
            degree_required="associate", majors=["护理学"], skills=["护士执业资格", "慢病管理"],
            salary_min=6000, salary_max=8000, headcount=5, deadline=d + timedelta(days=30),
            description="负责社区居民的健康随访、慢病管理与健康宣教。需持有或即将取得护士执业资格，白班为主。",
        )),
        ("heping", dict(
            title="健康管理助理（兼职）", kind="part_time", district="河东区", address="天津市河东区十一经路 78 号",
            degree_required="associate", majors=["护理学", "临床医学"], skills=["沟通表达", "Excel"],
            salary_min=2000, salary_max=3000, headcount=3, deadline=d + timedelta(days=20),
            description="每周工作 3 天，协助整理居民健康档案、电话回访与活动组织。适合在读研究生或待业毕业生。",
        )),
    ]


def seed_positions(session: Session, *, settings: Settings, officer_email: str, owner_emails: dict[str, str]) -> None:
    """Publishes a dozen positions for the verified organisations, and a draft for the one awaiting verification."""
    owners = {key: accounts.get_user_by_email(session, email) for key, email in owner_emails.items()}
    if sum(service.employer_position_counts(session, user=owners["yunzhi"]).values()):
        return
    officer = accounts.get_user_by_email(session, officer_email)
    for key, fields in _positions():
        position = service.create_position(session, user=owners[key], position=PositionCreate(**fields))
        if officer is not None:
            service.submit_position(session, user=owners[key], position_id=position.id)
            service.approve_position(session, officer=officer, position_id=position.id, settings=settings)
    # A draft for the pending organisation, so its home page is not empty.
    service.create_position(session, user=owners["nankai_edu"], position=PositionCreate(
        title="课后托管辅导教师", kind="part_time", district="南开区", degree_required="bachelor",
        majors=["汉语言文学", "数学与应用数学", "英语"], skills=["教学设计", "沟通表达"], salary_min=3000, salary_max=4500,
        headcount=4, deadline=today() + timedelta(days=40),
        description="工作日下午 3 点至 6 点，负责小学生课后作业辅导与阅读活动组织。",
    ))
