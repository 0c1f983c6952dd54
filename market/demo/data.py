"""Pure data tables for the demo: producers, products, outlets and accounts (all fictional)."""

from __future__ import annotations

from typing import NamedTuple


class ProducerRow(NamedTuple):
    """A demo producer; `theme` picks the story template of the households linked to it."""

    key: str
    kind: str
    name: str
    village_code: str
    credit_prefix: str
    theme: str


class ProductRow(NamedTuple):
    """A demo product; prices are a range in whole yuan that listings draw from."""

    sku: str
    category: str
    name_zh: str
    name_en: str
    unit: str
    net_grams: int | None
    price_yuan: tuple[int, int]
    producers: tuple[str, ...]
    season: tuple[int, int] | None = None
    household_linked: bool = True
    featured: bool = False
    min_quantity: int = 1
    certification: str = "in_force"  # or "expired", or "none" (awaiting 认定)


class OutletRow(NamedTuple):
    """A demo outlet and the certification situation it exercises."""

    code: str
    kind: str
    name: str
    town_code: str
    address: str
    operator: str
    credit_prefix: str
    contact_name: str
    contact_phone: str
    bank_name: str
    certification: str  # "in_force", "renewed" (after a gap), "expired" or "revoked"
    listing_count: int
    features: bool = False


APPLE_SEASON = (9, 2)  # September to February, wrapping over the new year

PRODUCERS: tuple[ProducerRow, ...] = (
    ProducerRow("apple_coop", "cooperative", "陇县东风镇杜阳村苹果专业合作社", "LX-T02-V01", "93", "apple"),
    ProducerRow("apple_coop2", "cooperative", "陇县东南镇阳坡村果业专业合作社", "LX-T08-V02", "93", "apple"),
    ProducerRow("apple_firm", "enterprise", "陇县陇源果业有限公司", "LX-T01-V01", "91", "apple"),
    ProducerRow("goat_coop", "cooperative", "陇县河北镇奶山羊养殖专业合作社", "LX-T09-V01", "93", "goat"),
    ProducerRow("goat_firm", "enterprise", "陇县秦陇羊乳制品有限公司", "LX-T01-V03", "91", "goat"),
    ProducerRow("bee_coop", "cooperative", "陇县八渡镇中蜂养殖专业合作社", "LX-T03-V02", "93", "bee"),
    ProducerRow("walnut_coop", "cooperative", "陇县温水镇核桃专业合作社", "LX-T04-V01", "93", "walnut"),
    ProducerRow("walnut_farm", "household", "陇县曹家湾镇南坡家庭农场", "LX-T06-V02", "92", "walnut"),
    ProducerRow("pepper_coop", "cooperative", "陇县天成镇大红袍花椒专业合作社", "LX-T05-V03", "93", "pepper"),
    ProducerRow("fungus_coop", "cooperative", "陇县固关镇食用菌专业合作社", "LX-T07-V02", "93", "fungus"),
    ProducerRow("beef_firm", "enterprise", "陇县关山牧业食品有限公司", "LX-T05-V02", "91", "beef"),
    ProducerRow("egg_farm", "household", "陇县新集川镇兴隆生态家庭农场", "LX-T10-V02", "92", "egg"),
    ProducerRow("grain_firm", "enterprise", "陇县陇州粮油食品有限公司", "LX-T01-V02", "91", "grain"),
)

# Stories households agreed to publish: what they do, never who they are.
STORIES: dict[str, str] = {
    "apple": "家里种了{acres}亩矮化密植苹果，由合作社统一分拣、冷藏和销售，"
    "每斤比自己零卖多收三四毛钱。",
    "goat": "家里养了{heads}只奶山羊，鲜奶每天由收奶车上门收购，按月结算，不愁销路。",
    "bee": "在关山林下放养了{heads}箱中华蜜蜂，一年只取一次成熟蜜，合作社保底收购。",
    "walnut": "管护着{acres}亩薄皮核桃，秋收后统一脱青皮、烘干、分级，价钱比以前卖青果高。",
    "pepper": "种了{acres}亩大红袍花椒，采摘季还在合作社的晾晒场务工，多挣一份工钱。",
    "fungus": "在村里的大棚里种香菇和木耳，合作社提供菌棒和技术，产品按约定价统一收购。",
    "beef": "家里养了{heads}头黄牛，育肥出栏后由企业按保护价收购。",
    "egg": "家中{members}口人，两人在家庭农场散养土鸡，按月领取工资和分红。",
    "grain": "种植油菜和小麦，收成由企业按订单收购。",
}

