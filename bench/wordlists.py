"""Word lists for the scale directory: what real community services in the UK call themselves and say."""

from __future__ import annotations

# Places that organisations name themselves after (generic, so no real organisation is implied).
AREA_WORDS = [
    "Abbey", "Ashfield", "Beechwood", "Birchfield", "Bridge", "Brookfield", "Canalside", "Castle", "Chapeltown",
    "Church", "Common", "Cross", "Dale", "Docklands", "Eastbrook", "Eastfield", "Elmhurst", "Fairfield", "Forest",
    "Greenbank", "Hallam", "Harbour", "Heathside", "Highfield", "Hillside", "Holme", "Kingsway", "Lea", "Longmoor",
    "Marsh", "Meadowbank", "Millbrook", "Moor", "Newlands", "Northfield", "Northgate", "Oakwood", "Orchard",
    "Parkside", "Priory", "Quarry", "Queensway", "Ridge", "Riverside", "Rosehill", "Seaview", "Southgate",
    "Stonebridge", "Thornhill", "Townend", "Upton", "Vale", "Victoria", "Westfield", "Westgate", "Wharf", "Woodside",
    "Burngreave", "Pitsmoor", "Firth Park", "Gorleston", "Southtown", "Llanidloes", "Rhayader", "Newtown", "Cathays",
    "Splott", "Moss Side", "Levenshulme", "Sparkbrook", "Small Heath", "Harehills", "Chapel Allerton", "Toxteth",
    "Anfield", "Whitechapel", "Forest Gate", "Tottenham", "Manningham", "Belgrave", "Govan", "Byker", "Easton",
    "Hessle Road", "Hanley", "Millfield",
]  # fmt: skip

ORG_TYPES = [
    "Community Hub", "Community Trust", "Advice Centre", "Citizens Advice", "Food Network", "Refugee Welcome",
    "Deaf Association", "Carers' Network", "Youth Project", "Wellbeing Collective", "Development Trust",
    "Community Association", "Mind", "Women's Centre", "Men's Shed", "Neighbourhood Project", "Law Centre",
    "Recovery Network", "Arts Collective", "Learning Centre", "Baptist Church", "Islamic Centre", "Gurdwara",
    "Methodist Church", "Residents' Association", "Family Centre", "Credit Union", "Housing Project",
    "Older People's Forum", "Sports Club", "Library Friends", "Roma Project", "Migrant Support",
]  # fmt: skip

ORG_SENTENCES = [
    "A registered charity run by local people since {year}.",
    "We are a small team of staff and volunteers who live in the area.",
    "Our building is open to everyone, whatever your background.",
    "We work with the council, GP practices and other local charities.",
    "Most of our volunteers once used our services themselves.",
    "We are a community interest company supporting people on low incomes.",
    "A faith-based organisation welcoming people of every faith and none.",
]

