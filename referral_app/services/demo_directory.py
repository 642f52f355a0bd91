"""The demonstration directory: fictional organisations and services in three real, contrasting places.

Everything here is invented: organisations, people, contact details (Ofcom's drama telephone ranges and
example.org addresses) and building numbers. The places, postcode districts and street names are real, so
that searching near a postcode behaves as it would in a real deployment.

1. Inner city: Page Hall, Burngreave and Firth Park in north Sheffield (S3, S4, S5). A large Slovak and
   Czech Roma community, refugees and people seeking asylum, Deaf BSL users, young people.
2. Coastal town: Great Yarmouth and Gorleston (NR30, NR31). Deprivation, homelessness, Eastern European
   workers and isolated older people.
3. Rural: mid Powys (LD1 Llandrindod Wells, LD6 Rhayader, SY16 Newtown, SY18 Llanidloes). Welsh speakers,
   farming families, isolation and poor public transport.

Gaps left on purpose, so that the insight pages and the "nothing near you" journeys have something true to
show (tests/unit/test_demo_data.py checks each one):
- Great Yarmouth has no mental-health service for young people: every mental-health service there is for
  adults (aged 18 and over).
- Powys has no BSL-friendly service: no BSL-using staff, no interpreter offered and no service in BSL.
- Powys has no immigration advice: the Newtown Welcome Group refers people to advisers elsewhere.
- No service on the coast works in Romani.
- Only Sheffield has a domestic-abuse service; Great Yarmouth and Powys have none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from referral_app.models import ContactKind, ServiceStatus

SHEFFIELD = ("S3", "S4", "S5")
GREAT_YARMOUTH = ("NR30", "NR31")
POWYS = ("LD1", "LD6", "SY16", "SY18")
PLACES = {"Sheffield": SHEFFIELD, "Great Yarmouth": GREAT_YARMOUTH, "Powys": POWYS}

AREA_NAMES = {
    "S3": "Sheffield S3: Burngreave, Neepsend, Kelham Island",
    "S4": "Sheffield S4: Page Hall, Pitsmoor, Grimesthorpe",
    "S5": "Sheffield S5: Firth Park, Fir Vale, Shiregreen",
    "NR30": "Great Yarmouth, Caister-on-Sea",
    "NR31": "Gorleston-on-Sea, Southtown, Bradwell",
    "LD1": "Llandrindod Wells",
    "LD6": "Rhayader",
    "SY16": "Newtown",
    "SY18": "Llanidloes",
}

LANGUAGE_NAMES = {
    "en": "English",
    "cy": "Welsh",
    "bfi": "British Sign Language",
    "rom": "Romani",
    "sk": "Slovak",
    "cs": "Czech",
    "ar": "Arabic",
    "prs": "Dari",
    "fa": "Persian (Farsi)",
    "ps": "Pashto",
    "ckb": "Kurdish (Sorani)",
    "ti": "Tigrinya",
    "uk": "Ukrainian",
    "ro": "Romanian",
    "pl": "Polish",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "bg": "Bulgarian",
    "pt": "Portuguese",
    "ur": "Urdu",
}


@dataclass(frozen=True)
class Text:
    """An organisation's or service's own words in another language."""

    name: str
    description: str
    application_process: str = ""
    eligibility_description: str = ""


@dataclass(frozen=True)
class Org:
    name: str
    description: str
    email: str
    website: str
    pending: bool = False
    translations: dict[str, Text] = field(default_factory=dict)


@dataclass(frozen=True)
class Venue:
    """A building or meeting point; `offset` (degrees) moves it from its district's centroid."""

    key: str
    org: str
    name: str
    address_1: str
    city: str
    postal_code: str
    offset: tuple[float, float]
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hours:
    """One weekly opening period; `at` ties it to one of the service's venues."""

    byday: str
    opens: str
    closes: str
    notes: str | None = None
    at: str | None = None


@dataclass(frozen=True)
class Reach:
    kind: ContactKind
    number: str
    description: str | None = None


def phone(number: str, description: str | None = None) -> Reach:
    return Reach(ContactKind.PHONE, number, description)


def sms(number: str, description: str | None = None) -> Reach:
    return Reach(ContactKind.SMS, number, description)


def relay(number: str) -> Reach:
    return Reach(ContactKind.RELAY_UK, f"18001 {number}", "Relay UK: type or speak, a relay assistant helps")


def signvideo(slug: str) -> Reach:
    return Reach(ContactKind.VIDEO_RELAY, f"https://signvideo.example.org/{slug}", "BSL video relay (SignVideo)")


def whatsapp(number: str, description: str | None = None) -> Reach:
    return Reach(ContactKind.WHATSAPP, number, description)


def video(url: str, description: str | None = None) -> Reach:
    return Reach(ContactKind.VIDEO_CALL, url, description)


@dataclass(frozen=True)
class Listing:
    """A service. `verified` is days after (negative: before) the demo's last-verified date."""

    org: str
    name: str
    description: str
    application_process: str
    needs: tuple[str, ...]
    areas: tuple[str, ...]
    eligibility: str = "Anyone."
    languages: tuple[str, ...] = ("en",)
    venues: tuple[str, ...] = ()
    hours: tuple[Hours, ...] = ()
    phones: tuple[Reach, ...] = ()
    contact: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    status: ServiceStatus = ServiceStatus.ACTIVE
    cost: tuple[str, float, str] | None = None  # option, amount in pounds, description
    in_person: bool = True
    online: bool = False
    by_phone: bool = False
    bsl_staff: bool = False
    bsl_interpreter: bool = False
    verified: int = 0
    email: str | None = None  # the organisation's when None
    translations: dict[str, Text] = field(default_factory=dict)


RIVERSIDE = "Riverside Community Hub"
NEW_ROOTS = "New Roots Refugee Welcome"
DEAF_CONNECT = "Deaf Connect"
OPEN_DOOR = "Open Door Youth Wellbeing"
AMARO_KHER = "Amaro Kher Roma Project"
KITCHEN = "Spital Hill Community Kitchen"
CARERS_NORTH = "Sheffield North Carers Network"
SAFER_HOMES = "Safer Homes Sheffield"
STEP_FORWARD = "Step Forward Recovery"
JOBS = "Page Hall Jobs and Skills"
FIRTH_PARK_FRIENDS = "Friends of Firth Park"
HARBOURSIDE = "Harbourside Homeless Project"
YARMOUTH_TOGETHER = "Yarmouth Together"
SILVER_TIDES = "Silver Tides Befriending"
MONEY_EAST = "East Coast Money Advice"
BREYDON = "Breydon Community Food Network"
MENS_SHED = "Gorleston Men's Shed"
RECOVERY_CAFE = "Coastal Recovery Café"
SOUTHTOWN_PARENTS = "Southtown Parents' Network"
HILLS_TRANSPORT = "Hills Community Transport"
FARM_SUPPORT = "Mid Wales Farm Support Network"
FOOD_HUB = "Llanidloes Food Hub"
RURAL_CARERS = "Radnorshire Rural Carers"
YOUTH_SPACE = "Llandrindod Youth Space"
NEWTOWN_WELCOME = "Newtown Welcome Group"
WELLBEING_PATHS = "Wellbeing Paths Mid Wales"
DERWEN = "Canolfan Derwen"