SURNAMES = "王李张刘杨赵陈马周吴何高郭曹田闫苏姚宋冯薛雷"
GIVEN_NAMES = (
    "建军", "秀兰", "小平", "军平", "红霞", "志强", "春梅", "永刚", "玉珍", "海军",
    "桂芳", "明亮", "淑琴", "宏伟", "亚妮", "国平", "彩霞", "宝成", "引娣", "新民",
)

PRODUCTS: tuple[ProductRow, ...] = (
    ProductRow("LX-P-A01", "apple", "陇州红富士苹果 80mm", "Longzhou Red Fuji apples, 80 mm",
        "5kg/箱", 5000, (68, 98), ("apple_coop", "apple_firm"), season=APPLE_SEASON, featured=True),
    ProductRow("LX-P-A02", "apple", "陇州红富士苹果 精品85mm", "Longzhou Red Fuji apples, premium 85 mm",
        "5kg/箱", 5000, (98, 128), ("apple_coop2", "apple_firm"), season=APPLE_SEASON),
    ProductRow("LX-P-A03", "apple", "陇州红富士苹果 单位团购装", "Longzhou Red Fuji apples, institution pack",
        "10kg/箱", 10000, (118, 168), ("apple_coop", "apple_coop2"), season=APPLE_SEASON, min_quantity=10),
    ProductRow("LX-P-A04", "apple", "陇县瑞阳苹果", "Longxian Ruiyang apples",
        "5kg/箱", 5000, (78, 108), ("apple_coop2",), season=(10, 2)),
    ProductRow("LX-P-A05", "apple", "陇县嘎啦苹果", "Longxian Gala apples",
        "5kg/箱", 5000, (58, 78), ("apple_coop",), season=(8, 10)),
    ProductRow("LX-P-A06", "apple", "陇州苹果脆片", "Longzhou apple crisps",
        "100g/袋", 100, (12, 18), ("apple_firm",), certification="expired"),
    ProductRow("LX-P-G01", "goat_milk", "全脂纯羊奶粉", "Full-cream goat milk powder",
        "400g/罐", 400, (158, 198), ("goat_firm", "goat_coop"), featured=True),
    ProductRow("LX-P-G02", "goat_milk", "中老年高钙羊奶粉", "High-calcium goat milk powder for seniors",
        "400g/罐", 400, (178, 238), ("goat_firm", "goat_coop")),
    ProductRow("LX-P-G03", "goat_milk", "学生成长配方羊奶粉", "Goat milk powder for school children",
        "400g/罐", 400, (168, 218), ("goat_firm",)),
    ProductRow("LX-P-G04", "goat_milk", "巴氏杀菌鲜羊奶", "Pasteurised fresh goat milk",
        "200ml×10袋", None, (39, 59), ("goat_coop",)),
    ProductRow("LX-P-G05", "goat_milk", "原味羊奶片", "Goat milk tablets",
        "100g/袋", 100, (19, 29), ("goat_firm",)),
    ProductRow("LX-P-G06", "goat_milk", "羊奶粉礼盒", "Goat milk powder gift box",
        "2罐×400g/盒", 800, (328, 428), ("goat_firm", "goat_coop"), featured=True),
    ProductRow("LX-P-H01", "honey", "关山中蜂土蜂蜜", "Guanshan Chinese honeybee honey",
        "500g/罐", 500, (68, 128), ("bee_coop",), featured=True),
    ProductRow("LX-P-H02", "honey", "关山中蜂土蜂蜜 家庭装", "Guanshan Chinese honeybee honey, family jar",
        "1kg/罐", 1000, (128, 198), ("bee_coop",)),
    ProductRow("LX-P-H03", "honey", "关山百花蜜", "Guanshan wildflower honey",
        "500g/瓶", 500, (58, 88), ("bee_coop",)),
    ProductRow("LX-P-H04", "honey", "中蜂巢蜜", "Chinese honeybee comb honey",
        "400g/盒", 400, (88, 138), ("bee_coop",)),
    ProductRow("LX-P-H05", "honey", "洋槐蜜", "Acacia honey",
        "500g/瓶", 500, (48, 78), ("bee_coop",)),
    ProductRow("LX-P-W01", "walnut", "陇县薄皮核桃", "Longxian thin-shell walnuts",
        "1kg/袋", 1000, (45, 70), ("walnut_coop", "walnut_farm"), season=(9, 4), featured=True),
    ProductRow("LX-P-W02", "walnut", "原味核桃仁", "Shelled walnut kernels",
        "500g/袋", 500, (48, 68), ("walnut_coop",)),
    ProductRow("LX-P-W03", "walnut", "冷榨核桃油", "Cold-pressed walnut oil",
        "500ml/瓶", None, (88, 128), ("walnut_coop",)),
    ProductRow("LX-P-W04", "walnut", "琥珀核桃仁", "Honey-glazed walnut kernels",
        "250g/罐", 250, (32, 45), ("walnut_coop", "bee_coop")),
    ProductRow("LX-P-S01", "pepper", "大红袍花椒", "Dahongpao Sichuan pepper",
        "250g/袋", 250, (35, 60), ("pepper_coop",), featured=True),
    ProductRow("LX-P-S02", "pepper", "大红袍花椒 实惠装", "Dahongpao Sichuan pepper, value pack",
        "500g/袋", 500, (65, 110), ("pepper_coop",)),
    ProductRow("LX-P-S03", "pepper", "大红袍花椒粉", "Ground Dahongpao Sichuan pepper",
        "100g/瓶", 100, (18, 28), ("pepper_coop",)),
    ProductRow("LX-P-O01", "other", "关山香菇干", "Guanshan dried shiitake mushrooms",
        "250g/袋", 250, (35, 55), ("fungus_coop",)),
    ProductRow("LX-P-O02", "other", "陇县黑木耳", "Longxian black wood-ear fungus",
        "250g/袋", 250, (39, 59), ("fungus_coop",)),
    ProductRow("LX-P-O03", "other", "关山酱香黄牛肉", "Guanshan braised beef",
        "500g/袋", 500, (78, 108), ("beef_firm",)),
    ProductRow("LX-P-O04", "other", "散养土鸡蛋", "Free-range eggs",
        "30枚/盒", None, (45, 60), ("egg_farm",)),
    ProductRow("LX-P-O05", "other", "陇州手工挂面", "Longzhou handmade dried noodles",
        "2.5kg/箱", 2500, (38, 52), ("grain_firm",), household_linked=False),
    ProductRow("LX-P-O06", "other", "压榨菜籽油", "Pressed rapeseed oil",
        "5L/桶", None, (98, 138), ("grain_firm",), household_linked=False, certification="none"),
)

