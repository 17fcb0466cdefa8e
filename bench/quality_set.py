"""The judged set for bench/match_quality.py.

Thirty open positions and twelve graduates, written to look like what Tianjin's portal carries, and for each
graduate the positions a careers adviser would propose, judged *before* looking at the model's output:

- grade 2, a good fit: the graduate meets the degree, has most of the skills asked for, and the major is one
  the employer names (or any major will do); the adviser would put it in the first few suggestions.
- grade 1, worth a look: the same field with some skills missing, or a neighbouring field the graduate's skills
  carry over to.
- not listed (0): another field, or a degree requirement the graduate does not meet (no adviser proposes a
  position the graduate cannot apply for).

Each judgment carries the adviser's reason.
"""

CS = ["计算机科学与技术", "软件工程"]

# key: (title, district, skills, majors, degree, salary_min, salary_max, kind, description)
POSITIONS = {
    "P01": ("Python 后端开发工程师", "滨海新区", ["Python", "Django", "MySQL", "Linux"], CS, "bachelor", 9000, 14000, "full_time", "负责后端服务开发与维护。"),
    "P02": ("Java 开发工程师", "南开区", ["Java", "Spring Boot", "MySQL"], CS, "bachelor", 9000, 15000, "full_time", "参与企业级系统开发。"),
    "P03": ("前端开发工程师", "南开区", ["JavaScript", "Vue", "CSS"], CS, "bachelor", 8000, 12000, "full_time", "Web 与小程序前端开发。"),
    "P04": ("数据分析师", "和平区", ["SQL", "Python", "Excel", "Tableau"], ["统计学", "数学与应用数学"], "bachelor", 8000, 12000, "full_time", "业务数据分析与报表。"),
    "P05": ("算法工程师", "滨海新区", ["Python", "机器学习", "PyTorch"], [], "master", 15000, 25000, "full_time", "机器学习模型研发。"),
    "P06": ("运维见习生", "滨海新区", ["Linux", "Shell"], [], "associate", 3000, 4500, "traineeship", "服务器日常运维见习。"),
    "P07": ("会计助理", "河西区", ["Excel", "财务软件", "会计核算"], ["会计学"], "associate", 4500, 6500, "full_time", "协助日常账务处理。"),
    "P08": ("出纳", "河北区", ["Excel", "会计核算"], ["会计学", "金融学"], "associate", 4000, 5500, "full_time", "现金与银行账户管理。"),
    "P09": ("审计助理", "和平区", ["审计", "Excel", "会计核算"], ["会计学"], "bachelor", 6000, 8000, "full_time", "协助年报审计。"),
    "P10": ("银行柜员", "南开区", ["金融知识", "沟通能力"], ["金融学", "会计学"], "bachelor", 5000, 7000, "full_time", "柜面业务办理。"),
    "P11": ("风控专员", "河西区", ["风险管理", "SQL", "Excel"], ["金融学", "统计学"], "bachelor", 7000, 10000, "full_time", "信贷风险分析。"),
    "P12": ("新媒体运营", "河西区", ["新媒体运营", "文案写作", "短视频"], [], "bachelor", 5000, 8000, "full_time", "公众号与短视频运营。"),
    "P13": ("市场专员", "南开区", ["市场调研", "沟通能力", "Office"], ["市场营销", "工商管理"], "bachelor", 5000, 7500, "full_time", "市场活动策划执行。"),
    "P14": ("机械设计工程师", "西青区", ["AutoCAD", "SolidWorks", "机械制图"], ["机械设计制造及其自动化"], "bachelor", 7000, 10000, "full_time", "非标设备设计。"),
    "P15": ("工艺工程师", "北辰区", ["AutoCAD", "机械制图", "工艺设计"], ["机械设计制造及其自动化", "材料科学与工程"], "bachelor", 6500, 9000, "full_time", "生产工艺改进。"),
    "P16": ("电气工程师", "东丽区", ["PLC", "电路设计", "AutoCAD"], ["电气工程及其自动化", "自动化"], "bachelor", 7000, 10000, "full_time", "电气控制系统设计。"),
    "P17": ("嵌入式软件工程师", "滨海新区", ["C", "单片机", "Linux"], ["电子信息工程", "自动化", "计算机科学与技术"], "bachelor", 9000, 13000, "full_time", "嵌入式固件开发。"),
    "P18": ("土木工程师（施工）", "津南区", ["AutoCAD", "施工管理", "广联达"], ["土木工程"], "bachelor", 6000, 9000, "full_time", "施工现场技术管理。"),
    "P19": ("造价员", "红桥区", ["广联达", "Excel"], ["土木工程", "工商管理"], "associate", 5000, 7000, "full_time", "工程量计算与造价。"),
    "P20": ("护士", "和平区", ["护士资格证", "临床护理"], ["护理学"], "associate", 5500, 8000, "full_time", "病区护理工作。"),
    "P21": ("中学数学教师", "南开区", ["教师资格证", "课堂管理"], ["数学与应用数学"], "bachelor", 6000, 9000, "full_time", "初中数学教学。"),
    "P22": ("英语教师", "河西区", ["英语", "教师资格证"], ["英语"], "bachelor", 6000, 9000, "full_time", "培训机构英语教学。"),
    "P23": ("法务专员", "和平区", ["合同审查", "法律检索"], ["法学"], "bachelor", 6000, 9000, "full_time", "合同审核与合规。"),
    "P24": ("人力资源专员", "河东区", ["招聘", "Office", "员工关系"], ["人力资源管理", "工商管理"], "bachelor", 5000, 7000, "full_time", "招聘与员工关系。"),
    "P25": ("物流专员", "东丽区", ["供应链管理", "ERP", "Excel"], ["物流管理"], "associate", 5000, 7000, "full_time", "仓储与配送协调。"),
    "P26": ("软件测试工程师", "南开区", ["软件测试", "Python", "SQL"], CS, "bachelor", 7000, 10000, "full_time", "功能与接口测试。"),
    "P27": ("数据工程师", "滨海新区", ["SQL", "Spark", "Python", "Hive"], ["计算机科学与技术", "统计学"], "bachelor", 10000, 15000, "full_time", "数据仓库建设。"),
    "P28": ("化工工艺工程师", "滨海新区", ["化工工艺", "安全管理", "AutoCAD"], ["化学工程与工艺"], "bachelor", 7000, 10000, "full_time", "化工装置工艺管理。"),
    "P29": ("环保工程师", "静海区", ["环境监测", "AutoCAD"], ["环境工程", "化学工程与工艺"], "bachelor", 6000, 8500, "full_time", "环保设施运行。"),
    "P30": ("IT 支持专员", "河北区", ["网络", "Office", "Linux"], [], "associate", 4500, 6500, "full_time", "办公网络与电脑维护。"),
}