ORGANIZATIONS: list[Org] = [
    # Sheffield
    Org(RIVERSIDE, "A community centre by the River Don offering food, advice and company to anyone who needs it.",
        "hello@riverside-hub.example.org", "https://riverside-hub.example.org"),
    Org(NEW_ROOTS, "Volunteers and caseworkers who help refugees and migrants settle, learn English and find advice.",
        "welcome@newroots.example.org", "https://newroots.example.org",
        translations={"ar": Text(
            "نيو روتس لاستقبال اللاجئين",
            "متطوعون ومرشدون يساعدون اللاجئين والمهاجرين على الاستقرار وتعلّم اللغة الإنجليزية والحصول على المشورة.",
        )}),
    Org(DEAF_CONNECT, "A Deaf-led charity: BSL social clubs, advocacy and information in British Sign Language.",
        "info@deafconnect.example.org", "https://deafconnect.example.org"),
    Org(OPEN_DOOR, "Free, confidential support for young people aged 11 to 25 who are struggling with how they feel.",
        "talk@opendoor.example.org", "https://opendoor.example.org"),
    Org(AMARO_KHER, "Roma workers supporting Roma families in Page Hall and across Sheffield. Amaro Kher means "
        "'our home' in Romani.", "ame@amarokher.example.org", "https://amarokher.example.org"),
    Org(KITCHEN, "Volunteers cooking good food that would otherwise be wasted, and sharing it at one big table.",
        "eat@spitalhillkitchen.example.org", "https://spitalhillkitchen.example.org"),
    Org(CARERS_NORTH, "Support, advice and company for unpaid carers in north Sheffield.",
        "carers@northcarers.example.org", "https://northcarers.example.org"),
    Org(SAFER_HOMES, "Specialist support for anyone affected by domestic abuse in Sheffield.",
        "support@saferhomes.example.org", "https://saferhomes.example.org"),
    Org(STEP_FORWARD, "Peer-led recovery from drink and drugs, and support for the families affected.",
        "hello@stepforward.example.org", "https://stepforward.example.org"),
    Org(JOBS, "Free help into work and training for people in Page Hall, Fir Vale and Firth Park.",
        "jobs@pagehalljobs.example.org", "https://pagehalljobs.example.org"),
    Org(FIRTH_PARK_FRIENDS, "Local people looking after Firth Park and getting their neighbours moving.",
        "friends@firthparkfriends.example.org", "https://firthparkfriends.example.org"),
    # Great Yarmouth
    Org(HARBOURSIDE, "A day centre, outreach team and winter shelter for people who are homeless in Great Yarmouth.",
        "help@harbourside.example.org", "https://harbourside.example.org"),
    Org(YARMOUTH_TOGETHER, "Advice, English classes and a friendly welcome for Eastern European and Portuguese "
        "workers and their families.", "info@yarmouthtogether.example.org", "https://yarmouthtogether.example.org"),
    Org(SILVER_TIDES, "Volunteers keeping older people in Great Yarmouth and Gorleston connected.",
        "hello@silvertides.example.org", "https://silvertides.example.org"),
    Org(MONEY_EAST, "Free, independent money, benefits and energy advice on the east Norfolk coast.",
        "advice@eastcoastmoney.example.org", "https://eastcoastmoney.example.org"),
    Org(BREYDON, "Food banks and community fridges in Great Yarmouth, run by volunteers from local churches and "
        "mosques.", "food@breydonfood.example.org", "https://breydonfood.example.org"),
    Org(MENS_SHED, "A workshop where men (and anyone else) make, mend and talk.",
        "shed@gorlestonshed.example.org", "https://gorlestonshed.example.org"),
    Org(RECOVERY_CAFE, "A café run by people in recovery from drink and drugs, for anyone who wants to stop.",
        "cafe@coastalrecovery.example.org", "https://coastalrecovery.example.org"),
    Org(SOUTHTOWN_PARENTS, "Parents in Southtown and Gorleston running play sessions for young children.",
        "play@southtownparents.example.org", "https://southtownparents.example.org", pending=True),
    # Powys
    Org(HILLS_TRANSPORT, "Volunteer drivers and a minibus for people in mid Powys who have no bus, or cannot use one.",
        "teithio@hillstransport.example.org", "https://hillstransport.example.org",
        translations={"cy": Text(
            "Trafnidiaeth Gymunedol y Bryniau",
            "Gyrwyr gwirfoddol a bws mini i bobl yng nghanolbarth Powys sydd heb fws, neu sy'n methu defnyddio bws.",
        )}),
    Org(FARM_SUPPORT, "Farmers and farming families supporting each other through hard times, in Welsh and English.",
        "cymorth@farmsupport.example.org", "https://farmsupport.example.org",
        translations={"cy": Text(
            "Rhwydwaith Cymorth Fferm Canolbarth Cymru",
            "Ffermwyr a theuluoedd fferm yn cefnogi ei gilydd drwy gyfnodau anodd, yn Gymraeg ac yn Saesneg.",
        )}),
    Org(FOOD_HUB, "A community food shop and van run by volunteers, with food from local farms and supermarkets.",
        "bwyd@llanidloesfood.example.org", "https://llanidloesfood.example.org",
        translations={"cy": Text(
            "Hwb Bwyd Llanidloes",
            "Siop fwyd gymunedol a fan sy'n cael eu rhedeg gan wirfoddolwyr, gyda bwyd o ffermydd lleol ac "
            "archfarchnadoedd.",
        )}),
    Org(RURAL_CARERS, "Support for unpaid carers in the towns and on the farms of Radnorshire.",
        "gofalwyr@ruralcarers.example.org", "https://ruralcarers.example.org",
        translations={"cy": Text(
            "Gofalwyr Gwledig Maesyfed", "Cymorth i ofalwyr di-dâl yn nhrefi a ffermydd Maesyfed."
        )}),
    Org(YOUTH_SPACE, "Youth workers and counsellors for young people aged 11 to 25 in mid Powys.",
        "helo@youthspace.example.org", "https://youthspace.example.org",
        translations={"cy": Text(
            "Gofod Ieuenctid Llandrindod",
            "Gweithwyr ieuenctid a chwnselwyr i bobl ifanc 11 i 25 oed yng nghanolbarth Powys.",
        )}),
    Org(NEWTOWN_WELCOME, "Volunteers in Newtown welcoming families who have come to mid Wales from Ukraine, Syria, "
        "Afghanistan and elsewhere.", "croeso@newtownwelcome.example.org", "https://newtownwelcome.example.org",
        translations={"cy": Text(
            "Grŵp Croeso'r Drenewydd",
            "Gwirfoddolwyr yn y Drenewydd yn croesawu teuluoedd sydd wedi dod i ganolbarth Cymru o Wcráin, Syria, "
            "Affganistan a mannau eraill.",
        )}),
    Org(WELLBEING_PATHS, "Walks and outdoor volunteering for better health in Radnorshire.",
        "cerdded@wellbeingpaths.example.org", "https://wellbeingpaths.example.org",
        translations={"cy": Text(
            "Llwybrau Lles Canolbarth Cymru",
            "Teithiau cerdded a gwirfoddoli yn yr awyr agored er mwyn gwella iechyd ym Maesyfed.",
        )}),
    Org(DERWEN, "A community centre in the middle of Llanidloes: classes, clubs and a warm place to meet.",
        "post@canolfanderwen.example.org", "https://canolfanderwen.example.org",
        translations={"cy": Text(
            "Canolfan Derwen",
            "Canolfan gymunedol yng nghanol Llanidloes: dosbarthiadau, clybiau a lle cynnes i gyfarfod.",
        )}),
]  # fmt: skip