# Shown on product pages; about the produce and its origin, never about a person.
DESCRIPTIONS: dict[str, str] = {
    "LX-P-A01": "产自陇县海拔1200米以上的塬区果园，昼夜温差大，果面红润、脆甜多汁。"
    "果径80毫米以上，每箱约16至18个。",
    "LX-P-A02": "精选果径85毫米以上的套袋红富士，逐果分选、网套包装，适合走亲访友。",
    "LX-P-A03": "面向机关、学校和企业食堂的团购装，10箱起订，可按单位要求分批配送。",
    "LX-P-A04": "瑞阳是陕西自主选育的晚熟品种，果肉细脆、酸甜适口，耐贮藏。",
    "LX-P-A05": "早中熟品种，八月下旬开始采摘，香气浓郁，口感清脆。",
    "LX-P-A06": "选用本地红富士切片，低温真空脱水，不添加色素和防腐剂。",
    "LX-P-G01": "以陇县奶山羊鲜奶为原料，挤奶后冷链运输、喷雾干燥，不添加牛乳成分。",
    "LX-P-G02": "在纯羊奶粉中添加钙和维生素D，低蔗糖配方，适合中老年人日常饮用。",
    "LX-P-G03": "添加乳铁蛋白和DHA藻油，适合3岁以上儿童和青少年。",
    "LX-P-G04": "当日挤奶、当日杀菌灌装，须冷藏保存，保质期7天，仅限县内配送。",
    "LX-P-G05": "羊奶粉压制而成，可直接干吃，奶香浓郁，独立小包装。",
    "LX-P-G06": "全脂纯羊奶粉两罐装礼盒，附手提袋。",
    "LX-P-H01": "关山林区中华蜜蜂一年一取的成熟蜜，低温下自然结晶属正常现象。",
    "LX-P-H02": "与500克装同一批次的成熟蜜，家庭装更实惠。",
    "LX-P-H03": "采自山间百种野花，色泽琥珀，香味浓郁。",
    "LX-P-H04": "整块蜂巢连蜜带蜡，原汁原味，可直接咀嚼食用。",
    "LX-P-H05": "五月洋槐花期采收，色浅透亮，清甜不腻，不易结晶。",
    "LX-P-W01": "壳薄易剥，仁饱满色浅，当年新果，手捏即开。",
    "LX-P-W02": "人工剥壳、分级挑选的半仁和四分之一仁，真空包装。",
    "LX-P-W03": "本地核桃仁低温物理压榨，适合凉拌和婴幼儿辅食。",
    "LX-P-W04": "核桃仁裹上本地蜂蜜低温烘烤，香脆不粘牙。",
    "LX-P-S01": "颗粒大、色泽红、麻味足，人工采摘、自然晾晒，去籽去枝。",
    "LX-P-S02": "与250克装同一等级，适合餐馆和家庭常备。",
    "LX-P-S03": "当季花椒低温研磨，麻香浓郁，炖肉、凉拌皆宜。",
    "LX-P-O01": "椴木和菌棒栽培，热风烘干，菌盖厚实、香味浓。",
    "LX-P-O02": "秋耳采收晒干，朵小肉厚，泡发率高。",
    "LX-P-O03": "选用关山草原放牧黄牛的腱子肉，传统老汤卤制，真空包装，开袋即食。",
    "LX-P-O04": "林下散养土鸡所产，蛋黄色深，每枚约50克，防震包装。",
    "LX-P-O05": "本地小麦粉手工盘条、自然晾晒，耐煮不糊汤。",
    "LX-P-O06": "本地油菜籽物理压榨，正在申请特色农产品认定。",
}