# key: (major, degree, headline, skills, districts, kinds, salary_min, salary_max)
GRADUATES = {
    "G01": ("软件工程", "bachelor", "后端开发", ["Python", "Django", "MySQL", "Git"], ["南开区", "滨海新区"], ["full_time"], 8000, 12000),
    "G02": ("统计学", "master", "数据分析", ["Python", "SQL", "R", "Excel"], ["和平区", "南开区"], ["full_time"], 9000, 13000),
    "G03": ("会计学", "associate", "会计", ["Excel", "会计核算", "用友"], ["河西区", "河北区"], ["full_time"], 4000, 6000),
    "G04": ("机械设计制造及其自动化", "bachelor", "机械设计", ["AutoCAD", "SolidWorks", "机械制图"], ["西青区", "北辰区"], ["full_time"], 6500, 9000),
    "G05": ("金融学", "bachelor", "银行客户经理", ["金融知识", "Excel", "沟通能力", "风险管理"], ["南开区", "和平区"], ["full_time"], 5000, 8000),
    "G06": ("市场营销", "bachelor", "新媒体运营", ["新媒体运营", "文案写作", "市场调研", "短视频"], ["河西区"], ["full_time"], 5000, 7000),
    "G07": ("电子信息工程", "bachelor", "嵌入式开发", ["C", "单片机", "Linux", "PLC"], ["滨海新区"], ["full_time"], 8000, 11000),
    "G08": ("护理学", "associate", "护士", ["护士资格证", "临床护理"], ["和平区", "河西区"], ["full_time"], 5000, 7000),
    "G09": ("土木工程", "bachelor", "土木工程师", ["AutoCAD", "广联达", "BIM"], ["津南区", "西青区"], ["full_time"], 6000, 8000),
    "G10": ("计算机科学与技术", "associate", "运维", ["Linux", "Shell", "网络", "Office"], ["滨海新区", "河北区"], ["full_time", "traineeship"], 4000, 6000),
    "G11": ("数学与应用数学", "bachelor", "数学教师", ["教师资格证", "课堂管理", "Python"], ["南开区"], ["full_time"], 6000, 8000),
    "G12": ("法学", "bachelor", "法务", ["合同审查", "法律检索", "英语"], ["和平区"], ["full_time"], 6000, 8000),
}

JUDGMENTS = {
    "G01": {"P01": (2, "Python/Django/MySQL all asked for; software engineering named; Binhai preferred"),
            "P26": (2, "Python and SQL-minded testing role for a software graduate, Nankai preferred"),
            "P02": (1, "same back-end work in Java: the language is learnable"),
            "P27": (1, "Python and databases carry over to data engineering"),
            "P03": (1, "same major and employer type, front-end skills missing")},
    "G02": {"P04": (2, "statistics named, SQL/Python/Excel match"),
            "P27": (2, "statistics named, SQL and Python match, a master's is welcome"),
            "P11": (2, "statistics named, SQL and Excel for risk analysis"),
            "P05": (1, "a master's with Python, machine learning to be learnt")},
    "G03": {"P07": (2, "accounting, associate degree accepted, Excel and bookkeeping"),
            "P08": (2, "accounting named, associate accepted, Hebei district preferred")},
    "G04": {"P14": (2, "mechanical design major, AutoCAD/SolidWorks/drawing"),
            "P15": (2, "major named, AutoCAD and drawing, Beichen preferred"),
            "P16": (1, "AutoCAD carries over to electrical design")},
    "G05": {"P10": (2, "finance named, banking knowledge and communication"),
            "P11": (2, "finance named, risk management and Excel"),
            "P08": (1, "finance named for a cashier; below the graduate's level but a real option")},
    "G06": {"P12": (2, "new media skills exactly, any major"),
            "P13": (2, "marketing named, market research")},
    "G07": {"P17": (2, "electronic information named, C/MCU/Linux, Binhai"),
            "P16": (1, "PLC skills, automation-side electrical work"),
            "P06": (1, "Linux traineeship in Binhai, any major"),
            "P30": (1, "IT support with Linux, any major")},
    "G08": {"P20": (2, "nursing, licence and clinical care")},
    "G09": {"P18": (2, "civil engineering, AutoCAD and Glodon, Jinnan preferred"),
            "P19": (2, "civil engineering named, Glodon costing")},
    "G10": {"P06": (2, "Linux/Shell traineeship in Binhai, associate accepted"),
            "P30": (2, "network, Office, Linux; associate accepted; Hebei preferred")},
    "G11": {"P21": (2, "mathematics named, teacher licence, Nankai"),
            "P04": (1, "mathematics named for data analysis, Python")},
    "G12": {"P23": (2, "law named, contract review and legal research")},
}