VENUES: list[Venue] = [
    # Sheffield
    Venue("riverside-hub", RIVERSIDE, "Riverside Community Hub", "40 Mowbray Street", "Sheffield", "S3 8EN",
          (0.0055, 0.0052), ("step_free", "accessible_toilet", "hearing_loop", "baby_changing", "large_print")),
    Venue("new-roots-centre", NEW_ROOTS, "New Roots Welcome Centre", "112 Spital Hill", "Sheffield", "S4 7LG",
          (-0.0062, -0.0058), ("step_free", "accessible_toilet", "quiet_space", "easy_read")),
    Venue("deaf-connect-centre", DEAF_CONNECT, "Deaf Connect Centre", "15 Henry Street", "Sheffield", "S3 7EQ",
          (0.0014, -0.0031), ("step_free", "accessible_toilet", "hearing_loop", "quiet_space")),
    Venue("firth-park-rooms", OPEN_DOOR, "Firth Park Community Rooms", "190 Firth Park Road", "Sheffield", "S5 6WD",
          (-0.0086, 0.0061), ("step_free", "accessible_toilet", "quiet_space", "baby_changing")),
    Venue("amaro-kher-rooms", AMARO_KHER, "Amaro Kher Community Rooms", "61 Page Hall Road", "Sheffield", "S4 8GT",
          (0.0058, 0.0041), ("step_free", "baby_changing", "easy_read")),
    Venue("spital-hill-kitchen", KITCHEN, "Spital Hill Community Kitchen", "25 Spital Hill", "Sheffield", "S4 7LB",
          (-0.0071, -0.0049), ("step_free", "accessible_toilet")),
    Venue("pitsmoor-church-hall", CARERS_NORTH, "Pitsmoor Church Hall", "3 Abbeyfield Road", "Sheffield", "S4 7AT",
          (-0.0012, -0.0022),
          ("step_free", "accessible_toilet", "hearing_loop", "large_print", "blue_badge_parking")),
    Venue("step-forward-house", STEP_FORWARD, "Step Forward House", "88 Burngreave Road", "Sheffield", "S3 9DA",
          (0.0079, 0.0083), ("step_free", "quiet_space", "accessible_toilet")),
    Venue("jobs-hub", JOBS, "Jobs and Skills Hub", "14 Popple Street", "Sheffield", "S4 8HR",
          (0.0043, 0.0021), ("step_free", "accessible_toilet", "large_print")),
    Venue("firth-park-clock-tower", FIRTH_PARK_FRIENDS, "Firth Park, by the clock tower", "Firth Park Road",
          "Sheffield", "S5 6HF", (-0.0112, 0.0034), ("blue_badge_parking",)),
    # Great Yarmouth
    Venue("harbourside-day-centre", HARBOURSIDE, "Harbourside Day Centre", "14 Howard Street South",
          "Great Yarmouth", "NR30 1LN", (-0.0081, 0.0004), ("step_free", "accessible_toilet", "quiet_space")),
    Venue("northgate-church-hall", HARBOURSIDE, "Northgate Church Hall", "Northgate Street", "Great Yarmouth",
          "NR30 1BP", (-0.0015, -0.0012), ("accessible_toilet",)),
    Venue("middlegate-centre", YARMOUTH_TOGETHER, "Middlegate Community Centre", "2 Middlegate", "Great Yarmouth",
          "NR30 2TF", (-0.0113, -0.0009),
          ("step_free", "accessible_toilet", "baby_changing", "hearing_loop", "easy_read")),
    Venue("market-row-food-store", BREYDON, "The Food Store", "31 Market Row", "Great Yarmouth", "NR30 1PB",
          (-0.0042, 0.0016), ("step_free", "large_print")),
    Venue("magdalen-hall", SILVER_TIDES, "Magdalen Way Community Hall", "Magdalen Way", "Gorleston-on-Sea",
          "NR31 7BP", (-0.0052, 0.0041),
          ("step_free", "accessible_toilet", "hearing_loop", "blue_badge_parking", "large_print")),
    Venue("britannia-pier", SILVER_TIDES, "Marine Parade, by the Britannia Pier", "Marine Parade", "Great Yarmouth",
          "NR30 2EJ", (-0.0029, 0.0118), ("accessible_toilet", "blue_badge_parking")),
    Venue("bells-road-shed", MENS_SHED, "Gorleston Men's Shed", "Unit 4, Bells Road", "Gorleston-on-Sea",
          "NR31 6BB", (0.0012, 0.0068), ("step_free",)),
    Venue("anchor-cafe", RECOVERY_CAFE, "The Anchor Recovery Café", "58 King Street", "Great Yarmouth", "NR30 2PN",
          (-0.0063, 0.0021), ("step_free", "accessible_toilet", "quiet_space")),
    # Powys
    Venue("temple-street-rooms", RURAL_CARERS, "Temple Street Community Rooms", "22 Temple Street",
          "Llandrindod Wells", "LD1 5DL", (0.0021, -0.0011),
          ("step_free", "accessible_toilet", "hearing_loop", "large_print")),
    Venue("youth-space", YOUTH_SPACE, "Youth Space", "5 Station Crescent", "Llandrindod Wells", "LD1 5BB",
          (-0.0013, 0.0019), ("step_free", "quiet_space", "accessible_toilet")),
    Venue("rhayader-hall", HILLS_TRANSPORT, "Rhayader Community Hall", "East Street", "Rhayader", "LD6 5DY",
          (0.0004, 0.0031), ("step_free", "accessible_toilet", "blue_badge_parking")),
    Venue("farm-support-office", FARM_SUPPORT, "Farm Support Office", "3 West Street", "Rhayader", "LD6 5AB",
          (-0.0009, -0.0021), ("step_free",)),
    Venue("newtown-welcome-room", NEWTOWN_WELCOME, "Newtown Welcome Room", "17 Severn Street", "Newtown",
          "SY16 2AQ", (-0.0048, 0.0006), ("step_free", "accessible_toilet", "baby_changing", "easy_read")),
    Venue("canolfan-derwen", DERWEN, "Canolfan Derwen", "Great Oak Street", "Llanidloes", "SY18 6BU",
          (0.0018, 0.0003), ("step_free", "accessible_toilet", "hearing_loop")),
    Venue("china-street-store", FOOD_HUB, "Llanidloes Food Hub", "9 China Street", "Llanidloes", "SY18 6AB",
          (0.0011, -0.0024), ("step_free",)),
]  # fmt: skip

CLOSED_BANK_HOLIDAYS = "Closed on bank holidays"
WEEKDAYS = "MO,TU,WE,TH,FR"
NEEDS_REFERRAL = "Ask your GP or a link worker to refer you."
DROP_IN = "Just drop in."

