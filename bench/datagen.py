"""Realistic synthetic data for the benchmarks: Tianjin employers, positions, graduates and résumés.

Job families tie titles, skills, majors and salaries together the way real postings do, so matches are
meaningful; Faker's zh_CN locale supplies company and person names. Rows go in with bulk INSERTs.
"""
from __future__ import annotations

import random
from datetime import timedelta

from faker import Faker
from sqlalchemy import insert
from sqlmodel import Session

from portal.accounts.models import GraduateProfile, User
from portal.clock import today, utcnow
from portal.employers.models import Organization
from portal.positions.models import Position
from portal.reference import SCHOOLS, TIANJIN_DISTRICTS
from portal.resumes.models import Resume

# (family, titles, skills pool, majors, industry, salary band (low, high))
FAMILIES = [
    ("backend", ["后端开发工程师", "Java 开发工程师", "Python 开发工程师", "Go 开发工程师", "服务端研发工程师"],
     ["Java", "Python", "Go", "SQL", "MySQL", "Redis", "Linux", "Spring Boot", "Docker", "Git", "Kafka"],
     ["计算机科学与技术", "软件工程", "电子信息工程"], "information_technology", (8000, 16000)),
    ("frontend", ["前端开发工程师", "Web 前端工程师", "小程序开发工程师"],
     ["JavaScript", "TypeScript", "Vue", "React", "CSS", "HTML", "Git", "小程序"],
     ["计算机科学与技术", "软件工程"], "information_technology", (7000, 14000)),
    ("data", ["数据分析师", "数据工程师", "商业分析师", "BI 工程师"],
     ["SQL", "Python", "Excel", "Tableau", "Power BI", "统计分析", "Spark", "Hive"],
     ["统计学", "数学与应用数学", "计算机科学与技术", "金融学"], "information_technology", (7000, 15000)),
    ("ml", ["算法工程师", "机器学习工程师", "计算机视觉工程师"],
     ["Python", "机器学习", "深度学习", "PyTorch", "TensorFlow", "C++", "OpenCV"],
     ["计算机科学与技术", "自动化", "数学与应用数学"], "information_technology", (12000, 25000)),
    ("test", ["软件测试工程师", "测试开发工程师"],
     ["软件测试", "Python", "Selenium", "Linux", "SQL", "接口测试"],
     ["计算机科学与技术", "软件工程", "电子信息工程"], "information_technology", (6000, 11000)),
    ("ops", ["运维工程师", "网络工程师", "IT 支持专员"],
     ["Linux", "Shell", "网络", "Docker", "Kubernetes", "监控"],
     ["计算机科学与技术", "电子信息工程", "自动化"], "information_technology", (5500, 10000)),
    ("mech", ["机械设计工程师", "工艺工程师", "设备工程师"],
     ["AutoCAD", "SolidWorks", "机械制图", "CATIA", "PLC"],
     ["机械设计制造及其自动化", "自动化", "材料科学与工程"], "manufacturing", (6000, 11000)),
    ("elec", ["电气工程师", "自动化工程师", "嵌入式工程师"],
     ["PLC", "电路设计", "C", "单片机", "MATLAB", "AutoCAD"],
     ["电气工程及其自动化", "自动化", "电子信息工程"], "energy", (6500, 12000)),
    ("civil", ["土木工程师", "施工员", "造价员", "结构设计师"],
     ["AutoCAD", "广联达", "施工管理", "BIM", "结构设计"],
     ["土木工程"], "construction", (5500, 10000)),
    ("accounting", ["会计", "出纳", "财务专员", "审计助理"],
     ["Excel", "财务软件", "会计核算", "税务", "用友", "审计"],
     ["会计学", "金融学", "工商管理"], "finance", (4500, 8000)),
    ("finance", ["银行柜员", "客户经理", "理财顾问", "风控专员"],
     ["金融知识", "Excel", "沟通能力", "风险管理", "证券从业资格"],
     ["金融学", "会计学", "统计学"], "finance", (5000, 10000)),
    ("marketing", ["市场专员", "新媒体运营", "品牌策划", "销售代表"],
     ["新媒体运营", "文案写作", "市场调研", "Photoshop", "沟通能力", "短视频"],
     ["市场营销", "新闻学", "汉语言文学", "工商管理"], "culture_media", (4500, 9000)),
    ("hr", ["人力资源专员", "招聘专员", "行政专员"],
     ["招聘", "Office", "员工关系", "薪酬绩效", "沟通能力"],
     ["人力资源管理", "工商管理", "法学"], "other", (4500, 8000)),
    ("logistics", ["物流专员", "仓储主管", "供应链专员", "采购专员"],
     ["供应链管理", "ERP", "Excel", "仓储管理", "英语"],
     ["物流管理", "工商管理"], "logistics", (5000, 9000)),
    ("teacher", ["中学数学教师", "英语教师", "培训讲师"],
     ["教师资格证", "英语", "课堂管理", "普通话"],
     ["数学与应用数学", "英语", "汉语言文学"], "education", (5000, 9000)),
    ("medical", ["护士", "临床医生助理", "药品注册专员"],
     ["护士资格证", "临床护理", "医学基础", "英语"],
     ["护理学", "临床医学"], "healthcare", (5000, 10000)),
    ("legal", ["法务专员", "律师助理", "合规专员"],
     ["合同审查", "法律检索", "法律职业资格", "英语"],
     ["法学"], "public_sector", (5000, 10000)),
    ("chem", ["化工工艺工程师", "质检员", "环保工程师"],
     ["化工工艺", "质量检测", "环境监测", "安全管理", "AutoCAD"],
     ["化学工程与工艺", "环境工程", "材料科学与工程"], "manufacturing", (5500, 10000)),
]
DEGREES = ["associate"] * 2 + ["bachelor"] * 6 + ["master"] * 2
KINDS = ["full_time"] * 8 + ["traineeship", "part_time"]
SUFFIX = ["", "", "（应届生）", "（2026届）", "（天津）"]
DESC = ["负责{t}相关工作，要求熟悉{s}。", "岗位职责：参与{t}日常工作；任职要求：{s}，有相关实习经历优先。",
        "我们正在寻找{t}，你将使用{s}完成团队任务，提供完善培训和五险一金。"]


