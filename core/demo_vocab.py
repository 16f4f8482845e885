"""Word lists for plausible demo company and project names (Chinese with English renderings)."""

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

# Products by division: (Chinese, English, first session in which it is plausible).
PRODUCTS = {
    "C39": [("数字程控交换机", "digital switching system", 1), ("CDMA基站", "CDMA base station", 1),
            ("彩色液晶显示模组", "colour LCD module", 3), ("光纤接入设备", "fibre access equipment", 4),
            ("3G数据卡", "3G data card", 8), ("智能手机", "smartphone", 9),
            ("LTE基站射频模块", "LTE base station RF module", 11), ("高速光模块", "high-speed optical module", 14),
            ("5G小基站", "5G small cell", 18), ("毫米波雷达", "millimetre-wave radar", 17),
            ("激光雷达", "LiDAR", 18), ("柔性OLED显示屏", "flexible OLED display", 16),
            ("车载摄像头模组", "automotive camera module", 17), ("智能手表", "smartwatch", 15),
            ("无线充电模组", "wireless charging module", 16), ("Wi-Fi 7路由器", "Wi-Fi 7 router", 22)],
    "I65": [("企业资源管理软件", "ERP software", 1), ("电子政务平台", "e-government platform", 3),
            ("金融核心业务系统", "core banking system", 5), ("智能交通管理系统", "intelligent traffic system", 8),
            ("移动支付平台", "mobile payment platform", 10), ("云计算管理平台", "cloud management platform", 12),
            ("工业互联网平台", "industrial internet platform", 17), ("人工智能视觉平台", "AI vision platform", 17),
            ("集成电路设计软件", "chip design software", 19), ("数字孪生城市平台", "digital twin city platform", 20),
            ("大模型应用平台", "large-model application platform", 22), ("物联网操作系统", "IoT operating system", 18)],
    "C27": [("缓释片剂", "sustained-release tablet", 1), ("基因工程干扰素", "recombinant interferon", 1),
            ("中药注射剂", "TCM injection", 2), ("疫苗", "vaccine", 6), ("单克隆抗体药物", "monoclonal antibody", 14),
            ("创新化学药", "novel chemical drug", 12), ("细胞治疗产品", "cell therapy product", 19),
            ("mRNA疫苗", "mRNA vaccine", 21)],
    "C34": [("数控机床", "CNC machine tool", 1), ("工业缝纫机", "industrial sewing machine", 1),
            ("自动化包装生产线", "automated packaging line", 4), ("精密减速器", "precision reducer", 14),
            ("六轴工业机器人", "six-axis industrial robot", 15), ("协作机器人", "collaborative robot", 18),
            ("高效磁悬浮鼓风机", "magnetic-levitation blower", 17)],
    "C35": [("表面贴装设备", "SMT placement machine", 3), ("医用超声诊断仪", "ultrasound scanner", 2),
            ("激光切割设备", "laser cutting system", 9), ("锂电池卷绕机", "lithium battery winding machine", 15),
            ("全自动生化分析仪", "automatic biochemistry analyser", 10), ("手术机器人", "surgical robot", 20),
            ("半导体封装设备", "semiconductor packaging equipment", 19),
            ("垃圾焚烧烟气处理设备", "flue-gas treatment system", 12)],
    "C38": [("变频空调控制器", "inverter air-conditioner controller", 3), ("锂离子电池", "lithium-ion battery", 5),
            ("LED照明灯具", "LED luminaire", 8), ("新能源汽车驱动电机", "EV traction motor", 13),
            ("储能变流器", "energy-storage converter", 18), ("固态电池", "solid-state battery", 22),
            ("智能电表", "smart electricity meter", 10)],
    "C40": [("石英手表机芯", "quartz watch movement", 1), ("电能计量仪表", "energy meter", 2),
            ("工业内窥镜", "industrial endoscope", 11), ("光谱分析仪", "spectrum analyser", 9),
            ("智能水表", "smart water meter", 14), ("高精度位移传感器", "high-precision displacement sensor", 16)],
}

# Wording of a "record": the programme recognises firsts.
CLAIMS = [("国内首创", "China's first"), ("国际领先", "world-leading"), ("全国首台", "first in China:"),
          ("行业首个", "industry-first"), ("填补国内空白的", "gap-filling"), ("自主研发", "self-developed")]

PREFIXES_EARLY = [("新型", "new"), ("高效", "high-efficiency"), ("数字化", "digital"), ("大容量", "high-capacity")]
PREFIXES_LATE = [("智能", "smart"), ("高精度", "high-precision"), ("低功耗", "low-power"), ("绿色", "green"),
                 ("一体化", "integrated")]

# The five firms the seed article names; they are in session 23 of the demo data.
SEED_COMPANIES = [
    # name_zh, name_en, district, industry group
    ("深圳市凯盛科技有限公司", "Kaisheng Technology Co., Ltd.", "440307", "C359"),
    ("深圳川科技有限公司", "Shenzhen Chuan Technology Co., Ltd.", "440306", "C389"),
    ("国药集团致君（深圳）制药有限公司", "Sinopharm Zhijun (Shenzhen) Pharmaceutical Co., Ltd.", "440310", "C272"),
    ("深圳市镭神智能系统有限公司", "Leishen Technology (Shenzhen) Co., Ltd.", "440306", "C394"),
    ("深圳市宏美数码纺织科技有限公司", "Shenzhen Hongmei Digital Textile Technology Co., Ltd.", "440311", "C171"),
]