SERVICES: list[Listing] = [
    # --- Sheffield: Page Hall, Burngreave, Firth Park -------------------------------------------------------------
    Listing(RIVERSIDE, "Community food pantry",
        "Choose fresh fruit and vegetables, bread and cupboard food each week, free. Halal and vegetarian food is "
        "kept separate. No referral needed; referrals from link workers are welcome.",
        "Just drop in. Bring a bag if you can.", ("food",), SHEFFIELD,
        eligibility="Anyone living in S3, S4 or S5 who is finding it hard to afford food.",
        languages=("en", "sk", "ar"), venues=("riverside-hub",),
        hours=(Hours("MO,TH", "10:00", "13:00", CLOSED_BANK_HOLIDAYS),),
        phones=(phone("0114 496 0101"),), contact="Pantry team"),
    Listing(RIVERSIDE, "Money and debt advice drop-in",
        "Advisers help with benefits, debts, energy bills and letters you do not understand. We can phone the "
        "council or your energy company with you.",
        "Drop in, or phone to book a time that suits you.", ("money", "legal_advice"), SHEFFIELD,
        eligibility="Adults living in Sheffield.", minimum_age=18,
        languages=("en", "sk", "cs"), venues=("riverside-hub",),
        hours=(Hours("WE", "10:00", "12:30"), Hours("WE", "13:30", "16:00"),
               Hours("FR", "10:00", "12:30", CLOSED_BANK_HOLIDAYS)),
        phones=(phone("0114 496 0102"), sms("07700 900101", "Text ADVICE and your name; we call you back")),
        contact="Advice team", by_phone=True, verified=-20),
    Listing(RIVERSIDE, "Tuesday lunch club",
        "A hot two-course meal and good company for anyone who feels lonely or isolated. Closed while the kitchen "
        "is refurbished; we plan to reopen in January 2027.",
        "Phone to book your place, so we know how many meals to cook.", ("loneliness", "food"), SHEFFIELD,
        eligibility="Anyone who feels lonely. Most members are over 60.",
        status=ServiceStatus.TEMPORARILY_CLOSED, cost=("Two-course lunch", 3.0, "£3 a meal, or what you can afford"),
        venues=("riverside-hub",), hours=(Hours("TU", "12:00", "14:00", "Closed until the kitchen reopens"),),
        phones=(phone("0114 496 0101"),), verified=-40),
    Listing(RIVERSIDE, "Digital drop-in",
        "Help with phones, tablets, email, online forms and your Universal Credit journal. We can give you a free "
        "SIM card with data if you cannot afford one.",
        "Just drop in. Bring your phone and any passwords you have.", ("digital",), SHEFFIELD,
        languages=("en", "sk", "rom"), venues=("riverside-hub",), hours=(Hours("FR", "13:00", "15:30"),),
        verified=-60),
    Listing(NEW_ROOTS, "Immigration and asylum advice",
        "Regulated advisers explain asylum, family reunion, visa and refugee status questions, and help with forms "
        "and appeals. Interpreters can be booked. Advice is confidential and does not affect your case.",
        "Phone or send a WhatsApp message to book an appointment. In an emergency, come to the centre on a "
        "Tuesday morning.", ("immigration", "legal_advice"), SHEFFIELD,
        eligibility="Refugees, people seeking asylum and migrants living in South Yorkshire.",
        languages=("en", "ar", "prs", "fa", "ps", "ckb", "ti", "uk"), venues=("new-roots-centre",),
        hours=(Hours("TU,TH", "09:30", "12:30"), Hours("TU,TH", "13:30", "16:30", "Afternoons by appointment only")),
        phones=(phone("0114 496 0201"),
                whatsapp("07700 900201", "Write in any language; we reply within two working days")),
        contact="Advice team", by_phone=True, verified=-10,
        translations={"ar": Text(
            "استشارات الهجرة واللجوء",
            "يشرح لك مستشارون معتمدون مسائل اللجوء ولمّ شمل الأسرة والتأشيرات وصفة اللاجئ، ويساعدونك في تعبئة "
            "النماذج وتقديم الطعون. يمكننا حجز مترجم فوري. الاستشارة سرية ولا تؤثر على قضيتك.",
            "اتصل بنا أو أرسل رسالة عبر واتساب لحجز موعد. في الحالات الطارئة، تعال إلى المركز صباح يوم الثلاثاء.",
            "اللاجئون وطالبو اللجوء والمهاجرون المقيمون في جنوب يوركشاير.",
        )}),
    Listing(NEW_ROOTS, "English conversation club",
        "Practise everyday English in a friendly group: shopping, the doctor, the bus, school. All levels welcome. "
        "Free creche for children under 5.",
        "Just drop in. You do not need to book.", ("english_language", "loneliness"), SHEFFIELD,
        eligibility="Anyone aged 16 or over whose first language is not English.", minimum_age=16,
        languages=("en", "ar", "prs", "ps", "ti", "uk", "sk"), venues=("riverside-hub",),
        hours=(Hours("WE", "10:00", "12:00", "Term time only"),), verified=-5,
        translations={"ar": Text(
            "نادي المحادثة باللغة الإنجليزية",
            "تدرّب على اللغة الإنجليزية اليومية ضمن مجموعة ودودة: التسوق، وزيارة الطبيب، وركوب الحافلة، والمدرسة. "
            "نرحّب بجميع المستويات. تتوفر حضانة مجانية للأطفال دون سن الخامسة.",
            "تعال مباشرة، لا حاجة إلى الحجز.",
            "كل من لغته الأولى ليست الإنجليزية، من سن 16 عامًا فما فوق.",
        )}),
    Listing(NEW_ROOTS, "Women's welcome circle",
        "A relaxed group for women who have come to the UK as refugees or migrants: crafts, cooking, trips and a "
        "chance to talk. A counsellor joins us once a month.",
        "Just drop in, or ask your caseworker or link worker to tell us you are coming.",
        ("mental_health", "loneliness"), SHEFFIELD,
        eligibility="Women aged 18 and over. Children under 5 are welcome too.", minimum_age=18,
        languages=("en", "ar", "prs", "ps", "ti", "ckb"), venues=("new-roots-centre",),
        hours=(Hours("MO", "13:00", "15:00"),), verified=-45,
        translations={"ar": Text(
            "حلقة الترحيب بالنساء",
            "مجموعة مريحة للنساء اللواتي جئن إلى المملكة المتحدة لاجئاتٍ أو مهاجرات: أشغال يدوية وطبخ ورحلات "
            "وفرصة للحديث. تنضم إلينا مستشارة نفسية مرة كل شهر.",
            "تعالَي مباشرة دون موعد، أو اطلبي من الشخص الذي يتابع حالتك أن يخبرنا بقدومك.",
            "النساء من سن 18 عامًا فما فوق. الأطفال دون سن الخامسة مرحّب بهم أيضًا.",
        )}),
    Listing(NEW_ROOTS, "Move-on housing support",
        "Got a positive decision? You have 56 days to leave asylum accommodation. We help you apply for Universal "
        "Credit, ask the council for help as homeless and find somewhere to live.",
        "Phone as soon as you get your decision letter. Caseworkers and link workers can refer you.",
        ("housing", "money"), SHEFFIELD,
        eligibility="People granted refugee status or humanitarian protection in Sheffield.",
        languages=("en", "ar", "prs", "fa", "ps", "ckb", "ti"), venues=("new-roots-centre",),
        hours=(Hours("MO,WE,FR", "10:00", "16:00"),), phones=(phone("0114 496 0202"),), contact="Housing caseworkers",
        by_phone=True, verified=-30,
        translations={"ar": Text(
            "دعم السكن بعد قرار اللجوء",
            "هل حصلت على قرار إيجابي؟ أمامك 56 يومًا لمغادرة سكن اللجوء. نساعدك في التقديم على الائتمان الشامل "
            "(Universal Credit)، وطلب المساعدة من البلدية بصفتك بلا مأوى، وإيجاد مكان للسكن.",
            "اتصل بنا فور استلامك رسالة القرار. يمكن لمسؤولي الحالات والعاملين الاجتماعيين إحالتك إلينا.",
            "الأشخاص الذين حصلوا على صفة اللاجئ أو الحماية الإنسانية في شيفيلد.",
        )}),
    Listing(DEAF_CONNECT, "BSL social club",
        "Meet other Deaf people and BSL users over tea, cake and games. Everything happens in BSL. Hearing people "
        "learning BSL are welcome on the first Friday of the month.",
        DROP_IN, ("deaf_community", "loneliness"), SHEFFIELD,
        eligibility="Deaf people, BSL users and their families.", languages=("bfi",), bsl_staff=True,
        venues=("deaf-connect-centre",), hours=(Hours("FR", "18:00", "21:00", CLOSED_BANK_HOLIDAYS),),
        phones=(sms("07700 900301"), signvideo("deaf-connect")), verified=-15),
    Listing(DEAF_CONNECT, "Deaf advocacy service",
        "A Deaf advocate supports you at appointments, with letters and with complaints, in British Sign Language. "
        "We make sure the NHS, the council and the jobcentre book a qualified interpreter.",
        "Contact us by text, video relay, WhatsApp video or email, or drop in on a Wednesday.",
        ("deaf_community", "legal_advice"), SHEFFIELD,
        eligibility="Deaf BSL users aged 16 and over living in Sheffield.", minimum_age=16,
        languages=("bfi", "en"), bsl_staff=True, online=True, venues=("deaf-connect-centre",),
        hours=(Hours("WE", "10:00", "13:00"), Hours("WE", "14:00", "16:00"), Hours("MO", "10:00", "13:00")),
        phones=(sms("07700 900302"), relay("0114 496 0301"), signvideo("deaf-connect-advocacy"),
                whatsapp("07700 900303", "WhatsApp video calls in BSL")),
        contact="Deaf advocates", verified=-25),
    Listing(DEAF_CONNECT, "BSL health sessions",
        "Health sessions in BSL with NHS nurses and a qualified interpreter: blood pressure checks, diabetes, "
        "cancer screening and how to book GP appointments.",
        DROP_IN, ("physical_health", "deaf_community"), SHEFFIELD, minimum_age=18,
        eligibility="Deaf and deafened adults, and BSL users.", languages=("bfi", "en"), bsl_staff=True,
        bsl_interpreter=True, venues=("deaf-connect-centre",),
        hours=(Hours("TU", "13:00", "15:00", "A different health topic each week"),), verified=-70),
    Listing(DEAF_CONNECT, "Deaf youth club",
        "Games, sport, trips and homework help for Deaf children and young people, run by Deaf youth workers in "
        "BSL. Hearing brothers and sisters are welcome.",
        "Just drop in. A parent or carer should come on the first visit.",
        ("family", "deaf_community", "physical_activity"), SHEFFIELD,
        eligibility="Deaf children and young people aged 8 to 18.", minimum_age=8, maximum_age=18,
        languages=("bfi", "en"), bsl_staff=True, venues=("deaf-connect-centre",),
        hours=(Hours("SA", "10:00", "12:30", "Not in August"),), phones=(sms("07700 900304"),), verified=-50),
    Listing(OPEN_DOOR, "Young people's peer support group",
        "A weekly group run with trained young volunteers and a youth worker. Talk about how you feel, or just "
        "listen. No pressure and no waiting list.",
        "Just turn up, or message us first if you would like someone to meet you at the door.",
        ("mental_health",), SHEFFIELD,
        eligibility="Young people aged 11 to 25.", minimum_age=11, maximum_age=25,
        venues=("firth-park-rooms",), hours=(Hours("TH", "16:30", "18:30", "Runs in school holidays too"),),
        phones=(phone("0114 496 0401"), sms("07700 900401")), verified=-8),
    Listing(OPEN_DOOR, "Evening text support",
        "This service has closed; its work moved to the peer support group and one-to-one counselling.",
        "This service is no longer running. Please contact the peer support group instead.",
        ("mental_health",), SHEFFIELD,
        eligibility="Young people aged 11 to 25.", minimum_age=11, maximum_age=25,
        status=ServiceStatus.INACTIVE, in_person=False, online=True, by_phone=True, verified=-520),
    Listing(OPEN_DOOR, "One-to-one counselling for young people",
        "Up to 12 free sessions with a qualified counsellor, in person or by video. For anxiety, low mood, "
        "self-harm, bullying, family problems or anything else on your mind.",
        "Refer yourself by phone or online, or ask your GP, school or a link worker to refer you. The wait is "
        "usually 3 to 5 weeks.", ("mental_health", "family"), SHEFFIELD,
        eligibility="Young people aged 11 to 25 who live or study in north Sheffield.", minimum_age=11,
        maximum_age=25, languages=("en", "sk", "ar"), bsl_interpreter=True, online=True,
        venues=("firth-park-rooms",),
        hours=(Hours("MO,TU,WE,TH", "10:00", "19:00"), Hours("FR", "10:00", "16:00", CLOSED_BANK_HOLIDAYS)),
        phones=(phone("0114 496 0402"), video("https://video.opendoor.example.org", "Sessions by video")),
        contact="Counselling team", verified=-12),
    Listing(AMARO_KHER, "Roma family support",
        "Roma support workers who speak Romani, Slovak and Czech help families with school, doctors, benefits, "
        "housing and letters. We can come with you to appointments.",
        "Drop in, or send a WhatsApp message in any language. Schools and link workers can refer families.",
        ("family", "money", "housing"), SHEFFIELD, eligibility="Roma families living in Sheffield.",
        languages=("rom", "sk", "cs", "en"), venues=("amaro-kher-rooms",),
        hours=(Hours("MO,TU,TH", "09:30", "12:30"), Hours("MO,TU,TH", "13:30", "16:00")),
        phones=(phone("0114 496 0501"), whatsapp("07700 900501")), contact="Family support workers",
        by_phone=True, verified=-3),
    Listing(AMARO_KHER, "Roma youth club",
        "Football, music, dance and trips with Roma youth workers. A safe place to meet friends after school.",
        DROP_IN, ("family", "physical_activity"), SHEFFIELD,
        eligibility="Young people aged 10 to 18.", minimum_age=10, maximum_age=18,
        languages=("rom", "sk", "cs", "en"), venues=("amaro-kher-rooms",),
        hours=(Hours("WE,FR", "16:00", "18:30"),), verified=-100),
    Listing(AMARO_KHER, "EU Settlement Scheme help",
        "Help with EU Settlement Scheme applications, late applications and proving your status to employers, "
        "landlords and the NHS. Our adviser is regulated to give immigration advice.",
        "Phone or WhatsApp to book. Bring passports, ID cards and any letters from the Home Office.",
        ("immigration", "legal_advice"), SHEFFIELD,
        eligibility="EU citizens and their families living in Sheffield, especially Roma families.",
        languages=("rom", "sk", "cs", "ro", "en"), venues=("amaro-kher-rooms",),
        hours=(Hours("TH", "10:00", "15:00"),), phones=(phone("0114 496 0502"), whatsapp("07700 900501")),
        by_phone=True, verified=-140),
    Listing(AMARO_KHER, "Roma women's health group",
        "A friendly group for Roma women with a health visitor and a Slovak-speaking health worker: pregnancy, "
        "children's vaccinations, screening and how to see a GP.",
        DROP_IN, ("physical_health", "family"), SHEFFIELD,
        eligibility="Roma women aged 16 and over.", minimum_age=16, languages=("rom", "sk", "cs"),
        venues=("amaro-kher-rooms",), hours=(Hours("TU", "10:00", "12:00"),), verified=-430),
    Listing(KITCHEN, "Pay-as-you-feel community meal",
        "A hot vegetarian meal, cooked by volunteers with food that would otherwise be wasted. Pay what you can, "
        "or nothing at all.", DROP_IN, ("food", "loneliness"), SHEFFIELD,
        languages=("en", "ar", "ur", "sk"), venues=("spital-hill-kitchen",),
        hours=(Hours("WE", "17:30", "19:30"), Hours("SA", "12:30", "14:30")), verified=-18),
    Listing(KITCHEN, "Cook and eat course",
        "Six weekly sessions: cook healthy meals on a small budget, then eat together. You take home a bag of "
        "ingredients each week.",
        "Ask your GP or a link worker to refer you, or phone us to join the next course.",
        ("food", "physical_health"), SHEFFIELD, eligibility="Adults and young people aged 16 and over.",
        minimum_age=16, cost=("Six-week course", 5.0, "£5 for the whole course, free if you get benefits"),
        languages=("en", "ur", "ar"), venues=("spital-hill-kitchen",),
        hours=(Hours("TU", "18:00", "20:00"),), phones=(phone("0114 496 0601"),), verified=-80),
    Listing(CARERS_NORTH, "Carers' coffee morning",
        "Meet other people who look after someone: a partner, parent, child or friend. Tea, cake, a listening ear "
        "and information about breaks and benefits.", DROP_IN, ("carers", "loneliness"), SHEFFIELD,
        eligibility="Unpaid carers of any age.", languages=("en", "ur", "sk"), venues=("pitsmoor-church-hall",),
        hours=(Hours("TU", "10:00", "12:00", "Not in August"),), verified=-55),
    Listing(CARERS_NORTH, "Carers' advice line",
        "Help with a carer's assessment, Carer's Allowance and planning for emergencies. We can talk to the "
        "council for you.", "Phone or text us. We call back within two working days.",
        ("carers", "money"), SHEFFIELD, eligibility="Unpaid carers living in Sheffield.",
        languages=("en", "ur"), in_person=False, by_phone=True,
        hours=(Hours(WEEKDAYS, "09:00", "17:00", CLOSED_BANK_HOLIDAYS),),
        phones=(phone("0114 496 0701"), sms("07700 900701"), relay("0114 496 0701")), contact="Carers' advisers",
        verified=-33),
    Listing(SAFER_HOMES, "Domestic abuse helpline",
        "Confidential support for anyone affected by domestic abuse: safety planning, refuge places and help with "
        "the police and courts. Interpreters for any language. In an emergency, call 999.",
        "Phone, text or use Relay UK. If it is not safe to talk, send a text and we will reply carefully.",
        ("domestic_abuse", "housing", "legal_advice"), SHEFFIELD,
        eligibility="Anyone affected by domestic abuse, of any gender, aged 16 and over.", minimum_age=16,
        languages=("en", "ar", "ur", "sk", "ro", "pl"), in_person=False, by_phone=True, online=True,
        bsl_interpreter=True,
        hours=(Hours(WEEKDAYS, "09:00", "20:00"), Hours("SA", "10:00", "14:00")),
        phones=(phone("0808 157 0011", "Free from mobiles and landlines"), sms("07700 900801"),
                relay("0808 157 0011"), signvideo("safer-homes")),
        contact="Helpline", verified=-6),
    Listing(SAFER_HOMES, "Domestic abuse drop-in",
        "Talk to a support worker face to face, in a private room. Children can come with you.",
        "Just drop in and ask at reception for Safer Homes. Nobody will ask you why.",
        ("domestic_abuse",), SHEFFIELD, eligibility="Anyone affected by domestic abuse.",
        languages=("en", "ur", "ar"), venues=("firth-park-rooms",), hours=(Hours("TH", "10:00", "13:00"),),
        verified=-6),
    Listing(STEP_FORWARD, "Recovery support group",
        "Support to cut down or stop drinking or using drugs, from people who have been there: a weekly group, a "
        "key worker and free naloxone kits.",
        "Just drop in, or ask your GP or a link worker to refer you.",
        ("substance_use", "mental_health"), SHEFFIELD, eligibility="Adults aged 18 and over.", minimum_age=18,
        languages=("en", "sk", "pl"), venues=("step-forward-house",),
        hours=(Hours("MO,WE,FR", "10:00", "15:00"),), phones=(phone("0114 496 0901"),), verified=-90),
    Listing(STEP_FORWARD, "Family and friends support",
        "For anyone worried about someone else's drinking or drug use. Meet other families, get information and "
        "look after yourself too.", DROP_IN, ("substance_use", "family"), SHEFFIELD,
        eligibility="Family members and friends aged 16 and over.", minimum_age=16,
        venues=("step-forward-house",), hours=(Hours("TU", "18:00", "20:00"),), verified=-35),
    Listing(JOBS, "Jobs club",
        "Help with CVs, job applications and interviews, and with Universal Credit work search. Computers and "
        "printers are free to use.", DROP_IN, ("employment", "digital"), SHEFFIELD,
        eligibility="Anyone aged 16 or over looking for work.", minimum_age=16,
        languages=("en", "sk", "cs", "rom", "ur"), venues=("jobs-hub",),
        hours=(Hours("MO,WE", "09:30", "12:30"),), verified=-22),
    Listing(JOBS, "Construction and warehouse training",
        "Free short courses for a CSCS card, a forklift licence or a food hygiene certificate, with a "
        "Slovak-speaking tutor. We help you find work afterwards.",
        "Ask at the jobs club or phone to book an assessment. Jobcentre work coaches can refer you.",
        ("employment",), SHEFFIELD, eligibility="Adults aged 18 and over who are not in work.", minimum_age=18,
        languages=("en", "sk", "cs"), venues=("jobs-hub",), hours=(Hours("TU,TH", "09:00", "15:00"),),
        phones=(phone("0114 496 0951"),), verified=-90),
    Listing(FIRTH_PARK_FRIENDS, "Health walks in Firth Park",
        "A friendly one-hour walk around the park, at the pace of the slowest walker, then tea at the café. "
        "Good for your heart and your mood.", "Just turn up in comfortable shoes.",
        ("physical_activity", "loneliness"), SHEFFIELD,
        languages=("en", "ur"), venues=("firth-park-clock-tower",),
        hours=(Hours("TU,SA", "10:00", "11:00", "Not in snow or ice; check our texts"),),
        phones=(sms("07700 900951", "Text WALKS to hear about changes"),), verified=-400),
    Listing(FIRTH_PARK_FRIENDS, "Chair-based exercise",
        "Gentle exercise to music, sitting down or holding a chair, for strength and balance. Good for people "
        "with arthritis or after a fall.", NEEDS_REFERRAL + " You can also just come along.",
        ("physical_activity", "physical_health"), SHEFFIELD, eligibility="Adults of any fitness.", minimum_age=18,
        cost=("Session", 2.0, "£2 a session"), venues=("pitsmoor-church-hall",),
        hours=(Hours("TH", "13:30", "14:30"),), verified=-120),
    # --- Great Yarmouth and Gorleston --------------------------------------------------------------------------
    Listing(HARBOURSIDE, "Day centre",
        "Breakfast, hot showers, laundry, clothes and a safe place to rest. Staff help with housing, benefits, "
        "ID and registering with a GP. Dogs welcome.",
        DROP_IN, ("housing", "food"), GREAT_YARMOUTH,
        eligibility="Adults who are homeless, sleeping rough or at risk of losing their home.", minimum_age=18,
        languages=("en", "pl", "lt", "ro", "pt"), venues=("harbourside-day-centre",),
        hours=(Hours(WEEKDAYS, "08:00", "11:30"), Hours(WEEKDAYS, "13:00", "15:00", "Afternoons: advice only"),
               Hours("SA", "09:00", "11:00")),
        phones=(phone("01632 960101"),), contact="Day centre", verified=-4),
    Listing(HARBOURSIDE, "Street outreach and housing advice",
        "Outreach workers go out early in the morning to find and help people sleeping rough, and advise anyone "
        "at risk of eviction.",
        "Tell us where someone is sleeping rough by phone, text or WhatsApp. Anyone can refer.",
        ("housing", "legal_advice"), GREAT_YARMOUTH, eligibility="Anyone sleeping rough or about to be homeless.",
        languages=("en", "pl", "lt"), by_phone=True,
        hours=(Hours(WEEKDAYS, "06:30", "10:00"),),
        phones=(phone("01632 960102"), sms("07700 900111"), whatsapp("07700 900111")), contact="Outreach team",
        verified=-4),
    Listing(HARBOURSIDE, "Winter night shelter",
        "Ten beds in a church hall from December to March, with an evening meal and breakfast. Closed until "
        "1 December.",
        "Referral only: by our outreach team or the council's housing team.", ("housing",), GREAT_YARMOUTH,
        eligibility="Adults sleeping rough in Great Yarmouth.", minimum_age=18,
        status=ServiceStatus.TEMPORARILY_CLOSED, venues=("northgate-church-hall",),
        hours=(Hours("MO,TU,WE,TH,FR,SA,SU", "19:00", "23:30", "Doors close at 23:30; you can stay until 8am"),),
        phones=(phone("01632 960102"),), verified=-50),
    Listing(YARMOUTH_TOGETHER, "Advice for Eastern European workers",
        "Problems with an agency, unpaid wages, housing that comes with your job, or your settled status? Our "
        "advisers speak Polish, Lithuanian, Latvian, Romanian, Bulgarian and Portuguese.",
        "Drop in on a Monday or Thursday evening, or send a WhatsApp message.",
        ("employment", "legal_advice", "money"), GREAT_YARMOUTH,
        eligibility="Workers from the EU and their families.",
        languages=("en", "pl", "lt", "lv", "ro", "bg", "pt"), venues=("middlegate-centre",),
        hours=(Hours("MO,TH", "17:00", "19:30"),),
        phones=(phone("01632 960121"), whatsapp("07700 900121")), by_phone=True, verified=-14),
    Listing(YARMOUTH_TOGETHER, "English for work",
        "Ten-week English course for work: health and safety, talking to your manager, payslips and contracts.",
        "Phone or WhatsApp to book a place on the next course.", ("english_language", "employment"), GREAT_YARMOUTH,
        eligibility="Adults aged 16 and over.", minimum_age=16,
        cost=("Ten-week course", 15.0, "£15 for ten weeks; free if you get Universal Credit or another benefit"),
        languages=("en", "pl", "lt", "ro", "pt", "bg"), venues=("middlegate-centre",),
        hours=(Hours("TU,TH", "18:00", "20:00", "Term time only"),), phones=(phone("01632 960121"),), verified=-60),
    Listing(YARMOUTH_TOGETHER, "Job club at the library",
        "This job club ended in March 2026 when its funding stopped.",
        "This service is no longer running.", ("employment", "digital"), ("NR30",),
        status=ServiceStatus.INACTIVE, verified=-240),
    Listing(SILVER_TIDES, "Telephone befriending",
        "A friendly volunteer phones you at the same time each week for a chat. We match you with someone who "
        "shares your interests.",
        "Phone us, or ask your GP, a link worker or a family member to refer you.", ("loneliness",), GREAT_YARMOUTH,
        eligibility="People aged 60 and over who feel lonely.", minimum_age=60, in_person=False, by_phone=True,
        hours=(Hours(WEEKDAYS, "10:00", "16:00", "Office hours; calls can be at other times"),),
        phones=(phone("01632 960131"), relay("01632 960131")), contact="Befriending co-ordinator", verified=-21),
    Listing(SILVER_TIDES, "Gorleston lunch and social",
        "A two-course lunch, tea and cake, bingo and a chat. Our minibus can collect you from home.",
        "Phone to book by Tuesday, and tell us if you need the minibus.", ("loneliness", "food"), GREAT_YARMOUTH,
        eligibility="People aged 60 and over.", minimum_age=60,
        cost=("Lunch", 4.5, "£4.50 for lunch, tea and cake"), venues=("magdalen-hall",),
        hours=(Hours("TH", "12:00", "15:00", CLOSED_BANK_HOLIDAYS),), phones=(phone("01632 960131"),),
        verified=-21),
    Listing(SILVER_TIDES, "Home from hospital",
        "Practical help for six weeks after you leave hospital: shopping, collecting prescriptions, a friendly "
        "visit and a check that your heating works.",
        "Ask the hospital discharge team, your GP or a link worker to refer you.",
        ("physical_health", "loneliness"), GREAT_YARMOUTH,
        eligibility="People aged 60 and over going home from hospital.", minimum_age=60, by_phone=True,
        phones=(phone("01632 960132"),), verified=-410),
    Listing(SILVER_TIDES, "Seafront walking group",
        "A gentle one-hour walk along the seafront, then a cup of tea. The route is flat; walkers with sticks and "
        "frames are welcome.", DROP_IN, ("physical_activity", "loneliness"), GREAT_YARMOUTH,
        venues=("britannia-pier",), hours=(Hours("WE", "10:30", "11:30"),), verified=-90),
    Listing(MONEY_EAST, "Benefits and debt advice",
        "Free, confidential advice on benefits, debts, bailiffs and council tax. We can check you are getting "
        "everything you are entitled to.",
        "Phone us or drop in. Link workers can refer you.", ("money", "legal_advice"), GREAT_YARMOUTH,
        eligibility="Adults living in the borough of Great Yarmouth.", minimum_age=18,
        languages=("en", "pl", "pt"), by_phone=True, venues=("middlegate-centre", "magdalen-hall"),
        hours=(Hours("TU", "10:00", "15:00", at="middlegate-centre"),
               Hours("TH", "10:00", "15:00", at="magdalen-hall"),
               Hours(WEEKDAYS, "09:00", "17:00", "Phone line")),
        phones=(phone("01632 960141"), sms("07700 900141")), contact="Advice line", verified=-28),
    Listing(MONEY_EAST, "Warm home and energy help",
        "Help with energy debts, prepayment meters, grants for boilers and insulation, and the Warm Home Discount. "
        "Home visits for people who cannot get out.",
        "Phone us, or ask a link worker to refer you.", ("money", "housing"), GREAT_YARMOUTH, by_phone=True,
        hours=(Hours(WEEKDAYS, "09:00", "17:00"),), phones=(phone("01632 960142"),), verified=-25),
    Listing(BREYDON, "Emergency food parcels",
        "Three days of food for you and your family, with toiletries and baby items. We also help with the "
        "reason you need food.",
        "You need a referral voucher: ask a link worker, the council, your GP or any advice service.",
        ("food",), GREAT_YARMOUTH, languages=("en", "pl", "lt", "pt", "ro"), venues=("market-row-food-store",),
        hours=(Hours("MO,WE,FR", "11:00", "14:00", CLOSED_BANK_HOLIDAYS),), phones=(phone("01632 960151"),),
        verified=-11),
    Listing(BREYDON, "Community fridge",
        "Free surplus food from supermarkets and local farms. Take what you need; no questions asked.",
        DROP_IN, ("food",), GREAT_YARMOUTH, venues=("market-row-food-store",),
        hours=(Hours("TU,TH,SA", "10:00", "12:00"),), verified=-11),
    Listing(MENS_SHED, "Men's Shed workshop",
        "Woodwork, repairs and a cup of tea in a friendly workshop. Bring a project or help with ours. Many "
        "members come after a loss, retirement or a hard patch.",
        DROP_IN, ("loneliness", "mental_health", "arts_culture"), GREAT_YARMOUTH,
        eligibility="Adults aged 18 and over. Women are welcome too.", minimum_age=18,
        cost=("Visit", 2.0, "£2 a visit, tea included"), venues=("bells-road-shed",),
        hours=(Hours("TU,TH,SA", "10:00", "15:00"),), phones=(phone("01632 960161"),), verified=-75),
    Listing(RECOVERY_CAFE, "Recovery café",
        "A drink- and drug-free café run by people in recovery: cheap food, mutual aid meetings, peer mentors and "
        "someone to talk to about cutting down or stopping.",
        DROP_IN, ("substance_use", "loneliness", "mental_health"), GREAT_YARMOUTH,
        eligibility="Adults aged 18 and over.", minimum_age=18, languages=("en", "pl", "lt"),
        venues=("anchor-cafe",), hours=(Hours(WEEKDAYS, "10:00", "16:00"),), phones=(phone("01632 960171"),),
        verified=-40),
    Listing(SOUTHTOWN_PARENTS, "Stay and play",
        "Play, songs and stories for children under 5, with tea and a chat for parents and carers.",
        DROP_IN, ("family", "loneliness"), ("NR31",),
        eligibility="Children under 5 with a parent or carer.", minimum_age=0, maximum_age=4,
        venues=("magdalen-hall",), hours=(Hours("WE", "09:30", "11:30", "Term time only"),), verified=-2),
    # --- Mid Powys: Llandrindod Wells, Rhayader, Newtown, Llanidloes ------------------------------------------
    Listing(HILLS_TRANSPORT, "Community car scheme",
        "Volunteer drivers take you to GP and hospital appointments, the pharmacy, the shops or to see friends, "
        "when there is no bus.",
        "Phone at least two working days before your journey. You need to register first; it takes five minutes "
        "on the phone.", ("physical_health", "loneliness"), POWYS,
        eligibility="Anyone who cannot use public transport, or lives where there is none.",
        cost=("Per mile", 0.45, "45p a mile, counted from the driver's home; ask us if you cannot afford it"),
        languages=("en", "cy"), by_phone=True,
        hours=(Hours(WEEKDAYS, "09:00", "13:00", "Bookings; journeys any day"),),
        phones=(phone("01632 960201"),), contact="Bookings", verified=-16,
        translations={"cy": Text(
            "Cynllun ceir cymunedol",
            "Mae gyrwyr gwirfoddol yn mynd â chi i apwyntiadau gyda'r meddyg teulu ac yn yr ysbyty, i'r fferyllfa, "
            "i'r siopau neu i weld ffrindiau, pan nad oes bws.",
            "Ffoniwch o leiaf ddau ddiwrnod gwaith cyn eich taith. Mae angen i chi gofrestru yn gyntaf; mae'n "
            "cymryd pum munud ar y ffôn.",
            "Unrhyw un sy'n methu defnyddio trafnidiaeth gyhoeddus, neu sy'n byw mewn ardal heb "
            "drafnidiaeth gyhoeddus.",
        )}),
    Listing(HILLS_TRANSPORT, "Market-day minibus",
        "A wheelchair-accessible minibus collects you from home and takes you to Newtown on market days. Paused "
        "until we find a new volunteer driver.",
        "Phone to book a seat by Monday lunchtime.", ("loneliness", "physical_health"), POWYS,
        status=ServiceStatus.TEMPORARILY_CLOSED,
        cost=("Return journey", 3.0, "£3 return; free with a concessionary bus pass"),
        languages=("en", "cy"), venues=("rhayader-hall",),
        hours=(Hours("TU", "09:00", "15:00", "Leaves Rhayader at 9:00, back by 15:00"),),
        phones=(phone("01632 960201"),), verified=-30,
        translations={"cy": Text(
            "Bws mini diwrnod marchnad",
            "Mae bws mini sy'n addas i gadeiriau olwyn yn eich casglu o'ch cartref ac yn mynd â chi i'r Drenewydd "
            "ar ddiwrnodau marchnad. Mae'r gwasanaeth wedi'i oedi nes i ni ddod o hyd i yrrwr gwirfoddol newydd.",
            "Ffoniwch i gadw sedd erbyn amser cinio dydd Llun.",
        )}),
    Listing(FARM_SUPPORT, "Farmers' listening line",
        "Talk in confidence, in Welsh or English, to someone who understands farming: money worries, TB tests, "
        "isolation, family pressures or just a bad day.",
        "Phone or text, seven days a week. Nobody will tell your family or anyone else that you called.",
        ("mental_health",), POWYS,
        eligibility="Farmers, farm workers and their families, aged 18 and over.", minimum_age=18,
        languages=("cy", "en"), in_person=False, by_phone=True,
        hours=(Hours("MO,TU,WE,TH,FR,SA,SU", "07:00", "23:00", "At other times call NHS 111 and press 2"),),
        phones=(phone("0808 157 0021", "Free to call"), sms("07700 900211")), contact="Listening line",
        verified=-9,
        translations={"cy": Text(
            "Llinell wrando i ffermwyr",
            "Siaradwch yn gyfrinachol, yn Gymraeg neu'n Saesneg, â rhywun sy'n deall ffermio: pryderon ariannol, "
            "profion TB, unigrwydd, pwysau teuluol neu ddiwrnod gwael.",
            "Ffoniwch neu anfonwch neges destun, saith diwrnod yr wythnos. Fydd neb yn dweud wrth eich teulu nac "
            "unrhyw un arall eich bod wedi ffonio.",
            "Ffermwyr, gweithwyr fferm a'u teuluoedd, 18 oed a hŷn.",
        )}),
    Listing(FARM_SUPPORT, "Farm business and benefits advice",
        "Help with farm paperwork, tenancy worries, benefits, and planning for retirement or passing on the farm.",
        "Phone to arrange a visit to your farm, or come to the office in Rhayader on a Wednesday.",
        ("money", "employment"), POWYS, eligibility="Farming families in mid Wales.",
        languages=("cy", "en"), by_phone=True, venues=("farm-support-office",),
        hours=(Hours("WE", "10:00", "13:00"), Hours("WE", "14:00", "16:00", "Visits to farms on other days")),
        phones=(phone("01632 960211"),), verified=-300,
        translations={"cy": Text(
            "Cyngor busnes fferm a budd-daliadau",
            "Help gyda gwaith papur y fferm, pryderon am denantiaeth, budd-daliadau, a chynllunio ar gyfer ymddeol "
            "neu drosglwyddo'r fferm.",
            "Ffoniwch i drefnu ymweliad â'ch fferm, neu dewch i'r swyddfa yn Rhaeadr ar ddydd Mercher.",
            "Teuluoedd fferm yng nghanolbarth Cymru.",
        )}),
    Listing(FOOD_HUB, "Community larder",
        "Choose fresh and cupboard food, eggs and bread from local producers. Members pay £4 a week and take home "
        "about £20 of food.",
        "Just drop in and join on your first visit.", ("food",), ("SY18", "LD6"),
        cost=("Weekly shop", 4.0, "£4 a week for about £20 of food"), languages=("cy", "en"),
        venues=("china-street-store",),
        hours=(Hours("FR", "10:00", "12:30"), Hours("FR", "13:30", "15:00", CLOSED_BANK_HOLIDAYS)),
        verified=-19,
        translations={"cy": Text(
            "Pantri cymunedol",
            "Dewiswch fwyd ffres a bwyd cwpwrdd, wyau a bara gan gynhyrchwyr lleol. Mae aelodau'n talu £4 yr "
            "wythnos ac yn mynd â thua £20 o fwyd adref.",
            "Galwch heibio ac ymunwch ar eich ymweliad cyntaf.",
        )}),
    Listing(FOOD_HUB, "Mobile food pantry",
        "Our van brings free food to places without a shop: Rhayader on Tuesdays and Llandrindod Wells on "
        "Thursdays.", "Just come to the van. No referral needed.", ("food", "loneliness"), ("LD1", "LD6"),
        languages=("cy", "en"), venues=("rhayader-hall", "temple-street-rooms"),
        hours=(Hours("TU", "11:00", "13:00", at="rhayader-hall"),
               Hours("TH", "11:00", "13:00", at="temple-street-rooms")),
        phones=(sms("07700 900221", "Text VAN to hear if the van is late"),), verified=-19,
        translations={"cy": Text(
            "Pantri bwyd symudol",
            "Mae ein fan yn dod â bwyd am ddim i leoedd heb siop: Rhaeadr ar ddydd Mawrth a Llandrindod ar ddydd "
            "Iau.",
            "Dewch at y fan. Does dim angen atgyfeiriad.",
        )}),
    Listing(RURAL_CARERS, "Carers' support and short breaks",
        "Help with a carer's needs assessment, grants for short breaks, and a support worker who can visit you "
        "at home.", "Phone us, or ask your GP or a link worker to refer you.", ("carers",), POWYS,
        eligibility="Unpaid carers of any age living in Radnorshire or north Powys.",
        languages=("en", "cy"), by_phone=True, venues=("temple-street-rooms",),
        hours=(Hours("MO,TU,WE,TH", "09:00", "16:30", CLOSED_BANK_HOLIDAYS),),
        phones=(phone("01632 960231"), sms("07700 900231")), contact="Carers' support workers", verified=-37,
        translations={"cy": Text(
            "Cymorth a seibiannau byr i ofalwyr",
            "Help gydag asesiad o anghenion gofalwr, grantiau ar gyfer seibiannau byr, a gweithiwr cymorth a all "
            "ymweld â chi gartref.",
            "Ffoniwch ni, neu gofynnwch i'ch meddyg teulu neu weithiwr cyswllt eich atgyfeirio.",
            "Gofalwyr di-dâl o unrhyw oed sy'n byw ym Maesyfed neu yng ngogledd Powys.",
        )}),
    Listing(RURAL_CARERS, "Carers' café",
        "A relaxed café for carers in Rhayader. A trained sitter can stay with the person you look after so that "
        "you can come.", "Just drop in, or phone to book a sitter.", ("carers", "loneliness"), ("LD6", "LD1"),
        languages=("en", "cy"), venues=("rhayader-hall",), hours=(Hours("WE", "10:30", "12:30"),),
        phones=(phone("01632 960231"),), verified=-450),
    Listing(YOUTH_SPACE, "Drop-in for young people",
        "A youth worker to talk to, food, Wi-Fi and a pool table. We can help with stress, exams, relationships "
        "and getting mental health support.", DROP_IN, ("mental_health", "family"), ("LD1", "LD6"),
        eligibility="Young people aged 11 to 25.", minimum_age=11, maximum_age=25, languages=("cy", "en"),
        venues=("youth-space",), hours=(Hours("TU,TH", "15:30", "19:00"), Hours("SA", "12:00", "16:00")),
        phones=(phone("01632 960241"), sms("07700 900241")), verified=-13,
        translations={"cy": Text(
            "Sesiwn galw heibio i bobl ifanc",
            "Cyfle i sgwrsio â gweithiwr ieuenctid, bwyd, Wi-Fi a bwrdd pŵl. Gallwn helpu gyda straen, arholiadau, "
            "perthnasoedd a chael cymorth iechyd meddwl.",
            "Galwch heibio.",
            "Pobl ifanc 11 i 25 oed.",
        )}),
    Listing(YOUTH_SPACE, "Online counselling for young people",
        "Up to six free sessions with a counsellor by video or live chat, in Welsh or English.",
        "Refer yourself on our website, or ask your school, GP or a link worker to refer you.",
        ("mental_health",), POWYS,
        eligibility="Young people aged 11 to 18 who live in Powys.", minimum_age=11, maximum_age=18,
        languages=("cy", "en"), in_person=False, online=True,
        hours=(Hours(WEEKDAYS, "15:00", "21:00"),),
        phones=(video("https://video.youthspace.example.org", "Video sessions"),), verified=-13,
        translations={"cy": Text(
            "Cwnsela ar-lein i bobl ifanc",
            "Hyd at chwe sesiwn am ddim gyda chwnselydd drwy fideo neu sgwrs fyw, yn Gymraeg neu'n Saesneg.",
            "Atgyfeiriwch eich hun ar ein gwefan, neu gofynnwch i'ch ysgol, eich meddyg teulu neu weithiwr cyswllt "
            "eich atgyfeirio.",
            "Pobl ifanc 11 i 18 oed sy'n byw ym Mhowys.",
        )}),
    Listing(NEWTOWN_WELCOME, "Families' welcome afternoon",
        "Meet other families who have come from Ukraine, Syria, Afghanistan and elsewhere: children's activities, "
        "tea, and help finding your way around Newtown. For immigration advice we put you in touch with "
        "regulated advisers by video.", DROP_IN, ("loneliness", "family"), ("SY16", "SY18"),
        eligibility="Refugee, asylum-seeking and migrant families, and their hosts.",
        languages=("uk", "ar", "prs", "en"), venues=("newtown-welcome-room",),
        hours=(Hours("SA", "14:00", "16:30"),), phones=(whatsapp("07700 900251"),), verified=-26),
    Listing(NEWTOWN_WELCOME, "English classes in Newtown",
        "Free English classes (ESOL) at three levels, with free bus tickets from Llanidloes and Welshpool.",
        "Phone or send a WhatsApp message to book a short assessment.", ("english_language",), ("SY16", "SY18"),
        eligibility="Adults aged 16 and over whose first language is not English.", minimum_age=16,
        languages=("en", "uk", "ar", "prs"), venues=("newtown-welcome-room",),
        hours=(Hours("MO,WE", "10:00", "12:00", "Term time only"),),
        phones=(phone("01632 960251"), whatsapp("07700 900251")), verified=-26),
    Listing(WELLBEING_PATHS, "Wellbeing walks",
        "Gentle walks of one to two hours: round the lake in Llandrindod Wells on Mondays and in the Elan Valley "
        "near Rhayader on Fridays. Walk leaders are trained in first aid.",
        "Just turn up in good shoes. Ask your GP or a link worker if you would like someone to walk with you the "
        "first time.", ("physical_activity", "mental_health", "loneliness"), ("LD1", "LD6"),
        languages=("en", "cy"), venues=("temple-street-rooms", "rhayader-hall"),
        hours=(Hours("MO", "10:00", "12:00", "Meet outside the rooms", at="temple-street-rooms"),
               Hours("FR", "10:00", "12:00", "We share lifts to the Elan Valley", at="rhayader-hall")),
        phones=(sms("07700 900261", "Text WALK to check the weather plan"),), verified=-48,
        translations={"cy": Text(
            "Teithiau cerdded lles",
            "Teithiau cerdded hamddenol o awr neu ddwy: o amgylch y llyn yn Llandrindod ar ddydd Llun ac yng "
            "Nghwm Elan ger Rhaeadr ar ddydd Gwener. Mae arweinwyr y teithiau wedi'u hyfforddi mewn cymorth "
            "cyntaf.",
            "Dewch draw mewn esgidiau addas. Gofynnwch i'ch meddyg teulu neu weithiwr cyswllt os hoffech i rywun "
            "gerdded gyda chi y tro cyntaf.",
        )}),
    Listing(WELLBEING_PATHS, "Green gym conservation days",
        "Outdoor conservation work: hedge laying, tree planting and path repairs. Tools, gloves and lunch are "
        "provided. A good way back into work, with a reference at the end.",
        "Phone or text to join. Jobcentre work coaches and link workers can refer you.",
        ("physical_activity", "employment"), ("LD1", "LD6"), eligibility="Adults aged 18 and over.",
        minimum_age=18, venues=("rhayader-hall",), hours=(Hours("WE", "09:30", "15:00", "Minibus from Llandrindod"),),
        phones=(phone("01632 960261"),), verified=-110),
    Listing(DERWEN, "Tech help café",
        "Bring your phone, tablet or laptop and a volunteer will help: video calls with family, online banking, "
        "booking GP appointments and staying safe from scams.", DROP_IN, ("digital", "loneliness"), ("SY18",),
        languages=("cy", "en"), venues=("canolfan-derwen",), hours=(Hours("MO", "14:00", "16:00"),),
        verified=-65,
        translations={"cy": Text(
            "Caffi help technoleg",
            "Dewch â'ch ffôn, tabled neu liniadur a bydd gwirfoddolwr yn helpu: galwadau fideo gyda'r teulu, bancio "
            "ar-lein, trefnu apwyntiadau gyda'r meddyg teulu a chadw'n ddiogel rhag sgamiau.",
            "Galwch heibio.",
        )}),
    Listing(DERWEN, "Paned a Sgwrs: Welsh conversation group",
        "Practise your Welsh over a cuppa with fluent speakers and other learners. All levels welcome.",
        DROP_IN, ("arts_culture", "loneliness"), ("SY18", "SY16"), languages=("cy", "en"),
        venues=("canolfan-derwen",), hours=(Hours("TH", "10:30", "12:00"),), verified=-65,
        translations={"cy": Text(
            "Paned a Sgwrs",
            "Ymarferwch eich Cymraeg dros baned gyda siaradwyr rhugl a dysgwyr eraill. Croeso i bawb, beth bynnag "
            "yw eich lefel.",
            "Galwch heibio.",
        )}),
    Listing(DERWEN, "Arts and crafts afternoons",
        "Painting, knitting, pottery and printmaking with local artists. Materials provided.",
        DROP_IN, ("arts_culture", "loneliness", "mental_health"), ("SY18",),
        cost=("Session", 3.0, "£3 a session, materials included"), languages=("en", "cy"),
        venues=("canolfan-derwen",), hours=(Hours("WE", "13:30", "16:00", "Closed in August"),), verified=-140),
]  # fmt: skip
