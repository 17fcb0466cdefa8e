"""The judged set's graduates: 46 of them, vocational, bachelor's and master's, across the same specialties.

Each row: key, the adviser's specialty for the graduate, the specialties the adviser would still call "worth a
look" for them, major, degree, résumé headline, skills (as graduates write them: variants, English, abbreviations),
self-introduction / projects text, preferred districts, job kinds asked for, expected salary band, flags ("L" in
the support ledger, "A" needs an accessible workplace). Specialties are the adviser's reading of the graduate,
written with the row; the matching model never sees them.
"""

FT, PT, TR = "full_time", "part_time", "traineeship"
AS, BA, MA = "associate", "bachelor", "master"

GRADUATES = [
    ("G01", "backend", ["qa", "data", "frontend", "ops"], "软件工程", BA, "后端开发", ["python", "Django", "MySQL", "Git"], "做过校园二手交易平台的后台。", ["南开区", "滨海新区"], [FT], 8000, 12000, ""),
    ("G02", "backend", ["qa", "frontend", "ops"], "计算机应用技术", AS, "Java开发", ["Java", "SpringBoot", "SQL"], "专科期间参与图书管理系统开发。", ["河东区", "和平区"], [FT, TR], 5000, 8000, "L"),
    ("G03", "frontend", ["backend", "design", "qa"], "软件工程", BA, "前端开发", ["JS", "Vue.js", "CSS3", "Git"], "独立开发过微信小程序。", ["南开区"], [FT], 8000, 11000, ""),
    ("G04", "frontend", ["backend", "design"], "数字媒体技术", AS, "网页前端", ["HTML5", "CSS", "JavaScript"], "会做响应式页面。", ["和平区", "河西区"], [PT], 3000, 5000, "A"),
    ("G05", "qa", ["backend", "ops"], "计算机科学与技术", BA, "软件测试", ["软件测试", "Python", "Selenium", "SQL"], "做过接口自动化测试项目。", ["南开区", "滨海新区"], [FT], 7000, 10000, ""),
    ("G06", "qa", ["ops", "sales"], "计算机应用技术", AS, "测试", ["测试用例", "Linux"], "能熟练编写测试用例，认真细致。", ["河北区", "河东区"], [FT], 4500, 6500, "LA"),
    ("G07", "ops", ["qa", "backend"], "计算机网络技术", AS, "运维", ["Linux", "Shell", "网络", "Office"], "考过华为网络认证初级。", ["滨海新区", "河北区"], [FT, TR], 4000, 6000, "L"),
    ("G08", "ops", ["backend", "qa"], "网络工程", BA, "网络工程师", ["网络", "华为认证", "Linux", "Python"], "校园网运维志愿者。", ["东丽区"], [FT], 6500, 9000, ""),
    ("G09", "data", ["ml", "finance", "backend"], "统计学", MA, "数据分析", ["Python", "SQL", "R", "Excel"], "硕士课题为用户流失预测，熟悉Tableau。", ["和平区", "南开区"], [FT], 9000, 13000, ""),
    ("G10", "data", ["finance", "accounting"], "经济统计学", BA, "数据分析师", ["Excel", "SQL", "数据可视化"], "做过电商销售数据分析，会用Power BI。", ["河西区"], [FT], 7000, 10000, ""),
    ("G11", "data", ["ml", "backend"], "大数据技术", AS, "数据处理", ["Excel", "Python", "数据清洗"], "熟悉数据整理。", ["西青区", "南开区"], [TR], 3000, 4500, "L"),
    ("G12", "ml", ["data", "backend"], "计算机科学与技术", MA, "算法工程师", ["机器学习", "Python", "pytorch", "深度学习"], "研究方向为自然语言处理(NLP)。", ["滨海新区", "和平区"], [FT], 15000, 22000, ""),
    ("G13", "ml", ["data", "elec"], "自动化", MA, "计算机视觉", ["深度学习", "OpenCV", "C++"], "做过缺陷检测视觉算法。", ["南开区"], [FT], 14000, 20000, ""),
    ("G14", "accounting", ["finance", "data"], "会计学", AS, "会计", ["Excel", "会计核算", "用友"], "持有初级会计职称。", ["河西区", "河北区"], [FT], 4000, 6000, ""),
    ("G15", "accounting", ["finance"], "审计学", BA, "审计", ["审计", "Excel", "财务分析"], "在会计师事务所实习三个月。", ["和平区"], [FT], 6000, 8000, ""),
    ("G16", "accounting", ["finance", "hr"], "大数据与会计", AS, "会计", ["记账", "Excel", "财务软件"], "希望找离家近的工作。", ["河东区", "红桥区"], [FT, PT], 3500, 5000, "LA"),
    ("G17", "accounting", ["finance", "data"], "财务管理", BA, "财务", ["会计核算", "税务", "财务报表"], "熟悉金蝶与用友。", ["滨海新区", "南开区"], [FT], 6000, 9000, ""),
    ("G18", "finance", ["accounting", "data", "sales"], "金融学", BA, "银行客户经理", ["金融知识", "Excel", "沟通", "风险管理"], "参加过银行暑期实习。", ["南开区", "和平区"], [FT], 5000, 8000, ""),
    ("G19", "finance", ["data", "accounting", "law"], "金融工程", MA, "投资分析", ["财务分析", "Python", "证券从业资格"], "量化投资课程项目。", ["河西区", "和平区"], [FT], 9000, 14000, ""),
    ("G20", "marketing", ["sales", "design"], "市场营销", BA, "新媒体运营", ["新媒体运营", "文案", "市场调研", "短视频"], "运营过粉丝两万的公众号。", ["河西区"], [FT], 5000, 7000, ""),
    ("G21", "marketing", ["sales", "design"], "网络新闻与传播", AS, "短视频运营", ["剪辑", "短视频", "文案写作"], "会用剪映和Premiere。", ["南开区", "红桥区"], [PT, TR], 2500, 4000, "L"),
    ("G22", "sales", ["marketing", "logistics"], "电子商务", AS, "电商运营", ["淘宝", "直播", "电商运营"], "做过三个月店铺运营实习。", ["武清区"], [FT, PT], 4500, 7000, ""),
    ("G23", "sales", ["marketing", "hr", "hospitality"], "市场营销", AS, "客服", ["客户服务", "普通话", "沟通能力"], "普通话二级甲等。", ["河北区", "红桥区"], [FT, TR], 3500, 5000, "LA"),
    ("G24", "hr", ["law", "marketing"], "人力资源管理", BA, "人力资源", ["招聘", "员工关系", "Office"], "在人力资源公司实习。", ["河东区", "河西区"], [FT], 5000, 7000, ""),
    ("G25", "hr", ["sales", "law"], "行政管理", BA, "行政", ["公文写作", "Office", "沟通能力"], "担任学生会办公室主任。", ["红桥区", "河北区"], [FT], 4000, 6000, "L"),
    ("G26", "logistics", ["sales"], "物流管理", BA, "物流", ["供应链", "ERP", "Excel"], "在京东物流实习。", ["东丽区", "北辰区"], [FT], 5000, 7000, ""),
    ("G27", "logistics", ["sales"], "关务与外贸服务", AS, "报关员", ["报关", "英语", "外贸单证"], "持有报关水平测试证书。", ["滨海新区"], [FT], 4500, 6500, ""),
    ("G28", "mech", ["elec", "civil"], "机械设计制造及其自动化", BA, "机械设计", ["CAD", "SolidWorks", "机械制图"], "毕业设计为自动上料机构。", ["西青区", "北辰区"], [FT], 6500, 9000, ""),
    ("G29", "mech", ["elec", "auto"], "机电一体化技术", AS, "设备维修", ["钳工", "设备维修", "PLC"], "持有中级电工证。", ["静海区", "津南区"], [FT, TR], 4500, 6500, "L"),
    ("G30", "elec", ["mech", "ml"], "电子信息工程", BA, "嵌入式开发", ["C语言", "单片机", "Linux", "PLC"], "参加过电子设计竞赛。", ["滨海新区"], [FT], 8000, 11000, ""),
    ("G31", "elec", ["mech"], "电气自动化技术", AS, "电气技术员", ["PLC", "低压电器", "电工证"], "熟悉西门子S7-200。", ["北辰区", "东丽区"], [FT], 5000, 7000, ""),
    ("G32", "civil", ["mech", "design"], "土木工程", BA, "土木工程师", ["AutoCAD", "广联达", "BIM"], "参与过实习项目的施工管理。", ["津南区", "西青区"], [FT], 6000, 8000, ""),
    ("G33", "civil", ["design"], "工程造价", AS, "造价员", ["广联达", "Excel", "工程算量"], "熟悉清单计价。", ["红桥区", "南开区"], [FT], 4500, 6500, ""),
    ("G34", "nursing", ["pharma", "preschool"], "护理学", AS, "护士", ["护士资格证", "临床护理"], "在三甲医院实习十个月。", ["和平区", "河西区"], [FT], 5000, 7000, ""),
    ("G35", "nursing", ["pharma"], "护理", AS, "护理", ["护理知识", "养老护理"], "在养老院做过志愿者。", ["北辰区", "河北区"], [FT], 4000, 5500, "LA"),
    ("G36", "pharma", ["nursing", "chem"], "药学", BA, "药品质量", ["药物分析", "HPLC", "GMP"], "实习于制药企业质检部。", ["滨海新区", "西青区"], [FT], 5500, 8000, ""),
    ("G37", "teach_math", ["teaching", "preschool", "data"], "数学与应用数学", BA, "数学教师", ["教师资格证", "课堂管理", "Python"], "支教一学期。", ["南开区"], [FT, PT], 6000, 8000, ""),
    ("G38", "teach_english", ["teaching", "hospitality", "logistics"], "英语", BA, "英语教师", ["英语", "教师资格证", "CET-6"], "英语专业八级。", ["河西区", "和平区"], [FT], 6000, 8000, ""),
    ("G39", "preschool", ["teaching", "nursing"], "学前教育", AS, "幼儿教师", ["幼儿教师资格证", "钢琴", "舞蹈"], "在幼儿园实习半年。", ["河东区", "河北区"], [FT, TR], 3500, 5000, ""),
    ("G40", "law", ["hr", "finance"], "法学", BA, "法务", ["合同审查", "法律检索", "英语"], "通过法律职业资格考试客观题。", ["和平区"], [FT], 6000, 8000, ""),
    ("G41", "law", ["hr"], "法学", BA, "法律", ["法律文书", "法律咨询"], "在法律援助中心做过志愿者。", ["红桥区", "河西区"], [FT, TR], 4000, 6000, "LA"),
    ("G42", "chem", ["pharma", "mech"], "化学工程与工艺", BA, "化工工艺", ["化工工艺", "AutoCAD", "安全管理"], "熟悉Aspen流程模拟。", ["滨海新区"], [FT], 7000, 9000, ""),
    ("G43", "design", ["marketing", "frontend"], "视觉传达设计", BA, "UI设计", ["Figma", "PS", "UI设计"], "作品集包含三款App界面。", ["南开区", "河西区"], [FT], 6000, 9000, ""),
    ("G44", "auto", ["mech", "elec"], "汽车检测与维修技术", AS, "汽车维修", ["汽车维修", "故障诊断", "新能源汽车"], "持有汽车维修工中级证。", ["东丽区", "西青区"], [FT, TR], 4500, 7000, "L"),
    ("G45", "hospitality", ["sales", "teaching"], "旅游管理", AS, "酒店前台", ["前台接待", "英语", "Office"], "在五星级酒店实习。", ["和平区", "滨海新区"], [FT, PT], 3500, 5000, ""),
    ("G46", "design", ["marketing"], "数字媒体艺术", AS, "平面设计", ["Photoshop", "Illustrator", "平面设计"], "接过海报设计外包。", ["河西区", "武清区"], [PT, FT], 3000, 6000, "A"),
]