def major_family(rng: random.Random, major: str):
    options = [f for f in FAMILIES if major in f[3]]
    return rng.choice(options) if options else rng.choice(FAMILIES)


def generate(session: Session, *, positions: int, graduates: int, seed: int = 7, chunk: int = 5000) -> dict:
    rng = random.Random(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    now = utcnow()
    n_orgs = max(10, positions // 20)
    orgs = []
    for i in range(1, n_orgs + 1):
        family = rng.choice(FAMILIES)
        orgs.append(dict(
            id=i, name=f"{fake.company()}{i}", uscc=f"91120{i:013d}", contact_name=fake.name(),
            contact_phone=fake.phone_number(), contact_email=f"hr{i}@example.com", industry=family[4],
            size=rng.choice(["1-49", "50-199", "200-999", "1000+"]), district=rng.choice(TIANJIN_DISTRICTS),
            status="verified", created_at=now,
        ))
    _insert(session, Organization, orgs, chunk)
    rows = []
    for i in range(1, positions + 1):
        org = orgs[rng.randrange(n_orgs)]
        family = rng.choice([f for f in FAMILIES if f[4] == org["industry"]] or FAMILIES)
        title = rng.choice(family[1]) + rng.choice(SUFFIX)
        skills = rng.sample(family[2], k=rng.randint(2, min(5, len(family[2]))))
        majors = [] if rng.random() < 0.2 else rng.sample(family[3], k=rng.randint(1, len(family[3])))
        low = rng.randrange(family[5][0], family[5][1], 500)
        published = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
        rows.append(dict(
            id=i, organization_id=org["id"], title=title, description=rng.choice(DESC).format(t=title, s="、".join(skills)),
            kind=rng.choice(KINDS), district=org["district"] if rng.random() < .7 else rng.choice(TIANJIN_DISTRICTS),
            degree_required=rng.choice(DEGREES), majors=majors, skills=skills, salary_min=low,
            salary_max=low + rng.choice([1000, 2000, 3000, 5000]), headcount=rng.randint(1, 5),
            deadline=today() + timedelta(days=rng.randint(-10, 90)), is_support=rng.random() < .1,
            accessible=rng.random() < .05, status="published" if rng.random() < .9 else rng.choice(["closed", "draft"]),
            created_at=published, updated_at=published, published_at=published, reconfirmed_at=published,
        ))
    _insert(session, Position, rows, chunk)
    users, profiles, resumes = [], [], []
    base = 1_000_000
    for i in range(1, graduates + 1):
        uid = base + i
        major = rng.choice([m for f in FAMILIES for m in f[3]])
        family = major_family(rng, major)
        degree = rng.choice(DEGREES)
        users.append(dict(id=uid, email=f"g{uid}@example.edu.cn", role="graduate", display_name=fake.name(),
                          is_active=True, session_epoch=0, created_at=now))
        profiles.append(dict(user_id=uid, school=rng.choice(SCHOOLS), student_number=f"S{uid}", major=major,
                             degree=degree, graduation_year=2026, discoverable=rng.random() < .6))
        skills = rng.sample(family[2], k=rng.randint(2, min(6, len(family[2]))))
        if rng.random() < .3:
            skills.append(rng.choice(rng.choice(FAMILIES)[2]))
        low = rng.randrange(family[5][0] - 1000, family[5][1] - 2000, 500)
        resumes.append(dict(
            id=i, graduate_id=uid, headline=rng.choice(family[1]).split("（")[0], self_intro=fake.sentence(nb_words=20),
            skills=skills, education=[], experience=[], projects=[],
            expected_districts=rng.sample(TIANJIN_DISTRICTS, k=rng.randint(1, 3)),
            expected_kinds=["full_time"] if rng.random() < .8 else ["full_time", "traineeship"],
            expected_salary_min=low if rng.random() < .85 else None,
            expected_salary_max=low + 3000 if rng.random() < .85 else None,
            updated_at=now - timedelta(days=rng.randint(0, 90)),
        ))
    _insert(session, User, users, chunk)
    _insert(session, GraduateProfile, profiles, chunk)
    _insert(session, Resume, resumes, chunk)
    session.commit()
    return {"organizations": n_orgs, "positions": positions, "graduates": graduates}


def _insert(session: Session, model, rows: list[dict], chunk: int) -> None:
    for start in range(0, len(rows), chunk):
        session.execute(insert(model), rows[start : start + chunk])
    session.flush()
