#!/usr/bin/env python3
"""An independent world generator for sangloc, written from docs/contract.md and docs/domain.md only.

    python3 bench/indep/gen.py --persons 3000 --seed 1 --out /tmp/indep/w1 --hub-share 0.3

Writes a delivery (taxpayers, declarations, platform_sellers, websites, cod_shipments_<carrier>,
bank_transactions_<bank>) for tax year 2025 and the synthetic truth (truth/persons.csv,
truth/records.csv) in the contract's format, plus truth/record_tags.csv and truth/person_info.csv
(this generator's own annotations: which pattern produced each record, family / hub / bookkeeper
ids) for bench/indep/false_pairs.py. Python 3.11 standard library only; the same arguments give the
same bytes.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import unicodedata
from collections import defaultdict

TAX_YEAR = 2025

# --------------------------------------------------------------------------------------------
# Reference data (written from general knowledge of Vietnam and docs/domain.md)
# --------------------------------------------------------------------------------------------

# (CCCD birth-registration code, old province name, current province after the 2025 merger, weight)
PROVINCES = [
    ("001", "Hà Nội", "Hà Nội", 8.5), ("002", "Hà Giang", "Tuyên Quang", 0.9),
    ("004", "Cao Bằng", "Cao Bằng", 0.6), ("006", "Bắc Kạn", "Thái Nguyên", 0.4),
    ("008", "Tuyên Quang", "Tuyên Quang", 0.8), ("010", "Lào Cai", "Lào Cai", 0.8),
    ("011", "Điện Biên", "Điện Biên", 0.6), ("012", "Lai Châu", "Lai Châu", 0.5),
    ("014", "Sơn La", "Sơn La", 1.2), ("015", "Yên Bái", "Lào Cai", 0.8),
    ("017", "Hòa Bình", "Phú Thọ", 0.9), ("019", "Thái Nguyên", "Thái Nguyên", 1.3),
    ("020", "Lạng Sơn", "Lạng Sơn", 0.8), ("022", "Quảng Ninh", "Quảng Ninh", 1.3),
    ("024", "Bắc Giang", "Bắc Ninh", 1.9), ("025", "Phú Thọ", "Phú Thọ", 1.5),
    ("026", "Vĩnh Phúc", "Phú Thọ", 1.2), ("027", "Bắc Ninh", "Bắc Ninh", 1.5),
    ("030", "Hải Dương", "Hải Phòng", 1.9), ("031", "Hải Phòng", "Hải Phòng", 2.1),
    ("033", "Hưng Yên", "Hưng Yên", 1.3), ("034", "Thái Bình", "Hưng Yên", 1.9),
    ("035", "Hà Nam", "Ninh Bình", 0.9), ("036", "Nam Định", "Ninh Bình", 1.8),
    ("037", "Ninh Bình", "Ninh Bình", 1.0), ("038", "Thanh Hóa", "Thanh Hóa", 3.7),
    ("040", "Nghệ An", "Nghệ An", 3.4), ("042", "Hà Tĩnh", "Hà Tĩnh", 1.3),
    ("044", "Quảng Bình", "Quảng Trị", 0.9), ("045", "Quảng Trị", "Quảng Trị", 0.6),
    ("046", "Thừa Thiên Huế", "Huế", 1.2), ("048", "Đà Nẵng", "Đà Nẵng", 1.2),
    ("049", "Quảng Nam", "Đà Nẵng", 1.5), ("051", "Quảng Ngãi", "Quảng Ngãi", 1.3),
    ("052", "Bình Định", "Gia Lai", 1.5), ("054", "Phú Yên", "Đắk Lắk", 0.9),
    ("056", "Khánh Hòa", "Khánh Hòa", 1.3), ("058", "Ninh Thuận", "Khánh Hòa", 0.6),
    ("060", "Bình Thuận", "Lâm Đồng", 1.3), ("062", "Kon Tum", "Quảng Ngãi", 0.6),
    ("064", "Gia Lai", "Gia Lai", 1.6), ("066", "Đắk Lắk", "Đắk Lắk", 1.9),
    ("067", "Đắk Nông", "Lâm Đồng", 0.7), ("068", "Lâm Đồng", "Lâm Đồng", 1.3),
    ("070", "Bình Phước", "Đồng Nai", 1.0), ("072", "Tây Ninh", "Tây Ninh", 1.2),
    ("074", "Bình Dương", "Hồ Chí Minh", 2.7), ("075", "Đồng Nai", "Đồng Nai", 3.2),
    ("077", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh", 1.2), ("079", "Hồ Chí Minh", "Hồ Chí Minh", 9.4),
    ("080", "Long An", "Tây Ninh", 1.7), ("082", "Tiền Giang", "Đồng Tháp", 1.8),
    ("083", "Bến Tre", "Vĩnh Long", 1.3), ("084", "Trà Vinh", "Vĩnh Long", 1.0),
    ("086", "Vĩnh Long", "Vĩnh Long", 1.0), ("087", "Đồng Tháp", "Đồng Tháp", 1.6),
    ("089", "An Giang", "An Giang", 1.9), ("091", "Kiên Giang", "An Giang", 1.7),
    ("092", "Cần Thơ", "Cần Thơ", 1.2), ("093", "Hậu Giang", "Cần Thơ", 0.7),
    ("094", "Sóc Trăng", "Cần Thơ", 1.2), ("095", "Bạc Liêu", "Cà Mau", 0.9),
    ("096", "Cà Mau", "Cà Mau", 1.2),
]
CITY_PROVINCES = {"Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ"}

SURNAMES = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 4.5), ("Huỳnh", 3.5),
            ("Phan", 4), ("Vũ", 3.9), ("Võ", 3.5), ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3),
            ("Ngô", 1.3), ("Dương", 1), ("Lý", 0.5), ("Đinh", 0.8), ("Trịnh", 0.6), ("Lương", 0.5),
            ("Mai", 0.4), ("Tô", 0.3), ("Cao", 0.4), ("Đoàn", 0.5), ("Lâm", 0.4), ("Hà", 0.4),
            ("Tạ", 0.2), ("Châu", 0.2), ("Quách", 0.1), ("Kiều", 0.1), ("Thái", 0.2), ("Vương", 0.2)]
MIDDLE_M = ["Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Hoàng", "Gia",
            "Tuấn", "Ngọc", "Anh", "Duy", "Trọng", "Bá"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Bảo", "Mỹ", "Phương",
            "Hồng", "Thùy", "Diệu", "Khánh", "Hoài"]
GIVEN_M = ["Hùng", "Nam", "Dũng", "Tuấn", "Long", "Hải", "Sơn", "Minh", "Quân", "Khoa", "Phúc", "Thắng",
           "Cường", "Hoàng", "Trung", "Hiếu", "Đạt", "Huy", "Vinh", "Toàn", "Bình", "Tài", "Phong", "Lộc",
           "Thành", "Tùng", "Khánh", "Kiên", "Lâm", "Việt", "Nghĩa", "Thịnh", "Quang", "Hưng", "Tiến"]
GIVEN_F = ["Hương", "Lan", "Linh", "Trang", "Hà", "Mai", "Ngọc", "Thảo", "Huyền", "Hằng", "Nhung", "Vy",
           "Anh", "Yến", "Oanh", "Trinh", "Thủy", "Hạnh", "Dung", "Phương", "Nga", "Loan", "Tuyết", "Hoa",
           "My", "Quyên", "Giang", "Nhi", "Thư", "Hiền", "Vân", "Chi", "Ly", "Hồng", "Diễm"]
COMMON_FULL = ["Nguyễn Văn Hùng", "Nguyễn Thị Hương", "Nguyễn Thị Lan", "Trần Văn Nam",
               "Nguyễn Văn Dũng", "Nguyễn Thị Thu Trang", "Lê Thị Hoa", "Phạm Văn Long"]
COMMON_PROVINCES = ["Hồ Chí Minh", "Hà Nội", "Thanh Hóa"]

STREETS = ["Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung",
           "Hùng Vương", "Nguyễn Trãi", "Lê Duẩn", "Phan Chu Trinh", "Điện Biên Phủ", "Cách Mạng Tháng 8",
           "Nguyễn Văn Cừ", "Võ Thị Sáu", "Trần Phú", "Ngô Quyền", "Bạch Đằng", "Nguyễn Du",
           "Lạc Long Quân", "Âu Cơ", "Tô Hiến Thành", "Phạm Văn Đồng", "Lê Văn Sỹ", "Nguyễn Thị Minh Khai",
           "Hoàng Văn Thụ", "Trường Chinh", "Nguyễn Văn Linh", "Lê Hồng Phong", "Phan Đình Phùng",
           "Tôn Đức Thắng", "Nguyễn Xiển", "Kim Mã", "Đội Cấn", "Giải Phóng", "Quốc lộ 1A", "Tỉnh lộ 8"]
WARDS = ["Bến Nghé", "Tân Định", "Hòa Khánh", "An Phú", "Phú Lợi", "Tân Phong", "Hiệp Phú", "Minh Khai",
         "Quang Trung", "Trung Hòa", "Yên Hòa", "Dịch Vọng", "Láng Thượng", "Tân Mai", "Hòa Cường",
         "Thạch Thang", "An Lạc", "Bình Trị Đông", "Tân Thới Hiệp", "Linh Trung", "Phước Long",
         "Vĩnh Hải", "Lộc Thọ", "Đông Hải", "Trần Phú", "Hưng Phúc", "Cẩm Phả", "Ninh Xá", "Hạ Long",
         "Phường 1", "Phường 2", "Phường 3", "Phường 4", "Phường 5", "Phường 7", "Phường 9", "Phường 12"]
COMMUNES = ["Xuân Phú", "Hòa Phú", "Tân Lập", "Đông Hòa", "Phước Thạnh", "Mỹ Hòa", "Thanh Xuân",
            "Yên Mỹ", "Quỳnh Lưu", "Hưng Đạo", "Long Hưng", "Tân Hiệp", "Bình Minh", "Nghĩa Trung"]
DISTRICTS_CITY = ["Quận 1", "Quận 3", "Quận 7", "Quận 10", "Quận 12", "Quận Bình Thạnh", "Quận Gò Vấp",
                  "Quận Tân Bình", "Quận Cầu Giấy", "Quận Đống Đa", "Quận Hoàng Mai", "Quận Thanh Xuân",
                  "Quận Hải Châu", "Quận Ngô Quyền", "Quận Ninh Kiều", "Quận Long Biên"]
DISTRICTS_RURAL = ["Huyện Chư Sê", "Huyện Yên Phong", "Huyện Quỳnh Lưu", "Huyện Châu Thành",
                   "Huyện Thọ Xuân", "Huyện Hải Hậu", "Huyện Đông Anh", "Thị xã Sơn Tây", "Huyện Krông Pắc",
                   "Huyện Tân Phú", "Thị xã Ninh Hòa", "Huyện Cai Lậy", "Thành phố Bảo Lộc"]

PLATFORMS = [("shopee", 50), ("tiktokshop", 28), ("lazada", 12), ("tiki", 4), ("sendo", 6)]
WITHHOLDING_PLATFORMS = {"shopee", "tiktokshop", "lazada", "tiki"}
PLATFORM_COMPANY = {
    "shopee": "CONG TY TNHH SHOPEE", "tiktokshop": "CONG TY TNHH TIKTOK VIET NAM",
    "lazada": "CONG TY TNHH RECESS", "tiki": "CONG TY CP TIKI", "sendo": "CONG TY CP CONG NGHE SEN DO",
}
CARRIERS = [("ghn", 24), ("ghtk", 26), ("vtp", 18), ("jnt", 16), ("spx", 10), ("vnpost", 6)]
CARRIER_COMPANY = {
    "ghn": "CONG TY CP DICH VU GIAO HANG NHANH", "ghtk": "CONG TY CP GIAO HANG TIET KIEM",
    "vtp": "TONG CONG TY CP BUU CHINH VIETTEL", "jnt": "CONG TY TNHH J&T EXPRESS VIET NAM",
    "spx": "CONG TY TNHH SPX EXPRESS", "vnpost": "TONG CONG TY BUU DIEN VIET NAM",
}
CARRIER_REMIT_TEXT = {
    "ghn": ["GHN chuyen tien COD {ref}", "GHN doi soat COD phien {ref}", "GIAO HANG NHANH TT COD {ref}"],
    "ghtk": ["GHTK thanh toan tien thu ho {ref}", "GHTK DOI SOAT {ref}", "GHTK tra tien COD ngay {d}"],
    "vtp": ["VIETTEL POST tra tien thu ho {ref}", "VTP chuyen tien COD {d}", "VTP doi soat COD {ref}"],
    "jnt": ["J&T EXPRESS thanh toan COD {ref}", "JT tra tien thu ho {d}"],
    "spx": ["SPX Express thanh toan COD {ref}", "SPX doi soat tien thu ho {d}"],
    "vnpost": ["BUU DIEN tra tien thu ho COD {ref}", "VNPOST chuyen tien COD {d}"],
}
BANKS = [("VCB", 17), ("TCB", 15), ("MB", 18), ("ACB", 8), ("BIDV", 12), ("VPB", 8), ("TPB", 6),
         ("STB", 5), ("CTG", 8), ("AGR", 6)]
BANK_OFFSET = {"VCB": True, "TCB": False, "MB": True, "ACB": True, "BIDV": False, "VPB": True,
               "TPB": True, "STB": False, "CTG": True, "AGR": False}
PLATFORM_ACCOUNT = {"shopee": ("VCB", "1029384756001"), "tiktokshop": ("TCB", "19033666220145"),
                    "lazada": ("VCB", "1047755210093"), "tiki": ("VCB", "1016622334455"),
                    "sendo": ("BIDV", "21510001122334")}
BANK_NAMES = {
    "VCB": ["Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam", "NH Ngoai Thuong"],
    "TCB": ["Techcombank", "Ngân hàng TMCP Kỹ Thương Việt Nam"],
    "MB": ["MB Bank", "MBBank", "Ngân hàng TMCP Quân đội"],
    "ACB": ["Ngân hàng TMCP Á Châu", "ACB Bank"],
    "BIDV": ["Ngân hàng TMCP Đầu tư và Phát triển Việt Nam", "BIDV Bank"],
    "VPB": ["VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"],
    "TPB": ["TPBank", "Ngân hàng TMCP Tiên Phong"],
    "STB": ["Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"],
    "CTG": ["VietinBank", "Ngân hàng TMCP Công Thương Việt Nam"],
    "AGR": ["Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"],
}
GATEWAY = ("VNPAY", "CONG TY CP GIAI PHAP THANH TOAN VIET NAM")

ACTIVITY = [("goods", 72), ("services", 10), ("production_transport", 10), ("property_lease", 3), ("other", 5)]
RATES = {"goods": (0.01, 0.005), "services": (0.05, 0.02), "production_transport": (0.03, 0.015),
         "property_lease": (0.05, 0.05), "other": (0.02, 0.01)}
THRESHOLD = 100_000_000
GOODS_WORDS = ["Mỹ phẩm", "Thời trang", "Giày dép", "Đồ gia dụng", "Đồ chơi", "Phụ kiện", "Hải sản khô",
               "Đồ ăn vặt", "Cà phê", "Trà", "Đồ sơ sinh", "Túi xách", "Nông sản", "Bánh tráng", "Đồ lót"]
SERVICE_WORDS = {"services": ["Spa", "Nail", "Học tiếng Anh", "Tour", "Chụp ảnh", "Makeup"],
                 "production_transport": ["Xưởng may", "Sửa chữa điện thoại", "In ấn", "Vận chuyển"],
                 "property_lease": ["Homestay", "Cho thuê phòng", "Căn hộ dịch vụ"],
                 "other": ["Đại lý", "Dịch vụ", "Tiệm"]}
WAREHOUSE_BRANDS = ["Kho hàng {x}", "Fulfillment {x}", "Kho {x}", "KHO HÀNG {X}", "{x} Logistics",
                    "Kho sỉ {x}", "Fulfilment {x}"]
WAREHOUSE_X = ["Minh Phát", "Sài Gòn", "Hà Thành", "Phú Thịnh", "An Khang", "Tân Phú", "Bình Minh",
               "Hưng Thịnh", "Đại Phát", "Nhật Minh", "Thành Công", "Việt Tiến", "Kim Long", "Phương Nam"]
# --post-office: who runs a parcel counter (carrier -> label on the counter's sign)
COUNTER_BRAND = {"ghn": "GHN", "ghtk": "GHTK", "jnt": "J&T", "spx": "SPX"}
# --cod-name-storm: decorations a page name is typed with, and the children mothers sell as ("Mẹ Bin")
STORM_EMOJI = ["🌸", "💖", "✨", "🍀", "⭐", "🎀", "🌷", "🔥", "💕", "🌼"]
STORM_KIDS = ["Bin", "Su", "Bông", "Bắp", "Tít", "Na", "Bơ", "Cún", "Mít", "Sóc", "Gạo", "Bi"]
# --collector-account: COD collection intermediaries (a few in the country)
COLLECTORS = ["Công ty TNHH Thu hộ Đông Dương", "Công ty CP Dịch vụ Thu hộ COD Việt", "Công ty TNHH Thu hộ An Tâm",
              "Công ty TNHH Giải pháp Thu hộ Sao Việt", "Công ty CP Thanh toán Thu hộ Phương Nam",
              "Công ty TNHH Thu hộ và Chuyển tiền Kim Ngân"]
# the knobs added after the first worlds: 0 leaves every file byte-identical to a generator without them
NEW_KNOBS = ("recycled_phone", "post_office", "cod_name_storm", "collector_account")
NEW_RECORD_TAGS = ("phone_dropped", "phone_new", "phone_reissued", "post_office", "counter_phone", "name_storm",
                   "collector_remit", "collector_account", "collector_forward")

SHOPLIKE_WAREHOUSE = ["Hàng Quảng Châu Giá Sỉ", "Tổng kho gia dụng", "Sỉ lẻ mỹ phẩm Hàn", "Kho order 247",
                      "Hàng nội địa Trung", "Xưởng sỉ đồ bộ", "Sỉ giày dép 68", "Kho tạp hóa online"]


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def wchoice(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def strip_marks(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


def mst_check(d9: str):
    w = [31, 29, 23, 19, 17, 13, 7, 5, 3]
    c = 10 - (sum(int(a) * b for a, b in zip(d9, w)) % 11)
    return None if c == 10 else str(c)


def tax_rates_due(revenue: int, group: str) -> int:
    if revenue <= THRESHOLD or not group:
        return 0
    vat, pit = RATES[group]
    return round(revenue * vat) + round(revenue * pit)


class Ids:
    """Unique identifier factory, one namespace per kind."""

    def __init__(self, rng):
        self.rng = rng
        self.used = defaultdict(set)

    def make(self, kind, fn, rng=None):
        """A fresh value of kind; rng (a knob's own stream) instead of the shared one when given."""
        r = rng or self.rng
        for _ in range(1000):
            v = fn(r)
            if v not in self.used[kind]:
                self.used[kind].add(v)
                return v
        raise RuntimeError(kind)

    def digits(self, n):
        return "".join(self.rng.choice("0123456789") for _ in range(n))


def phone_number(rng):
    pre = rng.choice(["032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "070", "076",
                      "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "089", "090",
                      "091", "093", "094", "096", "097", "098", "099"])
    return pre + "".join(rng.choice("0123456789") for _ in range(7))


def account_number(rng, bank):
    d = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    return {"VCB": lambda: "10" + d(11), "TCB": lambda: "19" + d(12), "MB": lambda: "0" + d(12),
            "ACB": lambda: d(rng.choice([8, 9])), "BIDV": lambda: "21" + d(12), "VPB": lambda: d(9),
            "TPB": lambda: "0" + d(10), "STB": lambda: "06" + d(10), "CTG": lambda: "10" + d(10),
            "AGR": lambda: rng.choice(["15", "37", "55"]) + d(11)}[bank]()


# --------------------------------------------------------------------------------------------
# Renderers: how clerks of each agency type a value
# --------------------------------------------------------------------------------------------

class Render:
    def __init__(self, rng, typo, missing):
        self.rng = rng
        self.typo_share = typo
        self.missing = missing  # source -> extra share of identifier cells left empty
        self.typo_log = []  # set by caller per record

    def typo(self, digits: str) -> str:
        if not digits or self.rng.random() >= self.typo_share:
            return digits
        ds = list(digits)
        idx = [i for i, c in enumerate(ds) if c.isdigit()]
        if len(idx) < 3:
            return digits
        if self.rng.random() < 0.5:
            i = self.rng.choice(idx[1:])
            ds[i] = self.rng.choice([c for c in "0123456789" if c != ds[i]])
        else:
            k = self.rng.randrange(1, len(idx) - 1)
            i, j = idx[k], idx[k + 1]
            if ds[i] == ds[j]:
                ds[i] = str((int(ds[i]) + 1) % 10)
            else:
                ds[i], ds[j] = ds[j], ds[i]
        self.typo_log.append("typo")
        return "".join(ds)

    def drop(self, source, value, base=0.0):
        if not value:
            return ""
        p = base + self.missing.get(source, 0.0)
        if self.rng.random() < p:
            if self.missing.get(source, 0.0) > 0:
                self.typo_log.append("missing")
            return ""
        return value

    def phone(self, p, style=None):
        if not p:
            return ""
        p = self.typo(p)
        r = self.rng.random() if style is None else style
        if r < 0.55:
            return p
        if r < 0.65:
            return f"+84 {p[1:4]} {p[4:7]} {p[7:]}"
        if r < 0.72:
            return f"84{p[1:]}"
        if r < 0.80:
            return f"{p[:4]}.{p[4:7]}.{p[7:]}"
        if r < 0.90:
            return f"{p[:4]} {p[4:7]} {p[7:]}"
        if r < 0.95:
            return f"+84{p[1:]}"
        return p[1:]  # lost leading zero (spreadsheet)

    def name(self, full, style):
        """style: 'as', 'upper', 'plain_upper', 'plain', 'lower', 'given_first', 'spaces'."""
        if style == "as":
            return full
        if style == "upper":
            return full.upper()
        if style == "plain_upper":
            return strip_marks(full).upper()
        if style == "plain":
            return strip_marks(full)
        if style == "lower":
            return full.lower()
        if style == "given_first":
            parts = full.split()
            return " ".join([parts[-1], parts[0]])
        if style == "spaces":
            parts = full.split()
            i = self.rng.randrange(len(parts) - 1)
            return (" ".join(parts[: i + 1]) + "  " + " ".join(parts[i + 1:])).strip()
        if style == "trail":
            return " " + full + " "
        return full

    def province(self, old, new, when_new=0.5):
        """A province as typed: the old (63) or current (34) name, with prefixes and abbreviations."""
        name = new if self.rng.random() < when_new else old
        r = self.rng.random()
        if name == "Hồ Chí Minh":
            return self.rng.choice(["TP. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "TP.HCM", "Tp HCM", "tp.hcm",
                                    "Ho Chi Minh", "Hồ Chí Minh", "TP Hồ Chí Minh", "HCM", "TP. HCM"])
        if name == "Thừa Thiên Huế" and r < 0.15:
            return "TTH"
        if name == "Bà Rịa - Vũng Tàu" and r < 0.4:
            return self.rng.choice(["Bà Rịa-Vũng Tàu", "Ba Ria - Vung Tau", "Tỉnh Bà Rịa - Vũng Tàu"])
        city = name in CITY_PROVINCES or name == "Huế"
        if r < 0.35:
            out = name
        elif r < 0.55:
            out = ("Thành phố " if city else "Tỉnh ") + name
        elif r < 0.65:
            out = ("TP. " if city else "T. ") + name
        elif r < 0.8:
            out = strip_marks(name)
        elif r < 0.9:
            out = ("TP. " if city else "Tỉnh ") + name
            out = out.upper()
        else:
            out = ("Tp " if city else "Tinh ") + strip_marks(name)
        return out

    def address(self, home, prov_old, prov_new, when_new=0.5, house_only=False):
        rng = self.rng
        r = rng.random()
        prov = self.province(prov_old, prov_new, when_new)
        if home["rural"]:
            hamlet = rng.choice([f"Thôn {home['num'] % 15 + 1}", f"Ấp {home['hamlet']}", f"Xóm {home['num'] % 9 + 1}"]) \
                if home.get("hamlet_style") is None else home["hamlet_style"]
            commune = home["ward"]
            parts = [hamlet, rng.choice([f"Xã {commune}", f"X. {commune}", commune])]
            if rng.random() < 0.6:
                parts.append(home["district"] if rng.random() < 0.6 else home["district"].replace("Huyện ", "H. "))
        else:
            street = f"{home['num']}{home['alley']} {home['street']}"
            if home["alley"] and rng.random() < 0.3:
                a = home["alley"].lstrip("/")
                street = f"Số {home['num']} ngõ {a} {home['street']}"
            ward = home["ward"]
            if ward.startswith("Phường "):
                wn = ward.split()[1]
                w = rng.choice([ward, f"P.{wn}", f"P{wn}", f"Phường 0{wn}" if len(wn) == 1 else ward])
            else:
                w = rng.choice([f"Phường {ward}", f"P. {ward}", f"P.{ward}", ward])
            parts = [street, w]
            if rng.random() < 0.55:
                d = home["district"]
                parts.append(rng.choice([d, d.replace("Quận ", "Q. "), d.replace("Quận ", "Q.")]))
        if house_only:
            return ", ".join(parts)
        parts.append(prov)
        sep = ", " if r < 0.85 else " - "
        out = sep.join(parts)
        r2 = rng.random()
        if r2 < 0.08:
            out = strip_marks(out)
        elif r2 < 0.12:
            out = out.lower()
        return out


# --------------------------------------------------------------------------------------------
# The world
# --------------------------------------------------------------------------------------------

class Person:
    __slots__ = ("pid", "male", "surname", "full", "birth_year", "cccd", "phone", "own_phone", "email",
                 "prov_old", "prov_new", "home", "moved_from", "family", "household", "seller", "group",
                 "channels", "revenue", "pattern", "accounts", "in_bank", "tags", "tax_ids", "hub",
                 "relative", "money_account", "bookkeeper", "reg_group", "shops", "given", "info",
                 "decl", "withheld", "warehouse", "nick")

    def __init__(self, pid):
        self.pid = pid
        self.tags = set()
        self.info = {}
        self.accounts = []
        self.tax_ids = []
        self.shops = []
        self.hub = None
        self.relative = None
        self.money_account = None
        self.bookkeeper = None
        self.moved_from = None
        self.warehouse = None
        self.withheld = 0


class World:
    def __init__(self, a):
        self.a = a
        s = a.seed
        self.rng = random.Random(f"{s}:base")
        self.r_render = random.Random(f"{s}:render")
        self.r_hub = random.Random(f"{s}:hub")
        self.r_fam = random.Random(f"{s}:family")
        self.r_rel = random.Random(f"{s}:relative")
        self.r_common = random.Random(f"{s}:common")
        self.r_move = random.Random(f"{s}:move")
        self.r_book = random.Random(f"{s}:book")
        self.r_bankname = random.Random(f"{s}:bankname")
        # the later knobs: each its own streams (drawing, and rendering the values it adds), so that at 0
        # nothing is drawn and turning one on leaves the other streams where they were
        self.r_recycle = random.Random(f"{s}:recycled-phone")
        self.r_post = random.Random(f"{s}:post-office")
        self.r_storm = random.Random(f"{s}:cod-name-storm")
        self.r_coll = random.Random(f"{s}:collector-account")
        self.render_recycle = Render(random.Random(f"{s}:recycled-phone-render"), 0.0, {})
        self.render_post = Render(random.Random(f"{s}:post-office-render"), 0.0, {})
        self.render_coll = Render(random.Random(f"{s}:collector-account-render"), 0.0, {})
        self.phone_tl = {}  # --recycled-phone: pid -> (changer|recipient, from date, number, other pid)
        self.phone_cache = {}  # (pid, where) -> the new number as typed there
        self.counters = {}  # --post-office: current province -> its counters
        self.n_counters = 0
        self.collectors = []  # --collector-account: the intermediaries (Person objects, pid P9xxxxx)
        self.links = defaultdict(set)  # pid -> "kind:id" written to person_info.csv (links) when a new knob is on
        self.ids = Ids(random.Random(f"{s}:ids"))
        self.render = Render(self.r_render, a.typo, {k: a.missing for k in
                                                     ["taxpayers", "platform_sellers", "websites",
                                                      "bank_transactions", "cod_shipments"]})
        self.rows = defaultdict(list)  # file name -> rows
        self.truth = []  # (source, key, pid)
        self.tags = []  # (source, key, tags)
        self.persons: list[Person] = []
        self.bank_accounts = {}  # (bank, account) -> dict(holder person, in_extract)
        self.txn_ids = defaultdict(set)

    def bank_name(self, code):
        """A bank as a clerk types it: the code, or (--bank-names) the brand or the legal name."""
        if not code or self.a.bank_names <= 0 or self.r_bankname.random() >= self.a.bank_names:
            return code
        return self.r_bankname.choice(BANK_NAMES[code])

    # ---- records -------------------------------------------------------------------------
    def emit(self, fname, source, row, key, pid, tags=()):
        t = set(tags) | set(self.render.typo_log)
        self.render.typo_log = []
        self.rows[fname].append(row)
        self.truth.append((source, key, pid))
        if t:
            self.tags.append((source, key, "|".join(sorted(t))))

    # ---- people --------------------------------------------------------------------------
    def make_home(self, rng, prov_new):
        city = prov_new in CITY_PROVINCES or rng.random() < 0.35
        return {
            "rural": not city and rng.random() < 0.6,
            "num": rng.randint(1, 650),
            "alley": rng.choice(["", "", "", f"/{rng.randint(2, 90)}", f"/{rng.randint(2, 60)}/{rng.randint(1, 20)}"]),
            "street": rng.choice(STREETS),
            "ward": rng.choice(WARDS) if city else rng.choice(COMMUNES),
            "district": rng.choice(DISTRICTS_CITY) if city else rng.choice(DISTRICTS_RURAL),
            "hamlet": rng.choice(["Long Hưng", "Mỹ Phước", "Tân Hòa", "Bình Lợi", "Phú Hòa", "Hòa Lạc"]),
            "hamlet_style": None,
        }

    def new_person(self, rng, surname=None, male=None, prov=None, home=None):
        p = Person(f"P{len(self.persons):06d}")
        p.male = rng.random() < 0.48 if male is None else male
        p.surname = surname or wchoice(rng, SURNAMES)
        mid = rng.choice(MIDDLE_M if p.male else MIDDLE_F)
        p.given = rng.choice(GIVEN_M if p.male else GIVEN_F)
        p.full = f"{p.surname} {mid} {p.given}"
        p.birth_year = rng.randint(1962, 2004)
        code, old, new, _ = prov or wchoice(rng, [(x, x[3]) for x in PROVINCES])
        p.prov_old, p.prov_new = old, new
        birth_code = code if rng.random() < 0.7 else wchoice(rng, [(x[0], x[3]) for x in PROVINCES])
        century = 0 if p.birth_year < 2000 else 2
        sex = century + (0 if p.male else 1)
        p.cccd = self.ids.make("cccd", lambda r: f"{birth_code}{sex}{p.birth_year % 100:02d}{self.ids.digits(6)}")
        p.phone = p.own_phone = self.ids.make("phone", phone_number)
        p.home = home or self.make_home(rng, new)
        p.family = None
        p.household = None
        p.seller = False
        p.group = ""
        p.channels = {}
        p.revenue = 0
        p.pattern = "non_seller"
        p.reg_group = ""
        p.decl = None
        p.nick = None
        p.email = ""
        bank = wchoice(rng, BANKS)
        if bank in ("MB", "TPB", "VPB") and rng.random() < 0.3 and (bank, p.own_phone) not in self.ids.used["acct"]:
            acc = p.own_phone  # the account number is the owner's phone number
            self.ids.used["acct"].add((bank, acc))
        else:
            acc = self.ids.make("acct", lambda r, b=bank: (b, account_number(r, b)))[1]
        p.accounts.append((bank, acc))
        self.bank_accounts[(bank, acc)] = {"holder": p, "extract": False}
        self.persons.append(p)
        return p

    def make_email(self, rng, p):
        plain = strip_marks(p.full).lower().split()
        sur, given = plain[0], plain[-1]
        form = rng.choice([f"{given}{sur}{rng.randint(1, 999)}", f"{given}.{sur}{p.birth_year % 100}",
                           f"{sur}{''.join(x[0] for x in plain[1:-1])}{given}{rng.randint(80, 99)}",
                           f"{given}{p.birth_year}", f"{''.join(plain)}", f"{given}{sur}shop"])
        dom = wchoice(rng, [("gmail.com", 85), ("yahoo.com", 6), ("icloud.com", 4), ("hotmail.com", 3),
                            ("outlook.com", 2)])
        return self.ids.make("email", lambda r: f"{form}{'' if r.random() < 0.5 else r.randint(1, 99)}@{dom}")

    def build_people(self):
        a, rng = self.a, self.rng
        for _ in range(a.persons):
            self.new_person(rng)
        # families: households at one address, related by surname; clans of households
        order = list(self.persons)
        self.r_fam.shuffle(order)
        fam_id = 0
        i = 0
        while i < len(order):
            size = wchoice(self.r_fam, [(1, 30), (2, 35), (3, 22), (4, 10), (5, 3)])
            members = order[i:i + size]
            i += size
            head = members[0]
            for m in members[1:]:
                m.prov_old, m.prov_new, m.home = head.prov_old, head.prov_new, head.home
                if self.r_fam.random() < 0.6:  # children and siblings keep the surname; spouses do not
                    m.surname = head.surname
                    parts = m.full.split()
                    parts[0] = head.surname
                    m.full = " ".join(parts)
            for m in members:
                m.household = f"H{fam_id:05d}"
            fam_id += 1
        # clans of households (for the family phone): consecutive households of one surname in a province
        households = defaultdict(list)
        for p in self.persons:
            households[p.household].append(p)
        hh_list = sorted(households)
        clan = 0
        j = 0
        while j < len(hh_list):
            k = self.r_fam.choice([1, 1, 2, 3])
            for h in hh_list[j:j + k]:
                for p in households[h]:
                    p.family = f"F{clan:05d}"
            clan += 1
            j += k
        self.households = households
        # common names: a share of persons carry one of a few very common full names in big provinces
        if a.common_names > 0:
            rc = self.r_common
            provs = [x for x in PROVINCES if x[1] in COMMON_PROVINCES]
            for p in self.persons:
                if rc.random() < a.common_names and p.household and len(households[p.household]) == 1:
                    full = rc.choice(COMMON_FULL)
                    p.full = full
                    p.surname = full.split()[0]
                    p.given = full.split()[-1]
                    p.male = " Văn " in full
                    x = rc.choice(provs)
                    p.prov_old, p.prov_new = x[1], x[2]
                    p.home = self.make_home(rc, x[2])
                    p.tags.add("common_name")
        for p in self.persons:
            p.email = self.make_email(rng, p) if rng.random() < 0.75 else ""
        # province moves: the registry keeps the old address
        if a.moves > 0:
            for p in self.persons:
                if self.r_move.random() < a.moves:
                    x = wchoice(self.r_move, [(y, y[3]) for y in PROVINCES if y[2] != p.prov_new])
                    p.moved_from = (p.prov_old, p.prov_new, p.home)
                    p.prov_old, p.prov_new = x[1], x[2]
                    p.home = self.make_home(self.r_move, x[2])
                    p.tags.add("moved")
        # family phone: a share of persons use the phone of their family's head on every form
        if a.family_phone > 0:
            heads = {}
            for p in self.persons:
                heads.setdefault(p.family, p)
            for p in self.persons:
                h = heads[p.family]
                if h is not p and self.r_fam.random() < a.family_phone:
                    p.phone = h.own_phone
                    p.tags.add("family_phone")
                    h.tags.add("family_phone_owner")
        # bank accounts
        for p in self.persons:
            n = wchoice(rng, [(1, 70), (2, 25), (3, 5)])
            for _ in range(n - 1):
                bank = wchoice(rng, BANKS)
                if rng.random() < 0.12 and bank in ("MB", "TPB", "VPB") and (bank, p.own_phone) not in self.ids.used["acct"]:
                    acc = p.own_phone  # account number = phone number
                    self.ids.used["acct"].add((bank, acc))
                else:
                    acc = self.ids.make("acct", lambda r, b=bank: (b, account_number(r, b)))[1]
                p.accounts.append((bank, acc))
                self.bank_accounts[(bank, acc)] = {"holder": p, "extract": False}

    # ---- sellers -------------------------------------------------------------------------
    def build_sellers(self):
        rng, a = self.rng, self.a
        for p in self.persons:
            if rng.random() >= 0.6:
                continue
            p.seller = True
            p.group = wchoice(rng, ACTIVITY)
            rev = math.exp(rng.gauss(math.log(85_000_000), 1.05))
            if rng.random() < 0.04:
                rev *= rng.paretovariate(1.3) * 3
            rev = int(min(rev, 30_000_000_000) // 1000 * 1000)
            p.revenue = max(rev, 3_000_000)
            ch = {}
            if p.group == "goods":
                probs = {"platform": 0.6, "cod": 0.5, "web": 0.07, "direct": 0.35}
            elif p.group == "property_lease":
                probs = {"platform": 0.05, "cod": 0.0, "web": 0.3, "direct": 0.9}
            else:
                probs = {"platform": 0.25, "cod": 0.2, "web": 0.2, "direct": 0.7}
            for k, pr in probs.items():
                if rng.random() < pr:
                    ch[k] = rng.uniform(0.3, 1.0)
            if not ch:
                ch[rng.choice(["platform", "cod", "direct"]) if p.group != "property_lease" else "direct"] = 1
            tot = sum(ch.values())
            p.channels = {k: v / tot for k, v in ch.items()}
            # patterns
            if p.revenue <= THRESHOLD:
                p.pattern = "below_threshold"
            else:
                p.pattern = wchoice(rng, [("compliant", 48), ("unregistered", 18), ("under_declaring", 14),
                                          ("just_under_threshold", 6), ("stopped_filing", 8), ("split_shops", 6)])
                if p.pattern == "split_shops" and "platform" not in p.channels:
                    p.pattern = "unregistered"
                if p.pattern == "just_under_threshold" and p.revenue < 120_000_000:
                    p.pattern = "under_declaring"
        # registered offline households (no e-commerce), a source of namesakes who declare
        for p in self.persons:
            if not p.seller and rng.random() < 0.08:
                p.pattern = "offline"
                p.group = wchoice(rng, ACTIVITY)
                p.revenue = int(math.exp(rng.gauss(math.log(300_000_000), 0.7)) // 1000 * 1000)
        # bookkeepers: a shared e-mail on forms of the clients
        self.bookkeepers = []
        if a.bookkeeper > 0:
            nb = max(1, int(len(self.persons) * a.bookkeeper / 15))
            for i in range(nb):
                nm = strip_marks(self.r_book.choice(GIVEN_F + GIVEN_M)).lower()
                e = self.r_book.choice([f"ketoan.{nm}{i}@gmail.com", f"dichvuketoan{nm}{i}@gmail.com",
                                        f"thue.{nm}{i}@gmail.com", f"ktdn{nm}{i}@yahoo.com"])
                self.bookkeepers.append(e)
            for p in self.persons:
                if p.pattern not in ("non_seller",) and self.r_book.random() < a.bookkeeper:
                    p.bookkeeper = self.r_book.randrange(nb)
                    p.tags.add("bookkeeper")

    # ---- registry and returns ------------------------------------------------------------
    def new_mst(self, first="8", rng=None):
        def f(r):
            while True:
                d9 = first + "".join(r.choice("0123456789") for _ in range(8))
                c = mst_check(d9)
                if c is not None:
                    return d9 + c
        return self.ids.make("mst", f, rng)

    def assign_tax_ids(self):
        rng = self.rng
        for p in self.persons:
            registered = p.pattern in ("compliant", "under_declaring", "just_under_threshold", "stopped_filing",
                                       "offline") or (p.pattern == "below_threshold" and rng.random() < 0.35) \
                or (p.pattern == "split_shops" and rng.random() < 0.5)
            if not registered:
                continue
            p.reg_group = p.group if rng.random() < 0.8 else "goods"
            if rng.random() < 0.75:
                old = self.new_mst()
                reg_on = dt.date(rng.randint(2012, 2024), rng.randint(1, 12), rng.randint(1, 28))
                migrated = rng.random() < 0.3
                p.tax_ids.append((old, reg_on, "closed" if migrated else rng.choice(["active"] * 12 + ["suspended"])))
                if migrated:
                    p.tax_ids.append((p.cccd, dt.date(2025, rng.randint(7, 12), rng.randint(1, 28)), "active"))
                if rng.random() < 0.06:  # a second location
                    p.tax_ids.append((f"{old}-001", reg_on + dt.timedelta(days=rng.randint(30, 400)), "active"))
            else:
                if rng.random() < 0.5:
                    p.tax_ids.append((p.cccd, dt.date(2025, rng.randint(7, 12), rng.randint(1, 28)), "active"))
                else:
                    p.tax_ids.append((self.new_mst(), dt.date(2025, rng.randint(1, 6), rng.randint(1, 28)), "active"))

    def build_registry(self):
        rng, R = self.rng, self.render
        for p in self.persons:
            if not p.tax_ids or p.pattern == "warehouse":
                continue
            home = p.moved_from[2] if p.moved_from else p.home
            po, pn = (p.moved_from[0], p.moved_from[1]) if p.moved_from else (p.prov_old, p.prov_new)
            for tid, reg_on, status in p.tax_ids:
                hh = rng.random() < 0.6
                nstyle = wchoice(rng, [("as", 45), ("upper", 20), ("plain_upper", 10), ("lower", 8), ("spaces", 5),
                                       ("trail", 3)])
                name = R.name(p.full, nstyle)
                if hh:
                    name = rng.choice(["HKD ", "Hộ kinh doanh ", "HỘ KINH DOANH ", "Hộ KD "]) + name
                email = self.bookkeepers[p.bookkeeper] if p.bookkeeper is not None else (p.email if rng.random() < 0.5 else "")
                ward = home["ward"] if rng.random() < 0.45 else ""
                row = {
                    "tax_id": tid, "taxpayer_type": "household" if hh else "individual",
                    "name": name,
                    "national_id": R.drop("taxpayers", R.typo(p.cccd), 0.1),
                    "phone": R.drop("taxpayers", R.phone(p.phone), 0.15),
                    "email": R.drop("taxpayers", email),
                    "address": R.address(home, po, pn, when_new=0.3 if reg_on.year < 2025 else 0.7),
                    "ward": ward, "province": R.province(po, pn, 0.3 if reg_on.year < 2025 else 0.8),
                    "activity_group": p.reg_group, "registered_on": reg_on.isoformat(), "status": status,
                }
                row["phone"], xt = self.phone_at(p, row["phone"], reg_on, f"reg:{tid}")
                self.emit("taxpayers.csv", "taxpayers", row, tid, p.pid, ["registry"] + sorted(p.tags) + xt)

    def declare(self):
        rng = self.rng
        for p in self.persons:
            if not p.tax_ids:
                continue
            codes = [t for t in p.tax_ids if "-" not in t[0]]
            old = codes[0][0]
            new = codes[1][0] if len(codes) > 1 else None
            switch = codes[1][1] if len(codes) > 1 else None
            for year in (2024, 2025):
                true_rev = p.revenue if year == 2025 else int(p.revenue * rng.uniform(0.7, 1.15))
                pat = p.pattern
                if pat in ("compliant", "offline", "below_threshold"):
                    decl = int(true_rev * rng.uniform(0.97, 1.0))
                elif pat == "under_declaring":
                    plat = p.channels.get("platform", 0)
                    decl = int(true_rev * (plat if plat > 0.15 and rng.random() < 0.5 else rng.uniform(0.15, 0.55)))
                elif pat == "just_under_threshold":
                    decl = rng.randint(85_000, 99_500) * 1000
                elif pat == "stopped_filing":
                    if year == 2025:
                        continue
                    decl = int(true_rev * rng.uniform(0.9, 1.0))
                elif pat == "split_shops":
                    decl = rng.randint(40_000, 95_000) * 1000
                else:
                    continue
                decl = decl // 1000 * 1000
                if year == 2025:
                    p.decl = decl
                g = p.reg_group or "goods"
                tax = tax_rates_due(decl, g)
                if year == 2025:
                    tax = max(0, tax - p.withheld)
                quarterly = rng.random() < 0.6
                if quarterly:
                    shares = [rng.uniform(0.6, 1.4) for _ in range(4)]
                    tot = sum(shares)
                    for q in range(4):
                        qd = dt.date(year, 3 * q + 3, 28) + dt.timedelta(days=rng.randint(5, 30))
                        tid = new if new and qd > switch else old
                        self.rows["declarations.csv"].append({
                            "tax_id": tid, "period": f"{year}-Q{q + 1}",
                            "declared_revenue": int(decl * shares[q] / tot) // 1000 * 1000,
                            "tax_paid": int(tax * shares[q] / tot), "filed_on": qd.isoformat()})
                else:
                    fd = dt.date(year + 1, rng.randint(1, 4), rng.randint(1, 28))
                    tid = new if new and year == 2025 else old
                    self.rows["declarations.csv"].append({
                        "tax_id": tid, "period": str(year), "declared_revenue": decl, "tax_paid": tax,
                        "filed_on": fd.isoformat()})

    # ---- money ---------------------------------------------------------------------------
    def txn_id(self, bank, when, id_rng=None):
        rng = self.ids.rng

        def f(r):
            y = when.strftime("%y")
            return {"VCB": lambda: "".join(r.choice("0123456789") for _ in range(10)),
                    "TCB": lambda: f"FT{y}{''.join(r.choice('0123456789') for _ in range(10))}",
                    "MB": lambda: f"FT{y}{''.join(r.choice('0123456789') for _ in range(9))}",
                    "BIDV": lambda: f"{when:%m%d}{''.join(r.choice('0123456789') for _ in range(8))}",
                    }.get(bank, lambda: f"{bank[0]}{''.join(r.choice('0123456789') for _ in range(11))}")()
        return self.ids.make(("txn", bank), f, id_rng) if rng else None

    def when(self, rng, day=None):
        d = day or dt.date(TAX_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
        return dt.datetime(d.year, d.month, d.day, rng.randint(6, 22), rng.randrange(60), rng.randrange(60))

    def bank_row(self, bank, acc, holder, when, amount, direction, cp_bank, cp_acc, cp_name, desc, owner_pid, tags,
                 id_rng=None):
        if amount <= 0:
            return
        R = self.render
        info = self.bank_accounts[(bank, acc)]
        if not info["extract"]:
            return
        st = info["style"]
        ts = when.strftime("%Y-%m-%dT%H:%M:%S") + ("+07:00" if BANK_OFFSET[bank] else "")
        tid = self.txn_id(bank, when, id_rng)
        row = {"bank": bank, "account": acc, "holder_name": st["name"],
               "holder_national_id": st["nid"], "holder_tax_id": st["tid"], "txn_id": tid, "booked_at": ts,
               "amount": int(amount), "direction": direction, "counterparty_bank": cp_bank,
               "counterparty_account": cp_acc, "counterparty_name": cp_name, "description": desc}
        self.emit(f"bank_transactions_{bank.lower()}.csv", "bank_transactions", row, f"{bank}:{tid}", owner_pid,
                  tags)
        R.typo_log = []

    def open_extract(self, bank, acc):
        info = self.bank_accounts[(bank, acc)]
        if info["extract"]:
            return
        holder = info["holder"]
        R, rng = self.render, self.rng
        info["extract"] = True
        info["style"] = {
            "name": R.name(holder.full, wchoice(rng, [("plain_upper", 70), ("upper", 20), ("as", 10)])),
            "nid": R.drop("bank_transactions", R.typo(holder.cccd), 0.35),
            "tid": (holder.tax_ids[0][0] if holder.tax_ids and rng.random() < 0.15 else ""),
        }
        R.typo_log = []

    def random_cp(self, rng):
        sur = wchoice(rng, SURNAMES)
        male = rng.random() < 0.5
        nm = f"{sur} {rng.choice(MIDDLE_M if male else MIDDLE_F)} {rng.choice(GIVEN_M if male else GIVEN_F)}"
        bank = wchoice(rng, BANKS)
        return bank, account_number(rng, bank), strip_marks(nm).upper()

    def private_flow(self, p, bank, acc):
        """The holder's own non-trade credits and debits."""
        rng = self.rng
        if rng.random() < 0.4:  # salary
            emp = rng.choice(["CONG TY TNHH MAY VIET THANG", "CONG TY CP THUC PHAM AN LAC", "TRUONG THCS NGUYEN DU",
                              "CONG TY TNHH DIEN TU SAMSUNG", "BENH VIEN DA KHOA TINH", "UBND XA"])
            eb, ea = rng.choice(["VCB", "BIDV", "CTG"]), account_number(rng, "VCB")
            base = rng.randint(5_000, 15_000) * 1000
            for m in range(1, 13):
                d = dt.date(TAX_YEAR, m, min(28, rng.randint(1, 10)))
                self.bank_row(bank, acc, p, self.when(rng, d), base + rng.randint(-300, 300) * 1000, "credit", eb, ea,
                              emp, rng.choice([f"LUONG THANG {m:02d}/{TAX_YEAR}", f"tra luong T{m}",
                                               f"{emp} chi luong thang {m}"]), p.pid, ["private"])
        for _ in range(rng.randint(2, 14)):
            cb, ca, cn = self.random_cp(rng)
            desc = rng.choice(["me gui con", "chuyen tien", "con gui bo me", "tra no", "vay tien", "hoan tien don hang",
                               "gop tien quy lop", "dong hui thang", "tien mung cuoi", "anh gui", "ck", "tra tien an"])
            self.bank_row(bank, acc, p, self.when(rng), rng.randint(100, 8000) * 1000, "credit", cb, ca, cn, desc,
                          p.pid, ["private"])
        for _ in range(rng.randint(3, 18)):
            cb, ca, cn = self.random_cp(rng)
            desc = rng.choice(["tra tien nha", "thanh toan tien dien", "nap tien dien thoai", "chuyen tien",
                               "tra tien hang ncc", "rut tien ATM", "dong hoc phi", "tra gop"])
            self.bank_row(bank, acc, p, self.when(rng), rng.randint(50, 10000) * 1000, "debit", cb, ca, cn, desc,
                          p.pid, ["private"])

    # ---- --recycled-phone ---------------------------------------------------------------
    def recycle_phones(self):
        """A share of persons take a new number during the year (every form after that day gives it); the
        carrier re-issues the dropped number 2–5 months later to an unrelated person of the world (a seller
        4× as likely), who gives it on their own records from then on."""
        a, r = self.a, self.r_recycle
        if a.recycled_phone <= 0:
            return
        people = [p for p in self.persons
                  if p.phone == p.own_phone and not p.warehouse and "family_phone_owner" not in p.tags]
        changers = [p for p in people if r.random() < a.recycled_phone]
        taken = {p.pid for p in changers}
        # recipients in a weighted random order (Efraimidis–Spirakis keys), each used once
        keyed = []
        for q in people:
            w = 4.0 if q.seller and ("cod" in q.channels or "platform" in q.channels) else 1.0
            keyed.append((r.random() ** (1 / w), q.pid, q))
        pool = [q for _, _, q in sorted(keyed, reverse=True) if q.pid not in taken]
        for p in changers:
            since = dt.date(TAX_YEAR, 1, 15) + dt.timedelta(days=r.randrange(230))
            new = self.ids.make("phone", phone_number, r)
            reissued = min(since + dt.timedelta(days=r.randint(60, 150)), dt.date(TAX_YEAR, 12, 1))
            j = next((i for i, q in enumerate(pool[:50]) if q.family != p.family), None)
            q = pool.pop(j) if j is not None else None
            self.phone_tl[p.pid] = ("changer", since, new, q.pid if q else "")
            p.tags.add("phone_changer")
            if q is None:
                continue
            self.phone_tl[q.pid] = ("recipient", reissued, p.own_phone, p.pid)
            q.tags.add("phone_recipient")
            self.links[p.pid].add(f"phone_to:{q.pid}")
            self.links[q.pid].add(f"phone_from:{p.pid}")

    def phone_at(self, person, typed, day, where):
        """The phone cell of a record of day: typed (the number person gave before) or, after a change
        (--recycled-phone), the new number, typed once per place (where) as a clerk would. Returns the
        cell and the record's tags."""
        tl = self.phone_tl.get(person.pid) if person is not None and self.phone_tl else None
        if tl is None or not typed:
            return typed, []
        kind, since, number, other = tl
        if day < since:
            return typed, (["phone_dropped"] if kind == "changer" and other else [])
        ck = (person.pid, where)
        if ck not in self.phone_cache:
            self.phone_cache[ck] = self.render_recycle.phone(number)
        return self.phone_cache[ck], ["phone_new" if kind == "changer" else "phone_reissued"]

    # ---- --post-office --------------------------------------------------------------------
    def counters_in(self, prov_new):
        """The parcel counters of a (current) province, made on first use: the post office (VNPost), a
        Viettel Post counter, and one to three drop-off points of the other carriers."""
        if prov_new in self.counters:
            return self.counters[prov_new]
        r, R = self.r_post, self.render_post
        olds = [(x, x[3]) for x in PROVINCES if x[2] == prov_new]
        big = sum(w for _, w in olds) >= 5
        agents = [sorted(COUNTER_BRAND) if r.random() < 0.5 else sorted(r.sample(sorted(COUNTER_BRAND), r.randint(1, 3)))
                  for _ in range(r.randint(2, 3) if big else 1)]
        for c in sorted(COUNTER_BRAND):  # every carrier takes parcels somewhere in the province
            if not any(c in g for g in agents):
                agents[0].append(c)
        out = []
        for carriers in [["vnpost"], ["vtp"]] + [sorted(g) for g in agents]:
            x = wchoice(r, olds)
            home = self.make_home(r, x[2])
            place = home["district"].split(" ", 1)[1].replace("xã ", "").replace("phố ", "")
            place = home["ward"] if r.random() < 0.6 else (f"Quận {place}" if place.isdigit() else place)
            if carriers == ["vnpost"]:
                name = f"Bưu điện Văn hóa xã {home['ward']}" if home["rural"] else \
                    r.choice([f"Bưu cục {place}", f"Bưu điện {place}"])
            elif carriers == ["vtp"]:
                name = f"Bưu cục Viettel Post {place}"
            elif len(carriers) == 1:
                name = r.choice([f"Bưu cục {COUNTER_BRAND[carriers[0]]} {place}",
                                 f"Điểm giao nhận {COUNTER_BRAND[carriers[0]]} {place}"])
            else:
                name = r.choice([f"Điểm giao nhận {' - '.join(COUNTER_BRAND[c] for c in carriers)} {place}",
                                 f"Điểm gửi hàng {place}", f"Bưu cục {place}"])
            number = self.ids.make("phone", phone_number, r)
            addrs = [R.address(home, x[1], x[2], 0.7) for _ in range(2)]
            addrs.append(f"{name}, {addrs[0]}")
            out.append({"id": f"C{self.n_counters:03d}", "name": name, "carriers": carriers, "address": addrs,
                        "province": R.province(x[1], x[2], 0.7), "phone": R.phone(number), "senders": set()})
            self.n_counters += 1
        self.counters[prov_new] = out
        return out

    # ---- --cod-name-storm -----------------------------------------------------------------
    def storm_names(self, p, page):
        """The sender names a social seller writes on parcels besides her own: nickname and phone digits,
        "Shop <given>", the page name decorated, the given name alone, the name in plain capitals."""
        r = self.r_storm
        g, ph = p.given, p.phone
        title = "Anh" if p.male else "Chị"
        pg = page or r.choice([f"Tiệm nhà {g}", f"Nhà {g}", f"{g} Store"])
        e = r.choice(STORM_EMOJI)
        cands = [f"{g} {ph[:4]}", f"{g} {ph[-4:]}", f"{title} {g} {ph[-3:]}", f"Shop {g}",
                 f"shop {strip_marks(g).lower()}", f"{e} {pg} {e}", f"{e}{pg}{e}", f"★ {pg} ★", f"【{pg}】",
                 f"{strip_marks(g).upper()}-SHOP", strip_marks(pg).upper().replace(" ", "-"), g, f"{title} {g}",
                 strip_marks(p.full).upper(), f"Mẹ {r.choice(STORM_KIDS)}"]
        return r.sample(cands, r.randint(4, 7))

    # ---- --collector-account --------------------------------------------------------------
    def make_collectors(self):
        """A few COD collection intermediaries: companies whose account a warehouse names on its clients'
        parcels; the carriers pay it, it forwards each seller's cash. In the bank extract, registered."""
        r, R = self.r_coll, self.render_coll
        for i in range(4):
            name = COLLECTORS[i]
            c = Person(f"P9{i:05d}")
            c.male, c.surname, c.given, c.full, c.birth_year, c.cccd = False, "", "", name, 0, ""
            x = r.choice([y for y in PROVINCES if y[1] in ("Hà Nội", "Hồ Chí Minh")])
            c.prov_old, c.prov_new = x[1], x[2]
            c.home = self.make_home(r, x[2])
            c.home["rural"] = False
            c.phone = c.own_phone = self.ids.make("phone", phone_number, r)
            c.email = f"doisoat@{strip_marks(name).lower().split()[-2]}{strip_marks(name).lower().split()[-1]}.vn"
            c.family = c.household = None
            c.seller, c.group, c.channels, c.revenue, c.pattern = False, "services", {}, 0, "collector"
            c.reg_group, c.decl, c.nick = "", None, None
            bank = wchoice(r, BANKS)
            acc = self.ids.make("acct", lambda rr, b=bank: (b, account_number(rr, b)), r)[1]
            c.accounts.append((bank, acc))
            c.money_account = (bank, acc)
            tid = self.new_mst("0", r)
            self.bank_accounts[(bank, acc)] = {"holder": c, "extract": True, "style": {
                "name": strip_marks(name).upper(), "nid": "", "tid": tid if r.random() < 0.5 else ""}}
            c.info["collector"] = {"id": c.pid, "account": (bank, acc), "tid": tid, "fees": 0,
                                   "reg_on": dt.date(r.randint(2015, 2023), r.randint(1, 12), r.randint(1, 28)),
                                   "credits": defaultdict(int), "owed": defaultdict(lambda: defaultdict(int)),
                                   "clients": {}}
            c.tags.add("collector")
            self.collectors.append(c)

    def coll_bank_name(self, code):
        """The intermediary's bank on a waybill, typed as --bank-names says, from this knob's own stream."""
        if self.a.bank_names <= 0 or self.r_coll.random() >= self.a.bank_names:
            return code
        return self.r_coll.choice(BANK_NAMES[code])

    def collector_of(self, hub):
        """The intermediary a warehouse works with (a few big ones share the country's warehouses)."""
        w = hub.warehouse
        if "collector" not in w:
            w["collector"] = wchoice(self.r_coll, list(zip(self.collectors, [5, 3, 2, 1])))
        return w["collector"]

    def collector_flow(self, c):
        """The intermediary's account: the carriers' weekly credits for all its clients' parcels, and a
        weekly transfer to each seller (less 1.5 %) naming the seller or the warehouse."""
        r = self.r_coll
        k = c.info["collector"]
        bank, acc = k["account"]
        short = strip_marks(c.full).upper().replace("CONG TY TNHH ", "").replace("CONG TY CP ", "")
        for (carrier, wk), v in sorted(k["credits"].items()):
            d = min(dt.date(TAX_YEAR, 1, 1) + dt.timedelta(days=7 * wk + r.randint(3, 6)), dt.date(TAX_YEAR, 12, 31))
            desc = r.choice(CARRIER_REMIT_TEXT[carrier]).format(ref=r.randint(10**6, 10**8), d=d.strftime("%d/%m"))
            self.bank_row(bank, acc, c, self.when(r, d), v, "credit", "VCB", "1012345678999", CARRIER_COMPANY[carrier],
                          desc, c.pid, ["collector_account", "carrier_remit"], id_rng=r)
        for pid, weeks in sorted(k["owed"].items()):
            seller, hub = k["clients"][pid]
            sb, sa = seller.money_account
            holder = self.bank_accounts[(sb, sa)]["holder"] if (sb, sa) in self.bank_accounts else seller
            wname = strip_marks(hub.warehouse["name"]).upper()
            for wk, v in sorted(weeks.items()):
                d = min(dt.date(TAX_YEAR, 1, 1) + dt.timedelta(days=7 * wk + r.randint(6, 10)), dt.date(TAX_YEAR, 12, 31))
                fee = int(v * 0.015) // 1000 * 1000
                k["fees"] += fee
                desc = r.choice([f"{short} chi tra COD {strip_marks(seller.full).upper()} tuan {wk + 1}",
                                 f"TT thu ho COD kho {wname} - {strip_marks(seller.given)}",
                                 f"chuyen tien thu ho don hang {wname} {d:%d/%m}",
                                 f"DOI SOAT COD {strip_marks(seller.full).upper()} {r.randint(10**5, 10**7)}",
                                 f"tra tien thu ho tuan {wk + 1} KH {strip_marks(seller.given).upper()}"])
                when = self.when(r, d)
                self.bank_row(bank, acc, c, when, v - fee, "debit", sb, sa, strip_marks(holder.full).upper(), desc,
                              c.pid, ["collector_account", "collector_forward"], id_rng=r)
                if (sb, sa) in self.bank_accounts:
                    self.bank_row(sb, sa, seller, when, v - fee, "credit", bank, acc, strip_marks(c.full).upper(),
                                  desc, seller.pid,
                                  ["collector_forward"] + (["relative_account"] if seller.relative else []), id_rng=r)
        c.revenue = k["fees"]

    def register_collectors(self):
        """Each intermediary is a registered company that declares its fees."""
        R = self.render_coll
        for c in self.collectors:
            k = c.info["collector"]
            tid = k["tid"]
            c.tax_ids.append((tid, k["reg_on"], "active"))
            c.reg_group = "services"
            self.emit("taxpayers.csv", "taxpayers", {
                "tax_id": tid, "taxpayer_type": "enterprise", "name": c.full.upper(), "national_id": "",
                "phone": R.phone(c.phone), "email": c.email,
                "address": R.address(c.home, c.prov_old, c.prov_new, 0.5), "ward": "",
                "province": R.province(c.prov_old, c.prov_new, 0.6), "activity_group": "services",
                "registered_on": k["reg_on"].isoformat(), "status": "active"}, tid, c.pid, ["registry", "collector"])
            fees = k["fees"]
            self.rows["declarations.csv"].append({"tax_id": tid, "period": str(TAX_YEAR), "declared_revenue": fees,
                                                  "tax_paid": tax_rates_due(fees, "services"),
                                                  "filed_on": f"{TAX_YEAR + 1}-03-20"})
            c.decl = fees

    # ---- selling -------------------------------------------------------------------------
    def shop_name(self, rng, p):
        g = p.given
        if p.group == "goods":
            w = rng.choice(GOODS_WORDS)
        else:
            w = rng.choice(SERVICE_WORDS[p.group])
        return rng.choice([f"{w} {g}", f"Nhà {g}", f"{g} Shop", f"{g} Store", f"Tiệm {w.lower()} {g}",
                           f"{w} nhà {g}", f"{g}'s {w}", f"Shop {w.lower()} {g} {rng.randint(1, 99)}"])

    def season(self, rng):
        # month weights: Tết rush in Jan, lull in Feb, peaks in Sep–Dec
        w = [1.4, 0.7, 0.9, 0.9, 1.0, 0.9, 0.9, 1.0, 1.2, 1.3, 1.4, 1.5]
        return [x * rng.uniform(0.75, 1.25) for x in w]

    def sell(self):
        rng, R, a = self.rng, self.render, self.a
        sellers = [p for p in self.persons if p.seller]
        # fulfilment warehouses
        self.hubs = []
        if a.hub_share > 0:
            for h in range(a.hubs):
                op = self.new_person(self.r_hub)  # the operator: a person of the world
                op.pattern = "warehouse"
                op.group = "services"
                kind = wchoice(self.r_hub, [("brand", 45), ("person", 30), ("shoplike", 25)])
                if kind == "brand":
                    nm = self.r_hub.choice(WAREHOUSE_BRANDS)
                    x = self.r_hub.choice(WAREHOUSE_X)
                    nm = nm.replace("{x}", x).replace("{X}", x.upper())
                elif kind == "person":
                    nm = op.full
                else:
                    nm = self.r_hub.choice(SHOPLIKE_WAREHOUSE) + (f" {op.given}" if self.r_hub.random() < 0.5 else "")
                bank = wchoice(self.r_hub, BANKS)
                acc = self.ids.make("acct", lambda r, b=bank: (b, account_number(r, b)))[1]
                op.accounts.insert(0, (bank, acc))
                self.bank_accounts[(bank, acc)] = {"holder": op, "extract": False}
                depot = self.make_home(self.r_hub, op.prov_new)
                depot["rural"] = False
                op.warehouse = {"id": f"W{h:03d}", "name": nm, "kind": kind, "phone": op.own_phone, "depot": depot,
                                "account": (bank, acc), "carriers": [wchoice(self.r_hub, CARRIERS) for _ in range(2)],
                                "in_extract": self.r_hub.random() < 0.6, "fees": 0}
                op.tags.add("warehouse_operator")
                op.info["register"] = kind == "brand" or self.r_hub.random() < 0.6
                # many warehouses are sellers too: a wholesaler or a big shop that ships for small ones under
                # its own name, phone and account
                if self.r_hub.random() < a.hub_self_sell * (0.4 if kind == "brand" else 1.0):
                    op.seller = True
                    op.group = "goods"
                    op.revenue = int(math.exp(self.r_hub.gauss(math.log(400_000_000), 0.8)) // 1000 * 1000)
                    op.channels = {"cod": 0.75, "platform": 0.25} if self.r_hub.random() < 0.6 else {"cod": 1.0}
                    op.pattern = ("compliant" if op.info["register"] else "unregistered") \
                        if op.revenue > THRESHOLD else "below_threshold"
                    op.tags.add("warehouse_self_seller")
                    sellers.append(op)
                self.hubs.append(op)
            # hubs are regional: sellers choose one in their current province when there is one
            for p in sellers:
                if "cod" in p.channels and self.r_hub.random() < a.hub_share:
                    local = [h for h in self.hubs if h.prov_new == p.prov_new]
                    pool = local if local and self.r_hub.random() < 0.7 else self.hubs
                    p.hub = self.r_hub.choice(pool)
                    p.tags.add("hub_seller")
        # relatives' accounts: the seller's money goes to a relative's account
        if a.relative_account > 0:
            for p in sellers:
                if self.r_rel.random() < a.relative_account:
                    if p.household is None:
                        continue
                    fam = [q for q in self.households[p.household] if q is not p] or \
                          [q for q in self.persons if q.family == p.family and q is not p]
                    if not fam:
                        continue
                    rel = self.r_rel.choice(fam)
                    p.relative = rel
                    p.money_account = rel.accounts[0]
                    p.tags.add("relative_account")
                    rel.tags.add("relative_account_holder")
        for p in self.persons:
            if p.money_account is None:
                p.money_account = p.accounts[0]
        self.recycle_phones()
        # which accounts the State Bank branch extracted
        for p in self.persons:
            if p.warehouse:
                if p.warehouse["in_extract"]:
                    self.open_extract(*p.warehouse["account"])
            elif p.seller:
                if rng.random() < 0.75:
                    self.open_extract(*p.money_account)
                if len(p.accounts) > 1 and rng.random() < 0.3:
                    self.open_extract(*p.accounts[1])
            elif rng.random() < 0.2:
                self.open_extract(*p.accounts[0])
        for (bank, acc), info in sorted(self.bank_accounts.items()):
            if info["extract"]:
                self.private_flow(info["holder"], bank, acc)
        if self.a.collector_account > 0 and self.hubs:
            self.make_collectors()
        for p in sellers:
            self.sell_one(p)
        # warehouses forward the cash they collected (debits from the warehouse's account)
        for op in self.hubs:
            self.forward(op)
        # intermediaries too (--collector-account); they join the world's persons last (pids P9xxxxx)
        for c in self.collectors:
            self.collector_flow(c)
        self.persons.extend(self.collectors)

    def sell_one(self, p):
        rng, R = self.rng, self.render
        months = self.season(rng)
        mt = sum(months)
        tags = sorted(t for t in p.tags if t in ("common_name", "moved", "family_phone", "bookkeeper"))
        rev_sum = 0
        mbank, macc = p.money_account
        money_tag = ["relative_account"] if p.relative else []
        if "platform" in p.channels:
            rev_sum += self.platform(p, int(p.revenue * p.channels["platform"]), months, mt, tags, money_tag)
        if "cod" in p.channels:
            rev_sum += self.cod(p, int(p.revenue * p.channels["cod"]), months, mt, tags, money_tag)
        if "web" in p.channels:
            rev_sum += self.website(p, int(p.revenue * p.channels["web"]), months, mt, tags, money_tag)
        if "direct" in p.channels:
            amt = int(p.revenue * p.channels["direct"])
            n = max(1, min(250, amt // rng.randint(600_000, 3_000_000)))
            base = amt // n
            for i in range(n):
                v = base if i < n - 1 else amt - base * (n - 1)
                m = wchoice(rng, list(zip(range(1, 13), months)))
                d = dt.date(TAX_YEAR, m, rng.randint(1, 28))
                cb, ca, cn = self.random_cp(rng)
                desc = rng.choice([f"ck tien hang", f"thanh toan don {rng.randint(1, 400)}", f"{cn} chuyen tien",
                                   f"mua {rng.randint(1, 5)} {rng.choice(['ao', 'hop', 'bo', 'goi', 'chai'])}",
                                   "tt tien hang", f"MBVCB.{rng.randint(10**6, 10**7)}.{cn} chuyen khoan",
                                   "ck", f"coc {rng.choice(['phong', 'don hang', 'lich hen'])}"])
                if p.group == "property_lease":
                    desc = rng.choice([f"tien phong thang {m}", f"thue nha T{m}", "tien nha", desc])
                elif p.group == "services" and rng.random() < 0.4:
                    desc = rng.choice([f"dat lich spa", f"hoc phi khoa {m}", f"tien tour", desc])
                self.bank_row(mbank, macc, p, self.when(rng, d), v, "credit", cb, ca, cn, desc, p.pid,
                              ["trade"] + money_tag + tags)
            rev_sum += amt
        p.revenue = rev_sum

    def platform(self, p, amt, months, mt, tags, money_tag):
        rng, R = self.rng, self.render
        n_shops = 1 if rng.random() < 0.8 else rng.randint(2, 3)
        if p.pattern == "split_shops":
            n_shops = rng.randint(2, 4)
        fam = [q for q in self.persons if q.family == p.family and q is not p] if p.pattern == "split_shops" else []
        total = 0
        for s in range(n_shops):
            plat = wchoice(rng, PLATFORMS)
            sid = self.ids.make(("shop", plat), lambda r, pl=plat: {
                "shopee": lambda: str(r.randint(10**8, 10**9 - 1)), "tiktokshop": lambda: "7" + str(r.randint(10**11, 10**12 - 1))[:11],
                "lazada": lambda: str(r.randint(10**7, 2 * 10**8)), "tiki": lambda: str(r.randint(10**5, 10**6)),
                "sendo": lambda: str(r.randint(10**5, 10**7))}[pl]())
            share = 1 / n_shops
            shop_amt = int(amt * share)
            # whose papers: the seller's own, or (split) a relative's / a neighbour's
            owner = p
            if p.pattern == "split_shops" and s > 0:
                owner = rng.choice(fam) if fam and rng.random() < 0.7 else self.new_person(rng, surname=p.surname,
                                                                                         prov=None)
                if not owner.seller:
                    owner.tags.add("paper_owner")
            o_tags = ["nominee_shop"] if owner is not p else []
            pay_bank, pay_acc = p.money_account
            if owner is not p and rng.random() < 0.5:
                pay_bank, pay_acc = owner.accounts[0]
                self.open_extract(pay_bank, pay_acc) if rng.random() < 0.3 else None
                o_tags.append("owner_account")
            name = self.shop_name(rng, p)
            oname = R.name(owner.full, wchoice(rng, [("as", 60), ("given_first", 10), ("plain", 15), ("upper", 10),
                                                     ("lower", 5)]))
            nid = R.drop("platform_sellers", R.typo(owner.cccd), 0.45)
            tid = R.drop("platform_sellers", R.typo(owner.tax_ids[0][0]) if owner.tax_ids else "", 0.4)
            ph_person = p if owner is p or rng.random() < 0.5 else owner
            phone = R.drop("platform_sellers", R.phone(ph_person.phone), 0.05)
            email = self.bookkeepers[p.bookkeeper] if p.bookkeeper is not None and rng.random() < 0.5 else \
                (p.email or f"{strip_marks(name).lower().replace(' ', '').replace(chr(39), '')}@gmail.com")
            email = R.drop("platform_sellers", email, 0.1)
            addr = R.address(p.home, p.prov_old, p.prov_new, 0.6)
            prov = R.province(p.prov_old, p.prov_new, 0.7) if rng.random() < 0.9 else ""
            stags = R.typo_log
            R.typo_log = []
            start = 1 if rng.random() < 0.8 else rng.randint(2, 10)
            mw = months[start - 1:]
            mtot = sum(mw)
            withholds = plat in WITHHOLDING_PLATFORMS
            wr = sum(RATES[p.group]) if rng.random() < 0.85 else sum(RATES["goods"])
            cod_budget = shop_amt * rng.uniform(0.1, 0.35)
            for m in range(start, 13):
                gmv = int(shop_amt * mw[m - start] / mtot) // 1000 * 1000
                orders = max(1, gmv // rng.randint(150_000, 450_000)) if gmv else 0
                wh = int(gmv * wr) if withholds and m >= 7 else (0 if rng.random() < 0.5 else "")
                if wh:
                    p.withheld += wh
                mphone, ptags = self.phone_at(ph_person, phone, dt.date(TAX_YEAR, m, 1), f"shop:{plat}:{sid}")
                R.typo_log = list(stags)
                key = f"{plat}:{sid}:{TAX_YEAR}-{m:02d}"
                self.emit("platform_sellers.csv", "platform_sellers", {
                    "platform": plat, "shop_id": sid, "shop_name": name, "owner_name": oname,
                    "owner_national_id": nid, "owner_tax_id": tid, "phone": mphone, "email": email,
                    "address": addr, "province": prov, "payout_bank": self.bank_name(pay_bank), "payout_account": pay_acc,
                    "period": f"{TAX_YEAR}-{m:02d}", "gmv": gmv, "orders": orders, "tax_withheld": wh,
                }, key, p.pid, ["shop"] + o_tags + tags + ptags)
                total += gmv
                # payout into the payout account, net of fees and withheld tax
                if gmv:
                    pay = int(gmv * rng.uniform(0.86, 0.93)) - (wh or 0)
                    d = dt.date(TAX_YEAR if m < 12 else TAX_YEAR, m, rng.randint(5, 25))
                    desc = rng.choice([f"{plat.upper()} thanh toan doanh thu T{m:02d}/{TAX_YEAR} {sid}",
                                       f"{plat.capitalize()} chuyen tien ban hang shop {sid} thang {m}",
                                       f"{PLATFORM_COMPANY[plat]} TT doanh thu {sid}"])
                    if (pay_bank, pay_acc) in self.bank_accounts:
                        self.bank_row(pay_bank, pay_acc, p, self.when(rng, d), pay, "credit", *PLATFORM_ACCOUNT[plat],
                                      PLATFORM_COMPANY[plat], desc, p.pid,
                                      ["payout"] + money_tag + o_tags + tags)
            # a share of the shop's orders are COD parcels whose cash the carrier pays to the platform
            self.marketplace_parcels(p, plat, name, phone, int(cod_budget), tags + o_tags, ph_person, f"mp:{plat}:{sid}")
        return total

    def marketplace_parcels(self, p, plat, shop_name, phone, budget, tags, ph_person=None, where=""):
        rng, R = self.rng, self.render
        if budget <= 0:
            return
        n = max(1, min(40, budget // 300_000))
        carrier = "spx" if plat == "shopee" and rng.random() < 0.7 else wchoice(rng, CARRIERS)
        coll_bank, coll_acc = PLATFORM_ACCOUNT[plat]
        addr = R.address(p.home, p.prov_old, p.prov_new, 0.7)
        prov = R.province(p.prov_old, p.prov_new, 0.7)
        ptags = ["marketplace_parcel"]
        if p.hub and self.a.hub_marketplace > 0 and self.r_hub.random() < self.a.hub_marketplace:
            # the warehouse packs and books the shop's marketplace orders too: the shop's name (or the
            # warehouse's) as sender, the warehouse's phone, its depot (or the seller's home) as pickup
            rh, w = self.r_hub, p.hub.warehouse
            carrier = "spx" if plat == "shopee" and rh.random() < 0.7 else rh.choice(w["carriers"])
            shop_name = shop_name if rh.random() < 0.6 else w["name"]
            phone = R.phone(w["phone"], 0.1)
            if rh.random() < 0.7:
                addr = R.address(w["depot"], p.hub.prov_old, p.hub.prov_new, 0.7)
                prov = R.province(p.hub.prov_old, p.hub.prov_new, 0.8)
            R.typo_log = []
            ptags += ["hub_parcel", "hub_marketplace"]
            ph_person = None  # the warehouse's phone
        for _ in range(n):
            d = dt.date(TAX_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
            dphone, xtags = self.phone_at(ph_person, phone, d, where)
            wb = self.waybill(carrier)
            self.emit(f"cod_shipments_{carrier}.csv", "cod_shipments", {
                "carrier": carrier, "waybill": wb, "sender_name": shop_name, "sender_phone": dphone,
                "sender_address": addr, "sender_province": prov, "picked_up_on": d.isoformat(),
                "cod_amount": rng.randint(60, 900) * 1000,
                "status": wchoice(rng, [("delivered", 88), ("returned", 9), ("cancelled", 3)]),
                "remit_bank": self.bank_name(coll_bank), "remit_account": coll_acc,
            }, f"{carrier}:{wb}", p.pid, ptags + tags + xtags)

    def waybill(self, carrier):
        def f(r):
            D = lambda n: "".join(r.choice("0123456789") for _ in range(n))  # noqa: E731
            A = lambda n: "".join(r.choice("ABCDEFGHJKLMNPQRTUVWXY3467") for _ in range(n))  # noqa: E731
            return {"ghn": lambda: "L" + A(7), "ghtk": lambda: f"S{D(8)}.{r.choice(['SG', 'HN', 'DN', 'MT'])}{D(1)}",
                    "vtp": lambda: "1" + D(12), "jnt": lambda: "8" + D(11), "spx": lambda: "SPXVN0" + D(11),
                    "vnpost": lambda: f"E{r.choice('BEL')}{D(9)}VN"}[carrier]()
        return self.ids.make(("wb", carrier), f)

    def cod(self, p, amt, months, mt, tags, money_tag):
        """Social selling shipped COD: the seller books, or a fulfilment warehouse books in its own name."""
        rng, R = self.rng, self.render
        carriers = [wchoice(rng, CARRIERS)]
        if rng.random() < 0.35:
            carriers.append(wchoice(rng, CARRIERS))
        page = self.shop_name(rng, p) if rng.random() < 0.5 else None
        sender_names = [R.name(p.full, wchoice(rng, [("as", 60), ("upper", 10), ("plain", 15), ("lower", 5),
                                                     ("given_first", 5), ("spaces", 5)]))]
        if page:
            sender_names.append(page)
        own_addr = R.address(p.home, p.prov_old, p.prov_new, 0.7)
        own_prov = R.province(p.prov_old, p.prov_new, 0.7) if rng.random() < 0.85 else ""
        own_phone = R.phone(p.phone)
        if p.warehouse:  # a warehouse that sells too books its own parcels as it books everyone's
            w = p.warehouse
            carriers = list(w["carriers"])
            sender_names = [w["name"], w["name"], R.name(p.full, "as")]
            own_phone = R.phone(w["phone"], 0.1)
            own_addr = R.address(w["depot"], p.prov_old, p.prov_new, 0.7)
        base_tags = R.typo_log
        R.typo_log = []
        # --cod-name-storm: the seller writes other names on many of her own parcels
        storm = None
        if self.a.cod_name_storm > 0 and not p.warehouse and self.r_storm.random() < self.a.cod_name_storm:
            storm = self.storm_names(p, page)
            storm_share = self.r_storm.uniform(0.5, 0.85)
            p.tags.add("name_storm_seller")
        # --post-office: the seller drops her own parcels at a counter of her province, one per carrier
        counter_of = None
        if self.a.post_office > 0 and not p.warehouse and self.r_post.random() < self.a.post_office:
            here = self.counters_in(p.prov_new)
            counter_of = {c: self.r_post.choice([k for k in here if c in k["carriers"]]) for c in sorted(set(carriers))}
            counter_share = self.r_post.uniform(0.7, 1.0)
            p.tags.add("counter_sender")
        hub = p.hub
        avg = rng.randint(150, 700) * 1000
        n = max(3, min(300, amt // avg))
        delivered_total = 0
        weekly = defaultdict(lambda: defaultdict(int))  # (carrier, remit acct) -> week -> amount
        hub_addr = hub_prov = hub_phone = None
        if hub:
            w = hub.warehouse
            hub_addr = R.address(w["depot"], hub.prov_old, hub.prov_new, 0.7)
            hub_prov = R.province(hub.prov_old, hub.prov_new, 0.8)
            hub_phone = R.phone(w["phone"], 0.1)
            R.typo_log = []
            remit_mode = wchoice(self.r_hub, list(zip(("seller", "warehouse", "missing"), self.a.hub_remit)))
            pickup_seller = self.r_hub.random() < self.a.hub_pickup_seller
            hub_name_variant = w["name"] if self.r_hub.random() < 0.8 else strip_marks(w["name"]).upper()
            # --collector-account: the warehouse names its intermediary's account on this seller's parcels in place
            # of its own or of none (a seller paid directly keeps her account): drawn so that the share of
            # warehouse parcels is the knob's (at most the warehouse's and none's weights, 60 % by default)
            hr = self.a.hub_remit
            not_seller = (hr[1] + hr[2]) / sum(hr) if sum(hr) > 0 else 0
            if self.collectors and remit_mode != "seller" and \
                    self.r_coll.random() < self.a.collector_account / max(not_seller, 1e-9):
                remit_mode = "collector"
                coll = self.collector_of(hub)
                p.tags.add("collector_client")
                self.links[p.pid].add(f"collector:{coll.pid}")
        amounts = [max(20_000, int(rng.lognormvariate(math.log(avg), 0.5)) // 1000 * 1000) for _ in range(n)]
        scale = amt / max(1, sum(amounts))
        for i in range(n):
            m = wchoice(rng, list(zip(range(1, 13), months)))
            d = dt.date(TAX_YEAR, m, rng.randint(1, 28))
            v = max(10_000, int(amounts[i] * scale) // 1000 * 1000)
            status = wchoice(rng, [("delivered", 85), ("returned", 11), ("cancelled", 4)])
            via_hub = hub is not None and self.r_hub.random() < self.a.hub_parcel_share
            if via_hub:
                w = hub.warehouse
                carrier = self.r_hub.choice(w["carriers"])
                name = hub_name_variant if self.r_hub.random() > self.a.hub_seller_name else (page or sender_names[0])
                phone = hub_phone
                addr, prov = (own_addr, own_prov) if pickup_seller else (hub_addr, hub_prov)
                if remit_mode == "seller":
                    rb, ra = p.money_account
                elif remit_mode == "warehouse":
                    rb, ra = w["account"]
                elif remit_mode == "collector":
                    rb, ra = coll.info["collector"]["account"]
                else:
                    rb, ra = "", ""
                ptags = ["hub_parcel", f"hub_remit_{remit_mode}", "hub_pickup_" + ("seller" if pickup_seller else "depot")]
                if remit_mode == "seller":
                    ptags += money_tag
                elif remit_mode == "collector":
                    ptags.append("collector_remit")
            else:
                carrier = rng.choice(carriers)
                name = rng.choice(sender_names)
                phone, addr, prov = own_phone, own_addr, own_prov
                rb, ra = p.money_account
                ptags = ["cod_own"] + money_tag + base_tags
                if self.phone_tl:
                    phone, xt = self.phone_at(p, phone, d, "cod")
                    ptags = ptags + xt
                if storm and self.r_storm.random() < storm_share:
                    name = self.r_storm.choice(storm)
                    ptags.append("name_storm")
                if counter_of and self.r_post.random() < counter_share:
                    k = counter_of[carrier]
                    addr, prov = self.r_post.choice(k["address"]), k["province"]
                    ptags.append("post_office")
                    k["senders"].add(p.pid)
                    self.links[p.pid].add(f"counter:{k['id']}")
                    if self.r_post.random() < 0.3:  # the clerk types the counter's own phone
                        phone = k["phone"]
                        ptags = [t for t in ptags if not t.startswith("phone_")] + ["counter_phone"]
            wb = self.waybill(carrier)
            self.emit(f"cod_shipments_{carrier}.csv", "cod_shipments", {
                "carrier": carrier, "waybill": wb, "sender_name": name, "sender_phone": phone,
                "sender_address": addr, "sender_province": prov, "picked_up_on": d.isoformat(),
                "cod_amount": v, "status": status,
                "remit_bank": self.coll_bank_name(rb) if via_hub and remit_mode == "collector" else self.bank_name(rb),
                "remit_account": ra,
            }, f"{carrier}:{wb}", p.pid, ptags + tags)
            if status == "delivered":
                delivered_total += v
                week = min(51, (d - dt.date(TAX_YEAR, 1, 1)).days // 7)
                if via_hub and remit_mode == "collector":
                    k = coll.info["collector"]
                    k["credits"][(carrier, week)] += v
                    k["owed"][p.pid][week] += v
                    k["clients"][p.pid] = (p, hub)
                elif via_hub and remit_mode != "seller":
                    w = hub.warehouse
                    weekly[(carrier, w["account"], "hub")][week] += v
                    w.setdefault("owed", defaultdict(lambda: defaultdict(int)))[p.pid][week] += v
                    w.setdefault("sellers", {})[p.pid] = p
                else:
                    weekly[(carrier, (rb, ra), "own")][week] += v
        # carriers remit weekly to the account on the waybill
        for (carrier, (rb, ra), kind), weeks in sorted(weekly.items()):
            if (rb, ra) not in self.bank_accounts:
                continue
            holder = self.bank_accounts[(rb, ra)]["holder"]
            owner = p if kind == "own" else holder
            # money into the seller's (or relative's) account belongs to the seller; the warehouse's own account
            # receives the cash of many sellers: each remittance is summed over sellers below in forward()
            if kind == "hub":
                continue
            for wk, v in sorted(weeks.items()):
                d = dt.date(TAX_YEAR, 1, 1) + dt.timedelta(days=7 * wk + rng.randint(3, 9))
                if d.year > TAX_YEAR:
                    d = dt.date(TAX_YEAR, 12, 31)
                ref = rng.randint(10**6, 10**8)
                desc = rng.choice(CARRIER_REMIT_TEXT[carrier]).format(ref=ref, d=d.strftime("%d/%m"))
                self.bank_row(rb, ra, holder, self.when(rng, d), v - rng.randint(0, 3) * 1000 * min(10, len(weeks)),
                              "credit", "VCB", "1012345678999", CARRIER_COMPANY[carrier], desc, owner.pid,
                              ["carrier_remit"] + (["hub_parcel"] if p.hub else []) + money_tag + tags)
        return delivered_total

    def forward(self, op):
        """The warehouse's account: carrier credits summed over its sellers, and weekly forwards to each seller."""
        rng = self.r_hub
        w = op.warehouse
        bank, acc = w["account"]
        owed = w.get("owed", {})
        per_week = defaultdict(int)
        for pid, weeks in owed.items():
            for wk, v in weeks.items():
                per_week[wk] += v
        for wk, v in sorted(per_week.items()):
            d = dt.date(TAX_YEAR, 1, 1) + dt.timedelta(days=7 * wk + rng.randint(3, 6))
            d = min(d, dt.date(TAX_YEAR, 12, 31))
            carrier = w["carriers"][0]
            desc = rng.choice(CARRIER_REMIT_TEXT[carrier]).format(ref=rng.randint(10**6, 10**8), d=d.strftime("%d/%m"))
            self.bank_row(bank, acc, op, self.when(rng, d), v, "credit", "VCB", "1012345678999",
                          CARRIER_COMPANY[carrier], desc, op.pid, ["hub_account", "carrier_remit"])
        for pid, weeks in sorted(owed.items()):
            seller = w["sellers"][pid]
            sb, sa = seller.money_account
            for wk, v in sorted(weeks.items()):
                d = dt.date(TAX_YEAR, 1, 1) + dt.timedelta(days=7 * wk + rng.randint(6, 10))
                d = min(d, dt.date(TAX_YEAR, 12, 31))
                fee = int(v * 0.05) // 1000 * 1000
                w["fees"] += fee
                desc = rng.choice([f"{strip_marks(w['name']).upper()} tra tien hang tuan {wk + 1}",
                                   f"tra tien COD tuan {wk + 1}", f"chuyen tien thu ho {d:%d/%m}",
                                   f"kho tra tien don {seller.given}"])
                when = self.when(rng, d)
                # debit on the warehouse's statement (the warehouse's record), credit on the seller's
                self.bank_row(bank, acc, op, when, v - fee, "debit", sb, sa, strip_marks(seller.full).upper(), desc,
                              op.pid, ["hub_account", "hub_forward"])
                if (sb, sa) in self.bank_accounts:
                    self.bank_row(sb, sa, seller, when, v - fee, "credit", bank, acc,
                                  strip_marks(w["name"]).upper(), desc, seller.pid,
                                  ["hub_forward"] + (["relative_account"] if seller.relative else []))
        if not op.seller:
            op.revenue = w["fees"]

    def website(self, p, amt, months, mt, tags, money_tag):
        rng, R = self.rng, self.render
        base = strip_marks(self.shop_name(rng, p)).lower()
        base = "".join(c for c in base if c.isalnum())[:20] or f"shop{p.given}"
        dom = self.ids.make("domain", lambda r: base + ("" if r.random() < 0.5 else str(r.randint(1, 99))) +
                            r.choice([".vn", ".com", ".com.vn", ".net", ".shop"]))
        if rng.random() < 0.6:  # notified to the ministry
            owner = p
            if p.relative and rng.random() < 0.5:
                owner = p.relative
            typed = rng.choice([dom, f"https://www.{dom}/", f"WWW.{dom.upper()}", f"{dom}:443/lien-he", f"http://{dom}"])
            kind = "service_website" if p.group != "goods" and rng.random() < 0.6 else "sales_website"
            row = {
                "domain": typed, "kind": kind, "owner_name": R.name(owner.full, rng.choice(["as", "plain", "upper"])),
                "owner_tax_id": R.drop("websites", R.typo(owner.tax_ids[0][0]) if owner.tax_ids else "", 0.2),
                "owner_national_id": R.drop("websites", R.typo(owner.cccd), 0.3),
                "phone": R.drop("websites", R.phone(owner.phone), 0.1), "email": rng.choice([f"cskh@{dom}", owner.email]),
                "address": R.drop("websites", R.address(owner.home, owner.prov_old, owner.prov_new, 0.6), 0.2),
                "province": R.province(owner.prov_old, owner.prov_new, 0.6),
                "notified_on": dt.date(rng.randint(2016, 2025), rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
                "status": wchoice(rng, [("notified", 45), ("registered", 45), ("revoked", 10)]),
            }
            row["phone"], xt = self.phone_at(owner, row["phone"], dt.date.fromisoformat(row["notified_on"]), f"web:{dom}")
            self.emit("websites.csv", "websites", row, dom, p.pid,
                      ["website"] + (["relative_account"] if owner is not p else []) + tags + xt)
        # weekly gateway settlements
        mbank, macc = p.money_account
        weeks = rng.sample(range(52), rng.randint(10, 52))
        per = amt // len(weeks)
        for wk in sorted(weeks):
            d = dt.date(TAX_YEAR, 1, 1) + dt.timedelta(days=7 * wk + rng.randint(0, 6))
            d = min(d, dt.date(TAX_YEAR, 12, 31))
            self.bank_row(mbank, macc, p, self.when(rng, d), per, "credit", "VCB", "1000222333444", GATEWAY[1],
                          f"{GATEWAY[0]} TT don hang {dom} {rng.randint(1, 999)}", p.pid,
                          ["trade", "gateway"] + money_tag + tags)
        return per * len(weeks)

    # ---- warehouse operators in the registry --------------------------------------------
    def register_hubs(self):
        rng, R = self.r_hub, self.render
        for op in self.hubs:
            w = op.warehouse
            if w["kind"] == "brand":
                tid = self.new_mst("0")
                name = "CÔNG TY TNHH " + w["name"].upper()
                typ = "enterprise"
            else:
                tid, name, typ = self.new_mst(), "HKD " + w["name"], "household"
            if not op.info["register"]:
                continue  # an unregistered warehouse
            op.tax_ids.append((tid, dt.date(rng.randint(2018, 2024), rng.randint(1, 12), 1), "active"))
            op.reg_group = "services"
            self.emit("taxpayers.csv", "taxpayers", {
                "tax_id": tid, "taxpayer_type": typ, "name": name, "national_id": op.cccd if typ != "enterprise" else "",
                "phone": R.phone(w["phone"]), "email": "", "address": R.address(w["depot"], op.prov_old, op.prov_new, 0.5),
                "ward": "", "province": R.province(op.prov_old, op.prov_new, 0.6), "activity_group": "services",
                "registered_on": op.tax_ids[0][1].isoformat(), "status": "active"}, tid, op.pid, ["registry", "warehouse"])
            R.typo_log = []
            fees = w["fees"] + (int(op.revenue * rng.uniform(0.97, 1.0)) // 1000 * 1000 if op.seller else 0)
            self.rows["declarations.csv"].append({"tax_id": tid, "period": str(TAX_YEAR), "declared_revenue": fees,
                                                  "tax_paid": max(0, tax_rates_due(fees, "services") - op.withheld),
                                                  "filed_on": f"{TAX_YEAR + 1}-03-15"})
            op.decl = fees

    # ---- output --------------------------------------------------------------------------
    def write(self, out):
        os.makedirs(os.path.join(out, "truth"), exist_ok=True)
        cols = {
            "taxpayers": ["tax_id", "taxpayer_type", "name", "national_id", "phone", "email", "address", "ward",
                          "province", "activity_group", "registered_on", "status"],
            "declarations": ["tax_id", "period", "declared_revenue", "tax_paid", "filed_on"],
            "platform_sellers": ["platform", "shop_id", "shop_name", "owner_name", "owner_national_id", "owner_tax_id",
                                 "phone", "email", "address", "province", "payout_bank", "payout_account", "period",
                                 "gmv", "orders", "tax_withheld"],
            "websites": ["domain", "kind", "owner_name", "owner_tax_id", "owner_national_id", "phone", "email",
                         "address", "province", "notified_on", "status"],
            "cod_shipments": ["carrier", "waybill", "sender_name", "sender_phone", "sender_address", "sender_province",
                              "picked_up_on", "cod_amount", "status", "remit_bank", "remit_account"],
            "bank_transactions": ["bank", "account", "holder_name", "holder_national_id", "holder_tax_id", "txn_id",
                                  "booked_at", "amount", "direction", "counterparty_bank", "counterparty_account",
                                  "counterparty_name", "description"],
        }
        counts = {}
        for fname in sorted(self.rows):
            src = next(s for s in cols if fname.startswith(s))
            with open(os.path.join(out, fname), "w", newline="", encoding="utf-8") as f:
                wr = csv.DictWriter(f, fieldnames=cols[src], lineterminator="\n")
                wr.writeheader()
                wr.writerows(self.rows[fname])
            counts[fname] = len(self.rows[fname])
        with open(os.path.join(out, "truth", "records.csv"), "w", newline="", encoding="utf-8") as f:
            wr = csv.writer(f, lineterminator="\n")
            wr.writerow(["source", "record_key", "person_id"])
            wr.writerows(self.truth)
        with open(os.path.join(out, "truth", "record_tags.csv"), "w", newline="", encoding="utf-8") as f:
            wr = csv.writer(f, lineterminator="\n")
            wr.writerow(["source", "record_key", "tags"])
            wr.writerows(self.tags)
        patterns = defaultdict(int)
        with open(os.path.join(out, "truth", "persons.csv"), "w", newline="", encoding="utf-8") as f:
            wr = csv.writer(f, lineterminator="\n")
            wr.writerow(["person_id", "undeclared", "true_revenue", "true_tax_due", "pattern", "activity_group"])
            for p in self.persons:
                pat = p.pattern
                if pat == "offline":
                    pat = "compliant"
                if pat in ("warehouse", "collector"):
                    pat = "compliant"
                g = p.group if (p.seller or p.pattern in ("offline", "warehouse", "collector")) else ""
                due = tax_rates_due(p.revenue, g) if g else 0
                hidden = pat in ("unregistered", "under_declaring", "just_under_threshold", "stopped_filing",
                                 "split_shops") and p.revenue > THRESHOLD
                patterns[pat] += 1
                wr.writerow([p.pid, 1 if hidden else 0, p.revenue if g else 0, due, pat, g])
        # a column of links (recycled phone, counters, collector) only when one of the later knobs is on
        links = any(getattr(self.a, k) > 0 for k in NEW_KNOBS)
        with open(os.path.join(out, "truth", "person_info.csv"), "w", newline="", encoding="utf-8") as f:
            wr = csv.writer(f, lineterminator="\n")
            wr.writerow(["person_id", "name_key", "province", "household", "family", "hub", "relative",
                         "bookkeeper", "phone_shared_from", "tags"] + (["links"] if links else []))
            for p in self.persons:
                wr.writerow([p.pid, strip_marks(p.full).lower(), p.prov_new, p.household, p.family,
                             p.hub.warehouse["id"] if p.hub else (p.warehouse["id"] if p.warehouse else ""),
                             p.relative.pid if p.relative else "",
                             "" if p.bookkeeper is None else p.bookkeeper,
                             "" if p.phone == p.own_phone else p.phone, "|".join(sorted(p.tags))]
                            + (["|".join(sorted(self.links.get(p.pid, ())))] if links else []))
        manifest = {"generator": "bench/indep/gen.py", "seed": self.a.seed, "persons": len(self.persons),
                    "tax_year": TAX_YEAR, "knobs": {k: v for k, v in vars(self.a).items()
                                                    if k not in ("out",) and not (k in NEW_KNOBS and not v)},
                    "files": counts, "patterns": dict(sorted(patterns.items()))}
        with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2, ensure_ascii=False)
            f.write("\n")
        return manifest

    def knob_stats(self):
        """What the later knobs did (printed, not written: the files stay as they were)."""
        st = {}
        if self.a.recycled_phone > 0:
            kinds = [tl[0] for tl in self.phone_tl.values()]
            st["persons_changed_phone"] = kinds.count("changer")
            st["numbers_reissued"] = kinds.count("recipient")
        if self.a.post_office > 0:
            cs = [k for v in self.counters.values() for k in v]
            st["counters"] = len(cs)
            st["counters_with_2+_senders"] = sum(1 for k in cs if len(k["senders"]) > 1)
            st["max_senders_at_a_counter"] = max((len(k["senders"]) for k in cs), default=0)
            st["sellers_at_counters"] = len({s for k in cs for s in k["senders"]})
        if self.a.collector_account > 0:
            st["collectors"] = {c.pid: {"clients": len(c.info["collector"]["clients"]),
                                        "warehouses": len({h.pid for _, h in c.info["collector"]["clients"].values()}),
                                        "fees": c.info["collector"]["fees"]} for c in self.collectors}
        tags = defaultdict(int)
        for src, _, t in self.tags:
            for x in t.split("|"):
                if x in NEW_RECORD_TAGS:
                    tags[f"{src}:{x}"] += 1
        if tags:
            st["records_by_tag"] = dict(sorted(tags.items()))
        return st


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--persons", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--hub-share", type=float, default=0.0, help="share of COD sellers behind a fulfilment warehouse")
    ap.add_argument("--hubs", type=int, default=30, help="number of fulfilment warehouses")
    ap.add_argument("--hub-self-sell", type=float, default=0.4,
                    help="share of warehouses (named after a person or a shop) whose operator sells too")
    ap.add_argument("--hub-marketplace", type=float, default=0.0,
                    help="share of a hub seller's shops whose marketplace COD parcels the warehouse books")
    ap.add_argument("--bank-names", type=float, default=0.0,
                    help="share of payout_bank / remit_bank cells typed as a brand or legal name, not the code")
    ap.add_argument("--hub-remit", type=lambda v: [float(x) for x in v.split(",")], default=[40, 40, 20],
                    help="weights of the account on a warehouse parcel: seller's,warehouse's,none")
    ap.add_argument("--hub-pickup-seller", type=float, default=0.7,
                    help="share of hub sellers whose warehouse parcels name the seller's home as pickup place")
    ap.add_argument("--hub-parcel-share", type=float, default=0.9, help="share of a hub seller's parcels the hub books")
    ap.add_argument("--hub-seller-name", type=float, default=0.15,
                    help="share of hub parcels naming the seller's page as sender")
    ap.add_argument("--family-phone", type=float, default=0.0, help="share of persons using the family head's phone")
    ap.add_argument("--relative-account", type=float, default=0.0,
                    help="share of sellers whose money goes to a relative's account")
    ap.add_argument("--bookkeeper", type=float, default=0.0, help="share of persons whose forms carry a bookkeeper's e-mail")
    ap.add_argument("--typo", type=float, default=0.0, help="share of identifier cells with a digit typo")
    ap.add_argument("--missing", type=float, default=0.0, help="extra share of identifier cells left empty")
    ap.add_argument("--common-names", type=float, default=0.0, help="share of persons with a very common full name")
    ap.add_argument("--moves", type=float, default=0.0, help="share of persons who moved province")
    ap.add_argument("--recycled-phone", type=float, default=0.0,
                    help="share of persons who change phone during the year; the dropped number is re-issued "
                         "to an unrelated person")
    ap.add_argument("--post-office", type=float, default=0.0,
                    help="share of social COD sellers dropping parcels at a post-office / carrier counter")
    ap.add_argument("--cod-name-storm", type=float, default=0.0,
                    help="share of social COD sellers writing many other sender names on their parcels")
    ap.add_argument("--collector-account", type=float, default=0.0,
                    help="share of hub sellers whose warehouse parcels name a COD collection intermediary's account")
    a = ap.parse_args()
    w = World(a)
    w.build_people()
    w.build_sellers()
    w.assign_tax_ids()
    w.sell()
    w.build_registry()
    w.declare()
    w.register_hubs()
    w.register_collectors()
    m = w.write(a.out)
    print(json.dumps({"persons": m["persons"], "rows": sum(m["files"].values()), "patterns": m["patterns"]}))
    st = w.knob_stats()
    if st:
        print(json.dumps(st, ensure_ascii=False))


if __name__ == "__main__":
    main()
