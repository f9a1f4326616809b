"""The demo zone: a deterministic, plausible high-tech zone for ``yuanqu demo``.

The figures follow a real western high-tech zone's 2022 statistics: about 600 enterprises,
135 valid 高新技术企业, 3 national 专精特新“小巨人”, about 150 规上工业 enterprises. Other
enterprise counts scale with ``n`` (135/600 …); the n=600 figures are exact.

Everything comes from ``random.Random(seed)`` and the word lists below (no Faker), so the
same seed gives the same zone; dates are relative to today so the qualifications are valid
whenever the demo is built. Records are bulk-created, which skips the change log: seed data
has no author to record.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yuanqu.core.context import acting_as
from yuanqu.users.choices import Role, ZoneKind
from yuanqu.users.models import Department, User, Zone

from .choices import EnterpriseStatus, EnterpriseType, QualificationKind, QualificationLevel, ScaleKind
from .models import Contact, Enterprise, Industry, IndustryChain, Qualification, ScaleRecord
from .services import default_valid_until, valid_on
from .validators import ALPHABET, make_uscc

PARK_NAME = "示范高新技术产业开发区"
PARK_SHORT = "示范高新区"
DEMO_PASSWORD = "Yuanqu@2024demo"
DEFAULT_ENTERPRISES = 600
DEFAULT_SEED = 2022

# (name, code, area in km²)
AREAS = [
    ("核心区", "HX", "12.60"),
    ("东区", "DQ", "18.30"),
    ("西区", "XQ", "15.80"),
    ("南区", "NQ", "9.40"),
    ("北区", "BQ", "11.20"),
    ("综合保税区", "ZB", "3.50"),
]
AREA_WEIGHTS = [30, 18, 18, 12, 12, 10]
ROADS = {
    "核心区": ["科技路", "高新路", "锦业路", "丈八一路", "唐延路", "科技二路"],
    "东区": ["东环路", "创业大道", "朝阳路", "兴业路"],
    "西区": ["西部大道", "草堂路", "天谷八路", "纬二十六路"],
    "南区": ["南横路", "秦岭大道", "学府路"],
    "北区": ["北辰大道", "工业北路", "尚稷路"],
    "综合保税区": ["保税大道", "通关路", "物流一路"],
}
DEPARTMENTS = [
    ("党政办公室", "党政办"),
    ("经济发展局", "经发局"),
    ("招商局", "招商局"),
    ("企业服务中心", "企服中心"),
    ("科技创新局", "科创局"),
    ("规划国土局", "规土局"),
    ("建设局", "建设局"),
    ("财政局", "财政局"),
    ("督查室", "督查室"),
]
# Departments that own enterprises, with their share.
OWNERS = [("经济发展局", 55), ("招商局", 35), ("企业服务中心", 10)]

# Industry chains: (name, weight, industrial?, [(GB/T 4754 code prefixes, name words)]).
CHAINS = [
    (
        "硅基新材料",
        95,
        True,
        [
            (["3140"], ["硅业", "工业硅"]),
            (["3985"], ["半导体材料", "电子材料", "硅材料"]),
            (["261", "265", "266"], ["新材料", "精细化工", "化工"]),
            (["305", "306", "309"], ["玻璃", "复合材料", "碳材料"]),
        ],
    ),
    (
        "新型显示与电子信息",
        105,
        True,
        [
            (["391", "392"], ["通信", "智能终端"]),
            (["397"], ["光电", "半导体", "显示技术"]),
            (["398", "399"], ["电子", "电子元件"]),
        ],
    ),
    (
        "高端装备制造",
        130,
        True,
        [
            (["34"], ["机械", "精密机械", "动力机械"]),
            (["351", "352", "353", "354", "355", "356", "357", "359"], ["智能装备", "装备", "重工"]),
            (["374"], ["航空", "航天科技"]),
        ],
    ),
    (
        "生物健康",
        75,
        True,
        [
            (["27"], ["制药", "生物医药", "药业", "生物"]),
            (["358"], ["医疗器械", "医疗设备"]),
        ],
    ),
    (
        "光伏新能源",
        70,
        True,
        [
            (["3825"], ["光伏", "太阳能"]),
            (["384"], ["新能源", "储能", "电池"]),
            (["4415", "4416"], ["新能源", "清洁能源"]),
        ],
    ),
    (
        "现代服务业",
        125,
        False,
        [
            (["64", "65"], ["软件", "信息技术", "数据"]),
            (["72"], ["企业管理", "供应链管理", "商务咨询"]),
            (["73", "74", "75"], ["检测技术", "工程技术", "技术服务"]),
        ],
    ),
]

PLACES = ["陕西", "西安", "秦川", "长安", "关中", "", "", ""]
BRAND_CHARS = "华瑞泰鑫恒通达宏源晶隆盛创远嘉德航博睿康诺凯拓海天中汇联金星光明信安益智润丰兴威腾昊铂晟锐驰峰赛思伟立弘永正和"
SUFFIXES = [("有限公司", 30), ("科技有限公司", 40), ("股份有限公司", 12), ("科技股份有限公司", 8)]
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅鹏飞宇浩然婷雪琳晨阳欣怡博文思远子涵佳琪"
POSITIONS = ["总经理", "办公室主任", "财务总监", "行政经理", "董事长", "副总经理", "综合部部长"]
MOBILE_PREFIXES = "130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 177 180 181 182 183 185 186 187 188 189 191 198 199".split()
# GB/T 2260 districts of 西安市 (6101xx) whose registration offices issue the codes.
DIVISIONS = ["610100", "610113", "610116", "610112", "610111", "610104", "610103", "610117"]

# The n=600 figures; ``scaled`` gives the others.
BASE = 600
COUNTS = {
    "hnte": 135,  # valid 高新技术企业 today
    "hnte_expired": 40,  # enterprises whose only 高企 certificate has expired
    "little_giant": 3,
    "srdi_sme": 30,
    "innovative_sme": 48,
    "tech_sme": 100,  # 科技型中小企业 this year
    "tech_sme_last_year": 90,
    "listing": 2,
    "neeq": 3,
    "scale": 150,  # 规上工业 this year
    "scale_entered": 12,  # … of which new this year
    "scale_left": 8,  # 规上 last year, not this year
}

# Level and governing document of each kind of grant (REFERENCE §5).
GRANT_LEVEL_RULE = {
    QualificationKind.HNTE: (QualificationLevel.NATIONAL, "国科发火〔2016〕32号"),
    QualificationKind.TECH_SME: ("", "国科发政〔2017〕115号"),
    QualificationKind.INNOVATIVE_SME: (QualificationLevel.PROVINCIAL, "工信部企业〔2022〕63号"),
    QualificationKind.SRDI_SME: (QualificationLevel.PROVINCIAL, "工信部企业〔2022〕63号"),
    QualificationKind.LITTLE_GIANT: (QualificationLevel.NATIONAL, "工信部企业〔2022〕63号"),
}


def scaled(key: str, n: int) -> int:
    """The count of ``key`` for a zone of n enterprises: proportional, rounded half up, at least 1."""
    base = COUNTS[key]
    if n == BASE:
        return base
    return max(1, (base * n + BASE // 2) // BASE) if base else 0


@dataclass
class Summary:
    enterprises: int = 0
    contacts: int = 0
    qualifications: int = 0
    scale_records: int = 0
    users: list[str] = field(default_factory=list)


def demo_exists() -> bool:
    return Zone.objects.filter(name=PARK_NAME, kind=ZoneKind.PARK, parent=None).exists()


def generate(n: int = DEFAULT_ENTERPRISES, seed: int = DEFAULT_SEED, today: datetime.date | None = None):
    """Build the demo zone; None when it exists already (nothing is changed then)."""
    if n < 1:
        raise ValueError("企业数量至少为1")
    with transaction.atomic(), acting_as(None, source="system"):
        if demo_exists():
            return None
        return _Builder(n, random.Random(seed), today or timezone.localdate()).build()


class _Builder:
    def __init__(self, n, rng, today):
        self.n, self.rng, self.today = n, rng, today
        self.summary = Summary()
        self.serial = 0

    def build(self) -> Summary:
        self.departments = self.make_departments()
        self.park, self.areas = self.make_zones()
        self.chains = self.make_chains()
        enterprises = self.make_enterprises()
        self.summary.enterprises = len(enterprises)
        self.summary.contacts = len(Contact.objects.bulk_create(self.make_contacts(enterprises)))
        qualifications = self.make_qualifications(enterprises)
        self.summary.qualifications = len(Qualification.objects.bulk_create(qualifications))
        self.summary.scale_records = len(
            ScaleRecord.objects.bulk_create(self.make_scale_records(enterprises))
        )
        self.summary.users = self.make_users(enterprises, qualifications)
        return self.summary

    # --- organisation -------------------------------------------------------------

    def make_departments(self) -> dict[str, Department]:
        existing = {d.name: d for d in Department.objects.filter(name__in=[name for name, _ in DEPARTMENTS])}
        new = [
            Department(name=name, short_name=short, order=(i + 1) * 10)
            for i, (name, short) in enumerate(DEPARTMENTS)
            if name not in existing
        ]
        existing.update({d.name: d for d in Department.objects.bulk_create(new)})
        return existing

    def make_zones(self):
        park = Zone.objects.bulk_create([Zone(name=PARK_NAME, kind=ZoneKind.PARK, code="SFGXQ", order=1)])[0]
        areas = Zone.objects.bulk_create(
            [
                Zone(
                    name=name,
                    kind=ZoneKind.AREA,
                    parent=park,
                    code=code,
                    area_km2=Decimal(km2),
                    order=(i + 1) * 10,
                )
                for i, (name, code, km2) in enumerate(AREAS)
            ]
        )
        return park, areas

    def make_chains(self) -> list[dict]:
        existing = {c.name: c for c in IndustryChain.objects.filter(name__in=[c[0] for c in CHAINS])}
        new = [
            IndustryChain(name=name, order=(i + 1) * 10)
            for i, (name, *_rest) in enumerate(CHAINS)
            if name not in existing
        ]
        existing.update({c.name: c for c in IndustryChain.objects.bulk_create(new)})
        chains = []
        for name, weight, industrial, segments in CHAINS:
            parts = []
            for prefixes, words in segments:
                match = Q()
                for prefix in prefixes:
                    match |= Q(code__startswith=prefix)
                codes = list(
                    Industry.objects.filter(match, level=4).order_by("code").values_list("code", flat=True)
                )
                if not codes:
                    raise RuntimeError(
                        f"国民经济行业分类中没有 {'、'.join(prefixes)} 开头的小类，请先执行 migrate"
                    )
                parts.append((codes, words))
            chains.append(
                {"obj": existing[name], "weight": weight, "industrial": industrial, "segments": parts}
            )
        return chains

    # --- enterprises --------------------------------------------------------------

    def make_enterprises(self) -> list[Enterprise]:
        rng = self.rng
        used_uscc = set(Enterprise.objects.values_list("uscc", flat=True))
        used_names = set(Enterprise.objects.values_list("name", flat=True))
        owners = [self.departments[name] for name, _ in OWNERS]
        owner_weights = [w for _, w in OWNERS]
        statuses = [
            (EnterpriseStatus.OPERATING, 900),
            (EnterpriseStatus.PARTIAL, 35),
            (EnterpriseStatus.STOPPED, 25),
            (EnterpriseStatus.CANCELLED, 20),
            (EnterpriseStatus.MOVED_OUT, 20),
        ]
        capitals = [50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000, 8000, 10000, 20000, 50000]
        capital_weights = [4, 10, 10, 8, 12, 6, 14, 10, 7, 7, 4, 4, 2, 1]
        objects = []
        self.industrial = []
        for _i in range(self.n):
            chain = rng.choices(self.chains, weights=[c["weight"] for c in self.chains])[0]
            codes, words = rng.choice(chain["segments"])
            name, short = self.enterprise_name(words, used_names)
            founded = self.founded_on()
            foreign = rng.random() < 0.07
            suffix_type = EnterpriseType.JOINT_STOCK if "股份" in name else EnterpriseType.LLC
            if foreign:
                etype = rng.choice([EnterpriseType.FOREIGN, EnterpriseType.FOREIGN, EnterpriseType.HMT])
            elif rng.random() < 0.03:
                etype = EnterpriseType.STATE_OWNED
            else:
                etype = suffix_type
            area = rng.choices(self.areas, weights=AREA_WEIGHTS)[0]
            capital = rng.choices(capitals, weights=capital_weights)[0]
            if etype == EnterpriseType.JOINT_STOCK:
                capital = max(capital, 3000)
            enterprise = Enterprise(
                uscc=self.uscc(founded, used_uscc),
                name=name,
                short_name=short,
                founded_on=founded,
                registered_capital_wan=Decimal(capital),
                enterprise_type=etype,
                industry_id=rng.choice(codes),
                industry_chain=chain["obj"],
                zone=area,
                address=f"{PARK_SHORT}{area.name}{rng.choice(ROADS[area.name])}{rng.randint(1, 399)}号",
                status=rng.choices([s for s, _ in statuses], weights=[w for _, w in statuses])[0],
                is_foreign_invested=foreign,
                department=rng.choices(owners, weights=owner_weights)[0],
            )
            objects.append(enterprise)
        enterprises = Enterprise.objects.bulk_create(objects, batch_size=500)
        industrial_chains = {c["obj"].pk for c in self.chains if c["industrial"]}
        self.industrial = [e for e in enterprises if e.industry_chain_id in industrial_chains]
        return enterprises

    def enterprise_name(self, words, used) -> tuple[str, str]:
        rng = self.rng
        while True:
            brand = "".join(rng.sample(BRAND_CHARS, 2))
            word = rng.choice(words)
            suffix = rng.choices([s for s, _ in SUFFIXES], weights=[w for _, w in SUFFIXES])[0]
            if word.endswith(("科技", "技术", "服务")) and suffix.startswith("科技"):
                suffix = suffix[2:]
            name = f"{rng.choice(PLACES)}{brand}{word}{suffix}"
            if name not in used:
                used.add(name)
                return name, f"{brand}{word}"

    def founded_on(self) -> datetime.date:
        years = list(range(1995, 2023))
        year = self.rng.choices(years, weights=[1 + (y - 1995) * 0.4 for y in years])[0]
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))

    def uscc(self, founded: datetime.date, used: set) -> str:
        """Post-2015 registrations get an ``MA…`` body; older ones keep their 组织机构代码."""
        rng = self.rng
        while True:
            if founded >= datetime.date(2015, 10, 1):
                body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(6))
            else:
                body = rng.choice("5679") + "".join(rng.choice("0123456789") for _ in range(7))
            code = make_uscc("91", rng.choice(DIVISIONS), body)
            if code not in used:
                used.add(code)
                return code

    def make_contacts(self, enterprises) -> list[Contact]:
        rng = self.rng
        contacts = []
        for enterprise in enterprises:
            positions = rng.sample(POSITIONS, rng.choice([1, 1, 2]))
            for i, position in enumerate(positions):
                contacts.append(
                    Contact(
                        enterprise=enterprise,
                        name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
                        position=position,
                        mobile=rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
                        is_primary=i == 0,
                    )
                )
        return contacts

    # --- qualifications and 规上 ------------------------------------------------------

    def pick(self, pool, count, exclude=()) -> list:
        excluded = {e.pk for e in exclude}
        candidates = [e for e in pool if e.pk not in excluded]
        return self.rng.sample(candidates, min(count, len(candidates)))

    def grant(self, enterprise, kind, granted_on, notes="") -> Qualification:
        level, rule = GRANT_LEVEL_RULE.get(kind, ("", ""))
        self.serial += 1
        numbers = {
            QualificationKind.HNTE: f"GR{granted_on.year}61{self.serial:06d}",
            QualificationKind.TECH_SME: f"{granted_on.year}610100A{self.serial:07d}",
        }
        return Qualification(
            enterprise=enterprise,
            kind=kind,
            level=level,
            certificate_no=numbers.get(kind, ""),
            granted_on=granted_on,
            valid_until=default_valid_until(kind, granted_on),
            rule_version=rule,
            notes=notes,
        )

    def batch_dates(self, first_year, last_year, valid: bool) -> list[datetime.date]:
        """Certificate dates of the yearly batches (Oct–Dec) that are valid / expired today."""
        dates = [
            datetime.date(year, month, day)
            for year in range(first_year, last_year + 1)
            for month, day in ((10, 28), (11, 29), (12, 14))
        ]
        probe = Qualification(kind=QualificationKind.HNTE)
        result = []
        for date in dates:
            if date > self.today:
                continue
            probe.granted_on, probe.valid_until = date, default_valid_until(QualificationKind.HNTE, date)
            if valid_on(probe, self.today) == valid:
                result.append(date)
        return result

    def recent_date(self, years: int) -> datetime.date:
        """A date within the last ``years`` years (so a 3-year grant is valid today)."""
        return self.today - datetime.timedelta(days=self.rng.randrange(years * 365 - 2))

    def make_qualifications(self, enterprises) -> list[Qualification]:
        rng, n, year, K = self.rng, self.n, self.today.year, QualificationKind
        operating = [e for e in enterprises if e.status == EnterpriseStatus.OPERATING]
        established = [e for e in operating if e.founded_on.year < year - 1]
        grants = []

        # 高新技术企业: certificates of the yearly batches, valid three years.
        valid_dates = self.batch_dates(year - 4, year, valid=True)
        expired_dates = self.batch_dates(year - 9, year - 3, valid=False)
        hnte = self.pick(established, scaled("hnte", n))
        for enterprise in hnte:
            granted = rng.choice(valid_dates)
            grants.append(self.grant(enterprise, K.HNTE, granted))
            if rng.random() < 0.5:  # re-certified: the previous certificate has expired
                grants.append(self.grant(enterprise, K.HNTE, granted.replace(year=granted.year - 3)))
        for enterprise in self.pick(established, scaled("hnte_expired", n), exclude=hnte):
            grants.append(self.grant(enterprise, K.HNTE, rng.choice(expired_dates)))

        # The SME ladder: 小巨人 ⊂ 专精特新中小企业; the 小巨人 are also 高企.
        giants = self.pick([e for e in hnte if e in self.industrial], scaled("little_giant", n))
        for enterprise in giants:  # provincial first, national within about a year
            provincial = self.today - datetime.timedelta(days=rng.randrange(400, 1000))
            grants.append(self.grant(enterprise, K.SRDI_SME, provincial))
            grants.append(
                self.grant(
                    enterprise, K.LITTLE_GIANT, provincial + datetime.timedelta(rng.randrange(200, 390))
                )
            )
        srdi = giants + self.pick(operating, scaled("srdi_sme", n) - len(giants), exclude=giants)
        grants += [
            self.grant(enterprise, K.SRDI_SME, self.recent_date(3)) for enterprise in srdi[len(giants) :]
        ]
        for enterprise in self.pick(operating, scaled("innovative_sme", n), exclude=srdi):
            grants.append(self.grant(enterprise, K.INNOVATIVE_SME, self.recent_date(3)))

        # 科技型中小企业: entered in the national database anew every year.
        smes = [e for e in operating if e.registered_capital_wan <= 20000]
        this_year = self.pick(smes, scaled("tech_sme", n))
        start = datetime.date(year, 1, 1)
        for enterprise in this_year:
            entered = start + datetime.timedelta(days=rng.randrange((self.today - start).days + 1))
            grants.append(self.grant(enterprise, K.TECH_SME, entered))
        last_count = scaled("tech_sme_last_year", n)
        last_year = rng.sample(this_year, min(len(this_year), last_count * 4 // 5))
        last_year += self.pick(smes, last_count - len(last_year), exclude=this_year)
        for enterprise in last_year:
            entered = datetime.date(year - 1, 3, 1) + datetime.timedelta(days=rng.randrange(270))
            grants.append(self.grant(enterprise, K.TECH_SME, entered))

        # Capital markets: joint-stock companies, the largest listed, a few on the NEEQ.
        stock = [e for e in established if "股份有限公司" in e.name] or established
        listed = sorted(stock, key=lambda e: (-e.registered_capital_wan, e.pk))[: scaled("listing", n)]
        for i, enterprise in enumerate(listed):
            notes = f"上交所科创板 6880{31 + i * 17}"
            grants.append(self.grant(enterprise, K.LISTING, datetime.date(year - 2 - i, 7, 22), notes))
        for i, enterprise in enumerate(self.pick(stock, scaled("neeq", n), exclude=listed)):
            notes = f"新三板基础层 87{3012 + i * 211}"
            grants.append(self.grant(enterprise, K.NEEQ, datetime.date(year - 3 - i, 4, 12), notes))
        return grants

    def make_scale_records(self, enterprises) -> list[ScaleRecord]:
        """规上工业: the larger industrial enterprises; a few entered this year, a few left."""
        n, year = self.n, self.today.year
        ranked = sorted(
            (e for e in self.industrial if e.status == EnterpriseStatus.OPERATING),
            key=lambda e: -float(e.registered_capital_wan) * self.rng.uniform(0.3, 3),
        )
        this_year = ranked[: scaled("scale", n)]
        entered = this_year[-scaled("scale_entered", n) :]
        continuing = [e for e in this_year if e not in entered]
        leavers = self.pick(
            [e for e in self.industrial if e.status in (EnterpriseStatus.PARTIAL, EnterpriseStatus.STOPPED)],
            scaled("scale_left", n),
        )
        leavers += self.pick(ranked[len(this_year) :], scaled("scale_left", n) - len(leavers))
        records = [ScaleRecord(enterprise=e, year=year, kind=ScaleKind.INDUSTRY) for e in this_year]
        records += [
            ScaleRecord(enterprise=e, year=year - 1, kind=ScaleKind.INDUSTRY) for e in continuing + leavers
        ]
        return records

    # --- users --------------------------------------------------------------------

    def make_users(self, enterprises, qualifications) -> list[str]:
        grid_zone = self.areas[1]  # 东区
        econ = self.departments["经济发展局"]
        hnte_ids = {q.enterprise_id for q in qualifications if q.kind == QualificationKind.HNTE}
        candidates = [e for e in enterprises if e.status == EnterpriseStatus.OPERATING]
        enterprise = (
            next(
                (e for e in candidates if e.zone == grid_zone and e.department == econ and e.pk in hnte_ids),
                None,
            )
            or next((e for e in candidates if e.zone == grid_zone), None)
            or enterprises[0]
        )
        office = self.departments["党政办公室"]
        specs = {
            "leader": dict(role=Role.LEADER, name="陈建国", department=office),
            "staff": dict(role=Role.STAFF, name="王丽", department=econ),
            "grid": dict(
                role=Role.GRID, name="赵磊", department=self.departments["企业服务中心"], zone=grid_zone
            ),
            "enterprise": dict(
                role=Role.ENTERPRISE, name="刘晓燕", department=enterprise.department, enterprise=enterprise
            ),
            "sysadmin": dict(role=Role.SYSADMIN, name="孙浩", department=office),
            "secadmin": dict(role=Role.SECADMIN, name="周敏", department=office),
            "auditor": dict(role=Role.AUDITOR, name="吴静", department=office),
        }
        existing = set(User.objects.filter(username__in=specs).values_list("username", flat=True))
        users = []
        for username, extra in specs.items():
            if username in existing:
                continue
            user = User(username=username, **extra)
            user.set_password(DEMO_PASSWORD)
            users.append(user)
        User.objects.bulk_create(users)
        return [u.username for u in users]


# --- logins ------------------------------------------------------------------------

LOGINS = [
    ("leader", "领导", "全部企业、资质、联系人（含手机号）和规上记录，可导出"),
    ("staff", "部门人员（经济发展局）", "全部企业（只读）；维护、导入经济发展局负责的企业及其资质、联系人"),
    ("head", "部门负责人（经济发展局）", "同部门人员；另可审核经济发展局起草的材料（部门负责人审核）"),
    ("grid", "网格员（{zone}）", "{zone}的企业、资质、联系人和规上记录"),
    ("enterprise", "企业用户", "本企业（{enterprise}）的信息、资质和联系人"),
    ("inspector", "督查人员（督查室）", "全部部门的督办任务和诉求：查看、催办、考核排名"),
    ("sysadmin", "系统管理员", "部门、园区片区、用户、产业链（不含审计记录）"),
    ("secadmin", "安全管理员", "权限设置、用户账号解锁"),
    ("auditor", "审计员", "变更记录与安全事件（只读）"),
]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def demo_logins() -> list[str]:
    """The demo accounts that exist, in the order the login table prints them."""
    present = set(User.objects.filter(username__in=[u for u, *_ in LOGINS]).values_list("username", flat=True))
    return [u for u, *_ in LOGINS if u in present]


def print_logins(stream) -> None:
    """The demo accounts as a table: role, username, password, what they can see."""
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[u for u, *_ in LOGINS]).select_related(
            "zone", "enterprise"
        )
    }
    rows = [("角色", "用户名", "密码", "可见范围")]
    for username, role, scope in LOGINS:
        user = users.get(username)
        if user is None:
            continue  # only accounts that exist, so the table and the summary's count agree
        values = {
            "zone": user.zone.name if user and user.zone else "负责片区",
            "enterprise": user.enterprise.name if user and user.enterprise else "所绑定企业",
        }
        rows.append((role.format(**values), username, DEMO_PASSWORD, scope.format(**values)))
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    stream.write("演示账号（密码相同）：\n")
    for i, row in enumerate(rows):
        stream.write(
            "  "
            + "  ".join(_pad(cell, w) for cell, w in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
            + "\n"
        )
        if i == 0:
            stream.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * 8 + "\n")