# Per need: service names, and sentences that describe such a service.
NEED_NAMES = {
    "food": ["Food Bank", "Community Pantry", "Community Café", "Lunch Club", "Cook and Eat Sessions",
             "Fruit and Veg Stall", "Breakfast Club", "Community Fridge"],
    "money": ["Money Advice", "Debt Advice Drop-in", "Benefits Advice", "Budgeting Workshop", "Energy Bills Help",
              "Universal Credit Support", "Welfare Rights Clinic"],
    "housing": ["Housing Advice", "Homeless Outreach", "Tenancy Support", "Night Shelter", "Housing Options Drop-in",
                "Private Renters' Advice"],
    "mental_health": ["Wellbeing Café", "Talking Group", "Peer Support Group", "Mental Health Drop-in",
                      "Anxiety Support Group", "Crisis Café", "Counselling Service"],
    "loneliness": ["Befriending Service", "Friendship Group", "Coffee Morning", "Chatty Café", "Walk and Talk",
                   "Telephone Befriending"],
    "immigration": ["Immigration Advice", "Asylum Support Drop-in", "Refugee Welcome Hub", "Family Reunion Advice",
                    "Settlement Support"],
    "physical_activity": ["Walking Group", "Chair Yoga", "Football Sessions", "Cycling Club", "Women's Swim",
                          "Dance Class", "Couch to 5k"],
    "arts_culture": ["Art Club", "Community Choir", "Craft Circle", "Creative Writing Group", "Heritage Project",
                     "Music Workshop", "Reading Group"],
    "employment": ["Jobs Club", "CV and Interview Help", "Volunteering Hub", "Skills Academy", "Employment Coaching"],
    "english_language": ["ESOL Classes", "English Conversation Club", "English for Beginners", "English for Work"],
    "digital": ["Digital Drop-in", "Tablet Lending Library", "Get Online Sessions", "Computer Club",
                "Free Data and Devices"],
    "family": ["Parent and Toddler Group", "Youth Club", "Homework Club", "Family Support", "Young Parents' Group",
               "Holiday Activities"],
    "deaf_community": ["Deaf Club", "BSL Café", "Deaf Advice Service", "BSL Taster Course", "Deaf Youth Group"],
    "physical_health": ["Health Checks", "Diabetes Support Group", "Healthy Living Service", "Stop Smoking Service",
                        "Long COVID Support"],
    "carers": ["Carers' Support Group", "Young Carers Club", "Carers' Advice Line", "Carers' Breaks"],
    "domestic_abuse": ["Domestic Abuse Support", "Women's Safety Service", "Freedom Programme",
                       "Independent Advocacy"],
    "substance_use": ["Recovery Café", "Alcohol Support Service", "Drug and Alcohol Advice", "Family Recovery Group",
                      "SMART Recovery Meeting"],
    "legal_advice": ["Legal Advice Clinic", "Employment Rights Advice", "Discrimination Advice",
                     "Law Centre Drop-in"],
}  # fmt: skip

NEED_SENTENCES = {
    "food": ["Free food parcels for anyone who is struggling, no referral needed.",
             "Hot meals cooked by volunteers and eaten together.",
             "Fresh fruit, vegetables and store-cupboard food for a small weekly membership.",
             "We can provide halal, vegetarian and gluten-free food."],
    "money": ["Free, confidential advice on debt, benefits and bills.",
              "We help you claim everything you are entitled to, including Universal Credit and PIP.",
              "Talk to an adviser about rent arrears, council tax and energy debts.",
              "We can help with budgeting and with grants for essentials."],
    "housing": ["Advice if you are homeless or at risk of losing your home.",
                "We help with repairs, disrepair, deposits and eviction notices.",
                "Outreach workers meet people sleeping rough and help them find somewhere safe.",
                "Support to set up and keep a tenancy."],
    "mental_health": ["A friendly space to talk about how you feel, with people who understand.",
                      "Support for anxiety, stress and low mood, led by trained volunteers.",
                      "Free counselling sessions, short-term, with a waiting list of a few weeks.",
                      "A calm place to go in the evening if you are struggling."],
    "loneliness": ["Meet new people over a cup of tea and a chat.",
                   "A volunteer visits or phones you every week.",
                   "Gentle walks and conversation for people who feel isolated."],
    "immigration": ["Free regulated immigration advice (OISC level 2).",
                    "Help with asylum claims, appeals, family reunion and settlement.",
                    "A warm welcome for refugees and people seeking asylum, with interpreters."],
    "physical_activity": ["Gentle exercise for all abilities, at your own pace.",
                          "Free sessions led by qualified coaches; equipment provided.",
                          "Get active outdoors with a friendly group."],
    "arts_culture": ["Creative sessions for all abilities; materials provided.",
                     "Sing, make music or craft together, no experience needed.",
                     "Explore the heritage of the area with local historians."],
    "employment": ["Help with CVs, applications and interviews.",
                   "Find volunteering that builds your confidence and skills.",
                   "Free training and qualifications to help you into work."],
    "english_language": ["English classes (ESOL) from beginner to advanced.",
                         "Practise speaking English in a relaxed group.",
                         "Childcare is available during classes."],
    "digital": ["Help to get online, use email and apply for things on the internet.",
                "Borrow a tablet and get free mobile data.",
                "One-to-one help with your phone, tablet or laptop."],
    "family": ["Activities for children and young people after school and in the holidays.",
               "Support for parents, from pregnancy to the teenage years.",
               "A safe space for young people to meet friends and talk to youth workers."],
    "deaf_community": ["Run by and for Deaf people, in British Sign Language.",
                       "Advice and information in BSL, with signing staff.",
                       "Learn British Sign Language with a Deaf tutor."],
    "physical_health": ["Free health checks: blood pressure, weight and diabetes risk.",
                        "Support to manage a long-term condition.",
                        "Help to stop smoking, with free nicotine replacement."],
    "carers": ["Support and breaks for people who look after someone.",
               "A group for young carers to have fun and share experiences.",
               "Advice on carers' allowance and assessments."],
    "domestic_abuse": ["Confidential support for anyone affected by domestic abuse.",
                       "Safety planning, advocacy and help with housing and the courts.",
                       "A group programme to understand abusive relationships."],
    "substance_use": ["Support to cut down or stop drinking or using drugs.",
                      "Recovery meetings in a friendly, alcohol-free space.",
                      "Support for families affected by someone's drinking or drug use."],
    "legal_advice": ["Free legal advice on housing, employment and discrimination.",
                     "Solicitors and caseworkers can represent you at tribunals.",
                     "Know your rights at work, including sick pay and dismissal."],
}  # fmt: skip

