"""Word lists for demo company and project names (Chinese with English renderings). Products, with the GB/T
group that makes them and the years they were current, are data: data/demo/products.csv."""

# Every demo company name starts with this marker, so nobody takes a demo firm for a real one (the About page
# explains it; the plausibility checks look for it).
MARKER_ZH = "【演示】"
MARKER_EN = "(Demo) "

# Brand pairs that are, or read like, well-known real firms: never drawn.
AVOID_BRANDS = {"中兴", "华为", "创维", "康佳", "天马", "海天", "安科", "金蝶", "德赛", "迈瑞", "光明", "华润", "招商",
                "中海", "万科", "比亚", "华维", "宇通", "联想", "海信", "普联", "优博", "汇顶", "信维",
                "科达", "科信", "华信"}

# Brand syllables: (Chinese, pinyin). Two of them make a brand such as 华创 / Huachuang.
SYLLABLES = [
    ("华", "Hua"), ("创", "Chuang"), ("科", "Ke"), ("达", "Da"), ("信", "Xin"), ("通", "Tong"),
    ("汇", "Hui"), ("瑞", "Rui"), ("鹏", "Peng"), ("宇", "Yu"), ("海", "Hai"), ("天", "Tian"),
    ("星", "Xing"), ("光", "Guang"), ("明", "Ming"), ("智", "Zhi"), ("联", "Lian"), ("盛", "Sheng"),
    ("安", "An"), ("德", "De"), ("博", "Bo"), ("恒", "Heng"), ("源", "Yuan"), ("泰", "Tai"),
    ("嘉", "Jia"), ("康", "Kang"), ("飞", "Fei"), ("云", "Yun"), ("锐", "Rui"), ("拓", "Tuo"),
    ("普", "Pu"), ("维", "Wei"), ("易", "Yi"), ("迈", "Mai"), ("捷", "Jie"), ("晶", "Jing"),
    ("芯", "Xin"), ("晟", "Sheng"), ("昊", "Hao"), ("誉", "Yu"), ("佳", "Jia"), ("优", "You"),
    ("富", "Fu"), ("兴", "Xing"), ("中", "Zhong"), ("万", "Wan"), ("金", "Jin"), ("蓝", "Lan"),
]

# Words after the brand in a company name, by GB/T 4754 section or division.
COMPANY_WORDS = {
    "C39": [("电子", "Electronics"), ("通信", "Communication"), ("微电子", "Microelectronics"),
            ("光电", "Optoelectronics")],
    "C38": [("电气", "Electric"), ("新能源", "New Energy"), ("电源", "Power Supply")],
    "C34": [("机械", "Machinery"), ("自动化", "Automation"), ("精密机械", "Precision Machinery")],
    "C35": [("智能装备", "Intelligent Equipment"), ("医疗器械", "Medical Devices")],
    "C40": [("仪器", "Instruments"), ("测控", "Measurement and Control")],
    "C27": [("药业", "Pharmaceutical"), ("生物医药", "Biopharma")],
    "C26": [("化工", "Chemical"), ("新材料", "New Materials")],
    "C36": [("汽车电子", "Automotive Electronics"), ("汽车部件", "Auto Parts")],
    "I65": [("软件", "Software"), ("信息技术", "Information Technology"), ("数字科技", "Digital Technology")],
    "I64": [("网络", "Network"), ("互联网科技", "Internet Technology")],
    "M73": [("研究院", "Research Institute"), ("技术研究", "Technology Research")],
    "C": [("实业", "Industrial"), ("制造", "Manufacturing"), ("科技", "Technology")],
    "D": [("能源", "Energy"), ("电力", "Power")],
    "E": [("建设工程", "Construction Engineering"), ("建筑科技", "Building Technology")],
    "*": [("科技", "Technology"), ("服务", "Services"), ("技术", "Technologies")],
}

# Wording of a "record": the programme recognises firsts.
CLAIMS = [("国内首创", "China's first"), ("国际领先", "world-leading"), ("行业首个", "industry-first"),
          ("填补国内空白的", "gap-filling"), ("自主研发", "self-developed")]
# "First machine in China" only makes sense for equipment.
EQUIPMENT_CLAIMS = [("全国首台", "first in China:")]

# Names for a group without a listed product: (Chinese, English) forms around the group's name.
GENERIC_GOODS = [("关键工艺", "process"), ("新产品", "new product"), ("检测方法", "testing method"),
                 ("生产线", "production line"), ("节能技术", "energy-saving technique"),
                 ("质量控制体系", "quality-control system"), ("绿色制造工艺", "green manufacturing process")]
GENERIC_SERVICES = [("服务平台", "service platform"), ("服务模式", "service model"), ("管理系统", "management system"),
                    ("解决方案", "solution"), ("运营体系", "operating model"), ("数字化平台", "digital platform"),
                    ("标准体系", "standards system")]

PREFIXES_EARLY = [("新型", "new"), ("高效", "high-efficiency"), ("数字化", "digital"), ("大容量", "high-capacity")]
PREFIXES_LATE = [("智能", "smart"), ("高精度", "high-precision"), ("低功耗", "low-power"), ("绿色", "green"),
                 ("一体化", "integrated")]