OUTLETS: tuple[OutletRow, ...] = (
    OutletRow(
        "LX-O-001", "hall", "陇县消费帮扶馆", "LX-T01", "陇县城关镇陇州大道东段88号",
        "陇县供销农特产品营销有限公司", "91", "张秀芳", "13900001001",
        "陕西陇县农村商业银行股份有限公司城关支行", "in_force", 18, features=True,
    ),
    OutletRow(
        "LX-O-002", "online", "陇州优选网店", "LX-T01", "陇县城关镇电子商务产业园3号楼",
        "陇县陇州优选电子商务有限公司", "91", "杨静", "13900001002",
        "中国邮政储蓄银行股份有限公司陇县支行", "renewed", 16, features=True,
    ),
    OutletRow(
        "LX-O-003", "counter", "惠民购物广场帮扶专柜", "LX-T01", "陇县城关镇西大街126号惠民购物广场一层",
        "陇县惠民商贸有限公司", "91", "刘文斌", "13900001003",
        "中国农业银行股份有限公司陇县支行", "in_force", 8,
    ),
    OutletRow(
        "LX-O-004", "zone", "东风镇农贸市场消费帮扶专区", "LX-T02", "陇县东风镇杜阳街45号农贸市场内",
        "陇县东风惠农市场管理有限公司", "91", "何军平", "13900001004",
        "陕西陇县农村商业银行股份有限公司东风支行", "in_force", 10,
    ),
    OutletRow(
        "LX-O-005", "counter", "温水镇便民超市帮扶专柜", "LX-T04", "陇县温水镇温水街12号",
        "陇县温水镇便民超市", "92", "马小燕", "13900001005",
        "陕西陇县农村商业银行股份有限公司温水支行", "in_force", 6,
    ),
    OutletRow(
        "LX-O-006", "zone", "天成镇商贸中心消费帮扶专区", "LX-T05", "陇县天成镇天成街商贸中心二层",
        "陇县天成商贸有限责任公司", "91", "苏宏亮", "13900001006",
        "中国建设银行股份有限公司陇县支行", "expired", 6,
    ),
    OutletRow(
        "LX-O-007", "counter", "八渡镇供销社帮扶专柜", "LX-T03", "陇县八渡镇八渡街供销社门市",
        "陇县八渡供销合作社", "91", "姚永福", "13900001007",
        "陕西陇县农村商业银行股份有限公司八渡支行", "revoked", 6,
    ),
    OutletRow(
        "LX-O-008", "hall", "关山草原消费帮扶馆", "LX-T07", "陇县固关镇关山草原景区游客中心",
        "陇县关山文旅发展有限公司", "91", "田晓东", "13900001008",
        "中国工商银行股份有限公司陇县支行", "in_force", 10,
    ),
)

# (email, name, roles, what the account is for) — every password is DEMO_PASSWORD.
ACCOUNTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("admin@example.com", "马国强", ("admin",), "admin"),
    ("county@example.com", "赵志刚", ("county_staff",), "county staff (乡村振兴局)"),
    ("county2@example.com", "陈丽娟", ("county_staff",), "county staff, second approver (商务局)"),
    ("consumer@example.com", "李晓雯", ("consumer",), "consumer"),
    ("buyer@example.com", "王建华", ("consumer", "institution_buyer"),
     "institution buyer, owner of 陇县机关事务服务中心"),
    ("outlet@example.com", "张秀芳", ("consumer", "outlet_staff"),
     "outlet staff, owner of LX-O-001 and LX-O-002"),
    ("outlet2@example.com", "刘文斌", ("consumer", "outlet_staff"), "outlet staff (not owner) of LX-O-003"),
)

INSTITUTION = {
    "name": "陇县机关事务服务中心",
    "kind": "government",
    "programme": "local",
    "credit_prefix": "12",
}