GENERIC_SENTENCES = [
    "Everyone is welcome.",
    "Interpreters can be booked in advance.",
    "The building has a lift and an accessible toilet.",
    "Tea, coffee and biscuits are always on.",
    "We can signpost you to other support in the area.",
    "Bring proof of address if you have it, but we will not turn you away without it.",
    "Children are welcome; there is a play corner.",
    "All our staff and volunteers are DBS checked.",
    "Sessions run in term time only.",
    "You can come on your own or bring a friend.",
]

APPLICATION_PROCESSES = [
    "Drop in, no appointment needed.",
    "Phone to book a place.",
    "Ask your GP or link worker to refer you.",
    "Fill in the online form and we will call you back.",
    "Email us and we will arrange a first meeting.",
    "Text us and we will call you back within two working days.",
]

ELIGIBILITY = [
    "Anyone.",
    "Adults aged 18 and over.",
    "Young people aged 11 to 25.",
    "People living in {outcode}.",
    "Women only.",
    "People seeking asylum and refugees.",
    "Carers of any age.",
    "Anyone on a low income.",
]

AUDIENCES = [
    "Women's", "Men's", "Young People's", "Over 50s", "Family", "Roma", "Arabic-speaking", "Polish", "Ukrainian",
    "Deaf", "LGBTQ+", "Refugee", "Students'", "Evening",
]  # fmt: skip

# Languages besides English, with how often a service offers each (Welsh much more often in Wales).
LANGUAGE_RATES = {
    "pl": 0.10, "ar": 0.12, "ur": 0.09, "ro": 0.07, "uk": 0.06, "fa": 0.05, "prs": 0.03, "ps": 0.03, "ckb": 0.03,
    "ti": 0.03, "so": 0.04, "sk": 0.04, "cs": 0.03, "rom": 0.02, "bn": 0.04, "pa": 0.04, "pt": 0.03, "lt": 0.02,
    "cy": 0.02, "bfi": 0.05,
}  # fmt: skip
LANGUAGE_NAMES = {
    "en": "English", "pl": "Polish", "ar": "Arabic", "ur": "Urdu", "ro": "Romanian", "uk": "Ukrainian",
    "fa": "Persian (Farsi)", "prs": "Dari", "ps": "Pashto", "ckb": "Kurdish (Sorani)", "ti": "Tigrinya",
    "so": "Somali", "sk": "Slovak", "cs": "Czech", "rom": "Romani", "bn": "Bengali", "pa": "Punjabi",
    "pt": "Portuguese", "lt": "Lithuanian", "cy": "Welsh", "bfi": "British Sign Language",
}  # fmt: skip

WALES_PREFIXES = ("LD", "SY", "CF", "SA", "LL", "NP")

# Inner-city, coastal and rural districts where many services cluster (the demo's places among them).
DENSE_DISTRICTS = [
    "S3", "S4", "S5", "NR30", "NR31", "LD1", "SY16", "M8", "M14", "B10", "B11", "LS8", "L8", "E1", "E7", "N15",
    "CF24", "CF11", "BD3", "BD8", "LE4", "G51", "NE6", "BS5", "HU3", "ST4", "PE1", "OL8", "BL3", "LU1", "SA1",
    "NP20", "BB1",
]  # fmt: skip

