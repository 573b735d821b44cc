"""Closed lists of the platform's drop-downs."""

from __future__ import annotations

COUNTRIES: list[str] = [
    "日本", "韓國", "美國", "加拿大", "英國", "法國", "德國", "義大利", "西班牙", "荷蘭",
    "瑞士", "瑞典", "澳大利亞", "紐西蘭", "印度", "不丹", "尼泊爾", "泰國", "越南", "菲律賓",
    "印尼", "馬來西亞", "新加坡", "緬甸", "巴西", "阿根廷", "墨西哥", "智利", "南非", "以色列",
    "土耳其", "俄羅斯", "烏克蘭", "波蘭", "捷克", "奧地利", "比利時", "愛爾蘭", "葡萄牙", "丹麥",
]  # fmt: skip
GENDERS: list[str] = ["男", "女"]
MARITAL_STATUSES: list[str] = ["未婚", "已婚", "離婚", "喪偶"]
EDUCATION_LEVELS: list[str] = ["博士", "碩士", "學士", "專科", "高中", "國中", "國小"]
COLLECT_METHODS: list[str] = ["自取(在臺灣領證)", "郵寄(限寄送臺灣地址)"]
SERVICE_STATIONS: list[str] = [
    "基隆市服務站", "臺北市服務站", "新北市服務站", "新北市第二服務站", "桃園市服務站",
    "新竹市服務站", "新竹縣服務站", "苗栗縣服務站", "臺中市服務站", "臺中市第二服務站",
    "彰化縣服務站", "南投縣服務站", "雲林縣服務站", "嘉義市服務站", "嘉義縣服務站",
    "臺南市服務站", "臺南市第二服務站", "高雄市服務站", "高雄市第二服務站", "屏東縣服務站",
    "宜蘭縣服務站", "花蓮縣服務站", "臺東縣服務站", "澎湖縣服務站", "金門縣服務站",
    "連江縣服務站",
]  # fmt: skip
# Mail from these domains does not reliably reach the agency (the tutorial's warning).
MAINLAND_MAIL_DOMAINS: tuple[str, ...] = (
    ".cn", "qq.com", "163.com", "126.com", "sina.com", "sohu.com", "yeah.net", "aliyun.com",
)  # fmt: skip
