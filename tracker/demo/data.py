"""The demo's facts: the article's figures for the old Lào Cai city, who works where, and the
names the generated work is drawn from. Units are named by their official codes of 2008–2025
(vietnamadminunits); the units themselves come from the official catalogue."""

from __future__ import annotations

from datetime import date

# Why B105 does not apply: the published demo password (README)
DEMO_PASSWORD = "laocai-2024"  # nosec B105
WORK_STARTS = date(2024, 1, 1)
OFFICIAL_SOURCE = "BHXH tỉnh Lào Cai (số liệu công bố)"
PROVINCE = "Lào Cai"
CITY = "080"  # Thành phố Lào Cai until 2025-06-30
OFFICE = ("BHXH-LC-TP", "BHXH cơ sở thành phố Lào Cai")

# The city's seventeen wards and communes on 2024-03-26: (code, households, working-age
# population, participants). The counts add up to the city's 3,167; Kim Tân's 462 is the
# article's. Xã Thống Nhất went to xã Gia Phú on 2025-07-01, outside this office.
LOCAL_AREAS = [
    ("02647", 6120, 15400, 462),  # Phường Kim Tân
    ("02644", 4210, 10300, 318),  # Phường Cốc Lếu
    ("02635", 3480, 8600, 236),  # Phường Duyên Hải
    ("02641", 6850, 17100, 296),  # Phường Lào Cai (with Phố Mới since 2020)
    ("02668", 5200, 13100, 297),  # Phường Bắc Cường
    ("02650", 3600, 9000, 221),  # Phường Bắc Lệnh
    ("02671", 2800, 7100, 176),  # Phường Nam Cường
    ("02658", 2400, 6200, 158),  # Phường Bình Minh
    ("02653", 2700, 6900, 169),  # Phường Pom Hán
    ("02656", 2100, 5400, 131),  # Phường Xuân Tăng
    ("02674", 1900, 5000, 118),  # Xã Cam Đường
    ("02662", 1500, 4100, 96),  # Xã Đồng Tuyển
    ("02680", 1700, 4600, 112),  # Xã Hợp Thành
    ("02677", 1600, 4300, 104),  # Xã Tả Phời
    ("02665", 1400, 3800, 104),  # Xã Vạn Hòa
    ("02746", 1800, 4700, 98),  # Xã Cốc San
    ("02659", 1300, 3500, 71),  # Xã Thống Nhất
]
CITY_COUNTS = [(date(2022, 12, 31), 2944), (date(2023, 12, 31), 3136), (date(2024, 3, 26), 3167)]
CITY_TARGET_2024 = 4600
HOUSEHOLDS_PER_AREA = 400
# New units' targets for the year: this much above their participants at the year's start.
YEARLY_GROWTH_ASKED = 0.12

# username, full name, role, supervisor, areas until 2025-06-30 (first is primary); after the
# reorganisation, the assignments follow the units (phường Lào Cai, phường Cam Đường, …).
USERS = [
    ("admin", "Quản trị hệ thống", "admin", None, []),
    ("leader", "Nguyễn Thị Hồng Nhung", "leader", None, []),
    ("supervisor", "Trần Văn Bình", "supervisor", None, ["02647"]),
    ("supervisor2", "Đỗ Thị Thu Hà", "supervisor", None, ["02668"]),
    ("officer", "Phạm Thị Lan", "officer", "supervisor", ["02647", "02644"]),
    ("officer2", "Lê Văn Dũng", "officer", "supervisor", ["02635", "02641"]),
    ("officer3", "Hoàng Thị Mai", "officer", "supervisor", ["02665", "02647"]),
    ("officer4", "Vũ Đức Thắng", "officer", "supervisor", ["02653", "02656"]),
    ("officer5", "Bùi Thị Hương", "officer", "supervisor2", ["02668", "02671"]),
    ("officer6", "Giàng A Sử", "officer", "supervisor2", ["02677", "02680"]),
    ("officer7", "Lò Thị Yến", "officer", "supervisor2", ["02674", "02662"]),
    ("officer8", "Đặng Minh Quang", "officer", "supervisor2", ["02650", "02658", "02746"]),
]
# How busy each officer is, relative to the office's average.
ACTIVITY = {
    "officer": 1.15,
    "officer2": 1.0,
    "officer3": 0.9,
    "officer4": 0.75,
    "officer5": 1.3,
    "officer6": 0.85,
    "officer7": 0.95,
    "officer8": 1.05,
    "supervisor": 0.3,
    "supervisor2": 0.25,
}

ORGS = [
    ("Bưu điện thành phố Lào Cai", "post_office", None),
    ("Hội Liên hiệp Phụ nữ thành phố Lào Cai", "womens_union", None),
    (
        "Hội Nông dân thành phố Lào Cai",
        "farmers_association",
        ["02674", "02662", "02680", "02677", "02665", "02746"],
    ),
    ("Tổ dịch vụ thu phường Kim Tân", "commune_committee", ["02647"]),
    ("Hợp tác xã Dịch vụ Cốc Lếu", "cooperative", ["02644", "02635"]),
]

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Lý",
    "Giàng",
    "Lò",
    "Vàng",
    "Sùng",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quốc", "Thanh", "Hữu", "A"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Hà",
    "Hải",
    "Hương",
    "Lan",
    "Mai",
    "Nam",
    "Phương",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Tuấn",
    "Vân",
    "Yến",
    "Sử",
    "Chư",
    "Ánh",
    "Đức",
    "Hằng",
    "Khánh",
    "Lộc",
    "Nhung",
    "Oanh",
    "Quyết",
    "Thắng",
    "Trang",
]
STREETS = [
    "Hoàng Liên",
    "Nguyễn Huệ",
    "Trần Hưng Đạo",
    "Hoàng Sào",
    "Lê Lợi",
    "Điện Biên",
    "Nhạc Sơn",
    "Phan Đình Phùng",
    "Quy Hóa",
    "Minh Khai",
]
CATEGORIES = (
    ["self_employed"] * 4 + ["trader"] * 3 + ["farmer"] * 3 + ["informal_worker"] * 3 + ["other"]
)
OUTCOMES = (
    ["informed"] * 30
    + ["interested"] * 20
    + ["follow_up"] * 18
    + ["enrolled"] * 16
    + ["declined"] * 8
    + ["no_answer"] * 8
)
CHANNELS = ["home_visit"] * 6 + ["phone"] * 3 + ["message"] * 1 + ["ward_meeting"] * 1