# Schedules: (days, opens, closes)
DAY_PATTERNS = ["MO", "TU", "WE", "TH", "FR", "SA", "MO,WE", "TU,TH", "MO,TU,WE,TH,FR", "MO,WE,FR", "SA,SU", "SU"]
PERIODS = [
    ("09:00", "12:00"), ("09:30", "16:30"), ("10:00", "14:00"), ("13:00", "16:00"), ("18:00", "20:00"),
    ("10:00", "12:00"), ("14:00", "17:00"), ("17:00", "21:00"), ("08:30", "10:00"), ("11:00", "15:00"),
]  # fmt: skip
SCHEDULE_NOTES = ["Closed on bank holidays.", "Closed for two weeks over Christmas.", "Term time only."]

ACCESSIBILITY_RATES = {
    "step_free": 0.6, "accessible_toilet": 0.45, "hearing_loop": 0.2, "quiet_space": 0.25,
    "blue_badge_parking": 0.2, "easy_read": 0.15, "large_print": 0.15, "baby_changing": 0.25,
}  # fmt: skip

STREETS = [
    "High Street", "Church Road", "Station Road", "Victoria Road", "Park Road", "Mill Lane", "King Street",
    "Queen Street", "Market Place", "London Road", "North Road", "Spital Hill", "Chapel Street", "Regent Street",
    "Albert Road", "Wellington Street", "Grange Road", "Green Lane", "Bridge Street", "Water Street",
]  # fmt: skip
VENUE_KINDS = ["Community Centre", "Library", "Church Hall", "Family Hub", "Resource Centre", "Mosque", "Youth Centre",
               "Leisure Centre", "Health Centre", "Neighbourhood Centre"]  # fmt: skip

# The translations organisations wrote: a service name per need, and sentences.
WELSH_NAMES = {
    "food": "Banc Bwyd", "money": "Cyngor Ariannol", "housing": "Cyngor Tai", "mental_health": "Caffi Lles",
    "loneliness": "Cyfeillio", "immigration": "Cyngor Mewnfudo", "physical_activity": "Grŵp Cerdded",
    "arts_culture": "Clwb Celf", "employment": "Clwb Swyddi", "english_language": "Dosbarthiadau Saesneg",
    "digital": "Sesiynau Digidol", "family": "Clwb Ieuenctid", "deaf_community": "Clwb Byddar",
    "physical_health": "Gwiriadau Iechyd", "carers": "Grŵp Cymorth Gofalwyr",
    "domestic_abuse": "Cymorth Cam-drin Domestig", "substance_use": "Caffi Adferiad",
    "legal_advice": "Clinig Cyngor Cyfreithiol",
}  # fmt: skip
WELSH_SENTENCES = [
    "Cymorth cyfeillgar a chyfrinachol i bawb.",
    "Galwch heibio, does dim angen apwyntiad.",
    "Mae'r gwasanaeth am ddim.",
    "Mae croeso i bawb, yn Gymraeg neu yn Saesneg.",
    "Gallwn eich cyfeirio at gymorth arall yn yr ardal.",
]
ARABIC_NAMES = {
    "food": "بنك الطعام", "money": "نصائح المال والديون", "housing": "نصائح السكن",
    "mental_health": "مقهى الصحة النفسية",
    "loneliness": "مجموعة الصداقة", "immigration": "نصائح الهجرة واللجوء", "physical_activity": "مجموعة المشي",
    "arts_culture": "نادي الفنون", "employment": "نادي الوظائف", "english_language": "دروس اللغة الإنجليزية",
    "digital": "المهارات الرقمية", "family": "نادي الشباب", "deaf_community": "نادي الصم",
    "physical_health": "فحوصات صحية", "carers": "مجموعة دعم مقدمي الرعاية", "domestic_abuse": "دعم ضحايا العنف الأسري",
    "substance_use": "مقهى التعافي", "legal_advice": "عيادة الاستشارات القانونية",
}  # fmt: skip
ARABIC_SENTENCES = [
    "دعم ودي وسري للجميع.",
    "تعال في أي وقت، لا حاجة لموعد.",
    "الخدمة مجانية.",
    "يتحدث موظفونا العربية.",
    "يمكننا توجيهك إلى دعم آخر في المنطقة.",
]
