"""Plausible Chinese names, phone numbers and credit codes for demo companies and people.

Everything is drawn from a ``random.Random`` passed in, so a seed gives the same data every run.
"""

import random
from dataclasses import dataclass

from tenants.validators import CREDIT_CODE_CHARSET, credit_code_check_char

# Where companies in a Nanning office tower are registered.
PLACES = ("广西", "南宁", "广西南宁")

# Trade names (字号) with their pinyin, for e-mail domains.
TRADE_NAMES = (
    ("金桂", "jingui"), ("邕江", "yongjiang"), ("东盟", "dongmeng"), ("青秀", "qingxiu"), ("华蓝", "hualan"),
    ("绿城", "lvcheng"), ("南湖", "nanhu"), ("凤岭", "fengling"), ("五象", "wuxiang"), ("相思湖", "xiangsihu"),
    ("北部湾", "beibuwan"), ("桂湘", "guixiang"), ("八桂", "bagui"), ("红豆", "hongdou"), ("榕树", "rongshu"),
    ("朱槿", "zhujin"), ("明秀", "mingxiu"), ("民族", "minzu"), ("琅东", "langdong"), ("埌东", "langdongxin"),
    ("仙葫", "xianhu"), ("良庆", "liangqing"), ("昆仑", "kunlun"), ("大明山", "damingshan"), ("龙象", "longxiang"),
    ("瑞康", "ruikang"), ("恒信", "hengxin"), ("嘉禾", "jiahe"), ("鼎盛", "dingsheng"), ("泰和", "taihe"),
    ("宏图", "hongtu"), ("博远", "boyuan"), ("睿思", "ruisi"), ("智联", "zhilian"), ("汇通", "huitong"),
    ("德润", "derun"), ("志诚", "zhicheng"), ("永盛", "yongsheng"), ("华信", "huaxin"), ("中正", "zhongzheng"),
    ("新桂", "xingui"), ("天瑞", "tianrui"), ("锦绣", "jinxiu"), ("翔宇", "xiangyu"), ("星辰", "xingchen"),
    ("云帆", "yunfan"), ("海纳", "haina"), ("盛世", "shengshi"), ("方圆", "fangyuan"), ("正道", "zhengdao"),
    ("立信", "lixin"), ("诚达", "chengda"), ("弘毅", "hongyi"), ("景行", "jingxing"), ("卓越", "zhuoyue"),
    ("蓝海", "lanhai"), ("同创", "tongchuang"), ("聚力", "juli"), ("启航", "qihang"), ("远景", "yuanjing"),
    ("东方", "dongfang"), ("南国", "nanguo"), ("壮乡", "zhuangxiang"), ("铜鼓", "tonggu"), ("刘三姐", "liusanjie"),
    ("茉莉", "moli"), ("荔园", "liyuan"), ("桂花", "guihua"), ("木棉", "mumian"), ("金湖", "jinhu"),
    ("华润", "huarun"), ("安泰", "antai"), ("长风", "changfeng"), ("九洲", "jiuzhou"), ("百色", "baise"),
    ("钦廉", "qinlian"), ("澄泓", "chenghong"), ("乐业", "leye"), ("骏达", "junda"), ("润丰", "runfeng"),
    ("信和", "xinhe"), ("宝源", "baoyuan"), ("嘉信", "jiaxin"), ("众合", "zhonghe"),
    ("凯旋", "kaixuan"), ("万象", "wanxiang"), ("知行", "zhixing"), ("至善", "zhishan"), ("创想", "chuangxiang"),
    ("飞扬", "feiyang"), ("和美", "hemei"), ("通达", "tongda"), ("广源", "guangyuan"), ("福瑞", "furui"),
)  # fmt: skip


@dataclass(frozen=True)
class Trade:
    """An industry: the word in the company name, the industry field, the legal form, an e-mail word."""

    word: str
    industry: str
    form: str
    slug: str


TRADES = (
    Trade("科技", "信息技术", "有限公司", "tech"),
    Trade("信息技术", "信息技术", "有限公司", "it"),
    Trade("网络", "互联网", "有限公司", "net"),
    Trade("贸易", "批发零售", "有限公司", "trade"),
    Trade("商贸", "批发零售", "有限责任公司", "trading"),
    Trade("企业管理咨询", "商务服务", "有限公司", "consult"),
    Trade("建筑设计", "建筑设计", "有限公司", "design"),
    Trade("工程咨询", "工程咨询", "有限公司", "eng"),
    Trade("文化传媒", "文化传媒", "有限公司", "media"),
    Trade("广告", "广告", "有限公司", "ad"),
    Trade("投资管理", "金融投资", "有限公司", "invest"),
    Trade("融资租赁", "金融投资", "有限公司", "lease"),
    Trade("医药", "医药健康", "有限公司", "pharma"),
    Trade("教育科技", "教育培训", "有限公司", "edu"),
    Trade("人力资源", "人力资源", "有限公司", "hr"),
    Trade("物流", "交通物流", "有限公司", "logistics"),
    Trade("餐饮管理", "餐饮", "有限公司", "food"),
    Trade("房地产经纪", "房地产", "有限公司", "realty"),
    Trade("财税服务", "会计财税", "有限公司", "tax"),
    Trade("", "法律服务", "律师事务所", "law"),
    Trade("", "会计审计", "会计师事务所（特殊普通合伙）", "cpa"),
)

# Nanning districts (行政区划代码) where the companies are registered.
DISTRICTS = ("450103", "450103", "450103", "450102", "450105", "450107", "450108", "450100")

# Common surnames, with the many 韦, 覃, 蒙, 莫, 农 and 陆 of Guangxi.
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦覃蒙莫农陆卢蓝廖邓冯曾潘蒋苏钟"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红海燕晓东文斌俊玲琳雪梅丹宁波鹏飞浩然婷颖"
TITLES = ("行政主管", "办公室主任", "总经理助理", "财务经理", "人事专员", "行政专员", "前台主管", "总经理")


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"


def landline(rng: random.Random) -> str:
    # Nanning numbers: area code 0771, seven digits; the CBD exchange starts with 5.
    return f"0771-5{rng.randrange(10**6):06d}"


def credit_code(rng: random.Random, *, law_firm: bool = False) -> str:
    """A code that passes ``validate_credit_code``: registering body, type, district, org code, check."""
    # 9 1 = a company registered with market regulation; 3 1 = a law firm registered with justice.
    head = "31" if law_firm else "91"
    org = "MA5" + "".join(rng.choice(CREDIT_CODE_CHARSET) for _ in range(6))
    first17 = head + rng.choice(DISTRICTS) + org
    return first17 + credit_code_check_char(first17)


@dataclass(frozen=True)
class Company:
    name: str
    industry: str
    email_domain: str
    law_firm: bool


def company(rng: random.Random) -> Company:
    """One company name; callers keep drawing until the name is new."""
    trade = rng.choice(TRADES)
    place = rng.choice(PLACES)
    trade_name, pinyin = rng.choice(TRADE_NAMES)
    if trade.form.startswith("律师") or trade.form.startswith("会计"):
        # Firms of professionals carry a place and a trade name only: 广西邕江律师事务所.
        name = f"{place or '广西'}{trade_name}{trade.form}"
    else:
        name = f"{place}{trade_name}{trade.word}{trade.form}"
    return Company(
        name=name,
        industry=trade.industry,
        email_domain=f"{pinyin}-{trade.slug}.example",
        law_firm=trade.slug == "law",
    )
