"""Reference lists the forms and filters offer. Values are stored; labels are translated msgids."""

TIANJIN_DISTRICTS = (
    "和平区", "河东区", "河西区", "南开区", "河北区", "红桥区", "东丽区", "西青区",
    "津南区", "北辰区", "武清区", "宝坻区", "宁河区", "静海区", "蓟州区", "滨海新区",
)

INDUSTRIES = (
    "information_technology", "manufacturing", "finance", "education", "healthcare",
    "logistics", "retail", "construction", "energy", "public_sector", "culture_media", "other",
)

ORGANIZATION_SIZES = ("1-49", "50-199", "200-999", "1000+")

UNIVERSITIES = (
    "南开大学", "天津大学", "天津医科大学", "天津师范大学", "天津工业大学", "天津科技大学",
    "天津理工大学", "天津财经大学", "天津职业技术师范大学", "天津城建大学", "中国民航大学",
    "天津商业大学", "天津外国语大学", "天津中医药大学", "天津农学院", "天津职业大学",
)
# Their graduates are users too, and their schools have officers (a school scope covers them).
SECONDARY_VOCATIONAL_SCHOOLS = ("天津市第一商业学校", "天津市电子计算机职业中等专业学校", "天津市东丽区职业教育中心学校")  # 中专
TECHNICAL_SCHOOLS = ("天津市机电工艺技师学院", "天津市劳动保障技师学院", "天津市交通技师学院")  # 技工学校

SCHOOLS = UNIVERSITIES + SECONDARY_VOCATIONAL_SCHOOLS + TECHNICAL_SCHOOLS

# The kind of each school: higher education (高等学校), secondary vocational (中专) or technical school (技工学校).
SCHOOL_KINDS = {
    **dict.fromkeys(UNIVERSITIES, "higher_education"),
    **dict.fromkeys(SECONDARY_VOCATIONAL_SCHOOLS, "secondary"),
    **dict.fromkeys(TECHNICAL_SCHOOLS, "technical"),
}

# Degree levels, lowest first, as forms offer them (portal.accounts.models.Degree holds the same values).
DEGREES = ("secondary", "technical", "associate", "bachelor", "master", "doctorate")
SECONDARY_DEGREES = ("secondary", "technical")


def degree_fits_school(school: str, degree: str) -> bool:
    """A degree a school of this kind awards: a secondary vocational or technical school its own level, a university
    or college a higher-education degree. A school not on the list may award any."""
    kind = SCHOOL_KINDS.get(school)
    if kind is None:
        return True
    return degree == kind if kind in SECONDARY_DEGREES else degree not in SECONDARY_DEGREES


MAJORS = (
    "计算机科学与技术", "软件工程", "电子信息工程", "自动化", "机械设计制造及其自动化",
    "土木工程", "会计学", "金融学", "市场营销", "英语", "汉语言文学", "临床医学",
    "护理学", "化学工程与工艺", "材料科学与工程", "物流管理", "人力资源管理", "法学",
    "数学与应用数学", "统计学", "环境工程", "电气工程及其自动化", "工商管理", "新闻学",
    # secondary vocational and technical-school majors
    "数控技术应用", "机电技术应用", "汽车运用与维修", "电子商务", "会计事务", "计算机网络技术",
)
