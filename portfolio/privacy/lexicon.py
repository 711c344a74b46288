"""Word lists of the privacy detector: the shipped name gazetteer (resources/privacy/names.txt,
open data: see docs/privacy.md) and our own short lists of words that look like names but are
not (eponyms, reflective models, roles, departments) and of rare conditions and large places.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from portfolio.resource_files import resource


@dataclass(frozen=True)
class Gazetteer:
    forenames: frozenset[str]
    surnames: frozenset[str]
    words: frozenset[str]
    """Names that are also ordinary English words (Will, Grace, Bell): need a stronger cue."""


@cache
def gazetteer() -> Gazetteer:
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    text = resource("privacy", "names.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
        elif current is not None:
            current.add(line)
    return Gazetteer(
        frozenset(sections.get("forenames", ())),
        frozenset(sections.get("surnames", ())),
        frozenset(sections.get("words", ())),
    )


def words(text: str) -> frozenset[str]:
    """The words of ``text``, as a set (long lists read better as text)."""
    return frozenset(text.split())


EPONYMS = words(
    """
    Gibbs Kolb Schön Schon Pendleton Caldicott Gillick Fraser Montgomery Bolam Bolitho Parkinson
    Addison Crohn Cushing Bell Graves Hodgkin Wells Murphy Johns Driscoll Rolfe Borton Tuckman
    Belbin Maslow Kübler-Ross Kubler-Ross Francis Shipman Calgary-Cambridge Miller Dreyfus Bloom
    Blatchford Glasgow-Blatchford Rockall Apgar Foley Hickman Ryle Waterlow Rockwood Ottawa
    Wernicke Korsakoff Cheyne-Stokes Guillain-Barré Seldinger Mallampati Macintosh Battle
    Hartmann Whipple Dupuytren Raynaud Sjögren Hashimoto Henoch-Schönlein Kawasaki
    Stevens-Johnson Down Marfan Virchow Courvoisier Horner Romberg Kernig Babinski Charcot Beck
    Trendelenburg Alzheimer Huntington Fabry Wilson Kennedy Behçet Alport Gaucher Pompe
    Prader-Willi Duchenne Rett Turner Batten Takayasu Erdheim-Chester Creutzfeldt-Jakob
    Ehlers-Danlos Balint Schwartz Bishop Centor Alvarado Kussmaul Rovsing Mallory-Weiss Barrett
    Osler Brown-Séquard Rinne Weber Brudzinski Nissen Swan-Ganz Sengstaken Guedel Yankauer Atkins
    Boud Brookfield Honey Mumford Buckman Berwick Calman Tooke Nightingale Heimlich Hippocrates
    Asperger Tourette Legionnaires Lyme Paget Peyronie Meniere Ménière Bartholin Baker Colles
    Smith Salter-Harris Gleason Breslow Dukes Duke Child-Pugh Pugh Ranson Glasgow Epworth Lown
    Borg Barthel Braden Norton Bristol Abbey Roper Logan Tierney Orem Peplau Benner Carper
    Gardner Honey-Mumford Kirkpatrick Moon Jasper Eraut Lewin Kotter Deming Juran Shewhart
    Pareto Ishikawa Gantt Likert Mann-Whitney Kaplan-Meier Cox Fisher Pearson Spearman Student
    """
)
"""Eponyms and names of models and rules that a trainee writes without meaning a person."""

NOT_NAMES = words(
    """
    A An And As At But By For From He Her His I If In Is It On Or She So The Then They This That
    These Those To Was We Were When Where Which Who Whom Whose Why How What With Without After
    Before During Today Yesterday Tomorrow Tonight Later Also Afterwards Overall Unfortunately
    Fortunately However Although Though Because While Whilst Despite My Our Their Your Its Of Not
    No Yes Please Thanks Thank Here There Now Next Last First Second Third Finally Initially
    Eventually Meanwhile Instead Still Just Only Even Again Once Soon Both Each Every All Some
    Many Most Much More Less Few Other Another Such Same Any None Nothing Everything Something
    Everyone Everybody Nobody Someone Somebody Anyone Me Him Us Them You One Two Three Four Five
    Six Seven Eight Nine Ten Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April May June July August September October November December Christmas
    Easter Mum Mom Dad Mummy Daddy Nan Nana Nanna Gran Granny Grandma Grandad Grandpa Sister
    Brother Nurse Matron Doctor Dr Sir Madam Staff Consultant Registrar SHO FY1 FY2 F1 F2
    GP Patient Patients Family Relatives Team Teams Ward Bay Bed Radiology Pharmacy Microbiology
    Haematology Biochemistry Cardiology Neurology Oncology Surgery Surgeons Anaesthetics
    Anaesthetist Theatre Theatres Switchboard Security Police Paramedics Ambulance Crew Outreach
    Physio Physios Physiotherapy OT Social Services Safeguarding Palliative Hospice Resus ED
    AMU ITU ICU HDU MAU SAU CCU Majors Minors Triage Reception PALS Datix Trust NHS GMC BMA HEE
    Deanery Foundation School Medicine Medical Clinical Educational Supervisor Mentor Student
    Students Midwife Midwives HCA Porter Porters Cleaner Housekeeping Chaplain Chaplaincy
    Interpreter Carers Carer Care Home Nursing Residential District Community Practice Surgery
    Hospital Unit Centre Clinic Service Services God Lord Jesus Allah English Welsh Scottish
    Irish British Polish Urdu Arabic Punjabi Bengali Somali Romanian Portuguese Spanish French
    German Italian Muslim Christian Jewish Hindu Sikh Catholic Buddhist Ramadan Diwali Eid
    Sepsis Oramorph Augmentin Tazocin Actrapid Pabrinex Fortisip Sando-K Oxford Handbook BNF NICE
    SIGN MDT TTO DNACPR ReSPECT MCCD SBAR SPIKES ICE EPIC PAS Teams ARCP MRCP ALS ILS QI PDSA M&M
    Mx Hx Ix Dx Rx Tx Sx Pt Pts Obs NEWS2 NEWS GCS CFS MUST Bleep Ext Tel Fax Dear Kind Regards
    Well Sorry Okay OK Hello Hi Goodbye Right Left Good Bad Great Fine Oh Ah Um Er Yeah Yep
    Reflection Learning Feedback Summary Plan Management Background Situation Assessment
    Recommendation Outcome Action Actions Description Feelings Evaluation Analysis Conclusion
    Impression Diagnosis History Examination Investigations Presenting Complaint Discussion
    """
)
"""Capitalised words that start a sentence or name a role, not a person."""

ROLES = (
    "registrar|consultant|colleague|SHO|F1|F2|FY1|FY2|CT1|CT2|ST[1-8]|nurse|midwife|paramedic|"
    "physio|physiotherapist|pharmacist|HCA|student|coordinator|co-ordinator|supervisor|mentor|"
    "carer|doctor|houseman|anaesthetist|surgeon|radiographer|porter|chaplain|interpreter|"
    "dietitian|therapist|OT|GP|partner|manager|matron|sister|receptionist|clerk"
)
RELATIONS = (
    "son|sons|daughter|daughters|wife|husband|partner|mother|father|mum|dad|mam|brother|brothers|"
    "sister|sisters|sibling|grandson|granddaughter|grandaughter|grandchild|grandchildren|"
    "grandmother|grandfather|niece|nephew|aunt|auntie|uncle|cousin|friend|neighbour|neighbor|"
    "fiancé|fiancée|fiance|fiancee|boyfriend|girlfriend|stepson|stepdaughter|stepmother|"
    "stepfather|twin|baby|child|children|parents|carer|lodger|flatmate|housemate|"
    "son-in-law|daughter-in-law|mother-in-law|father-in-law|brother-in-law|sister-in-law"
)
SPEECH_VERBS = (
    "told|said|says|asked|asks|explained|shouted|cried|replied|admitted|wept|refused|laughed|"
    "agreed|denied|insisted|complained|mentioned|reported|described|whispered|screamed|"
    "answered|added|continued|interrupted|smiled|nodded|sobbed|confided|disclosed|revealed|"
    "wanted|wondered|thanked|apologised|apologized|begged|pleaded|joked|remembered|recalled|"
    "told me|looked|seemed|felt|became|kept|stayed|arrived|left|died|collapsed|woke|fell"
)
INSTITUTION_WORDS = (
    "Hospital|Hospitals|Infirmary|Ward|ward|Unit|unit|Centre|Center|Clinic|Surgery|Practice|"
    "Medical|Health|Healthcare|House|Building|Wing|Road|Street|Lane|Court|Trust|Foundation|"
    "Memorial|Institute|School|College|University|Prize|Award|Fellowship|Room|Suite|Lecture|"
    "Theatre|Hospice|Park|Square|Library|Hall|Scale|Score|score|scale|model|Model|cycle|Cycle|"
    "rules|Rules|principles|Principles|criteria|Criteria|test|Test|syndrome|disease|sign|"
    "Report|Inquiry|Review|Act|Round|round|group|Group|line|tube|catheter|blade|technique"
)

LARGE_PLACES = words(
    """
    London Birmingham Manchester Liverpool Leeds Sheffield Bristol Newcastle Nottingham Leicester
    Coventry Bradford Cardiff Swansea Newport Glasgow Edinburgh Aberdeen Dundee Inverness
    Belfast Derry Londonderry Plymouth Exeter Southampton Portsmouth Brighton Oxford Cambridge
    Norwich Ipswich York Hull Stoke Wolverhampton Derby Reading Milton Keynes Northampton Luton
    Swindon Bath Gloucester Cheltenham Worcester Hereford Taunton Truro Torquay Bournemouth Poole
    Salisbury Winchester Canterbury Maidstone Chelmsford Colchester Peterborough Lincoln
    Doncaster Wakefield Huddersfield Preston Blackpool Lancaster Carlisle Sunderland
    Middlesbrough Durham Chester Warrington Wigan Bolton Stockport Oldham Salford Crewe
    Shrewsbury Telford Walsall Dudley Sandwell Solihull Stirling Perth Paisley Wrexham Bangor
    England Wales Scotland Ireland Britain UK Europe Cornwall Devon Somerset Dorset Wiltshire
    Yorkshire Lancashire Kent Essex Surrey Sussex Norfolk Suffolk Cumbria Northumberland
    Sweden Poland France Spain Italy Germany India Pakistan Bangladesh Nigeria Ghana Jamaica
    Cork Dublin America Australia Canada China Africa
    """
)
"""Cities, counties and countries: a rare condition there does not narrow things down much."""

RARE_CONDITIONS = (
    "Fabry(?:'s)? disease|Huntington(?:'s)? (?:disease|chorea)|cystic fibrosis|"
    "Ehlers[- ]Danlos(?: syndrome)?|mitochondrial (?:disease|disorder|myopathy)|"
    "Duchenne(?: muscular dystrophy)?|Becker muscular dystrophy|muscular dystrophy|acromegaly|"
    "Wilson(?:'s)? disease|motor neurone disease|MND|amyotrophic lateral sclerosis|"
    "Prader[- ]Willi(?: syndrome)?|Gaucher(?:'s)? disease|Pompe(?:'s)? disease|haemophilia|"
    "hemophilia|Rett(?:'s)? syndrome|amyloidosis|myasthenia gravis|Behçet(?:'s)? disease|"
    "Behcet(?:'s)? disease|Alport(?:'s)? syndrome|phenylketonuria|PKU|sarcoidosis|"
    "hereditary angio-?oedema|hereditary angio-?edema|Kennedy(?:'s)? disease|"
    "spinal muscular atrophy|scleroderma|systemic sclerosis|Batten disease|Takayasu(?:'s)? "
    "arteritis|Creutzfeldt[- ]Jakob disease|CJD|lymphangioleiomyomatosis|LAM|"
    "osteogenesis imperfecta|Turner(?:'s)? syndrome|Erdheim[- ]Chester disease|"
    "neuromyelitis optica|Q fever|Marfan(?:'s)? syndrome|Niemann[- ]Pick disease|"
    "Tay[- ]Sachs disease|sickle cell disease|thalassaemia major|thalassemia major|"
    "Friedreich(?:'s)? ataxia|ataxia telangiectasia|tuberous sclerosis|neurofibromatosis|"
    "von Hippel[- ]Lindau|Williams syndrome|Angelman syndrome|Fragile X|Noonan syndrome|"
    "DiGeorge syndrome|Edwards(?:'s)? syndrome|Patau(?:'s)? syndrome|Cornelia de Lange|"
    "Kawasaki disease|Guillain[- ]Barr[ée] syndrome|progressive supranuclear palsy|"
    "multiple system atrophy|porphyria|haemochromatosis|primary biliary cholangitis|"
    "primary sclerosing cholangitis|pulmonary arterial hypertension|idiopathic pulmonary "
    "fibrosis|mesothelioma|Castleman disease|mastocytosis|Addison(?:'s)? disease|"
    "phaeochromocytoma|pheochromocytoma|carcinoid|Cushing(?:'s)? disease|"
    "paroxysmal nocturnal haemoglobinuria|PNH|aplastic anaemia|Waldenstr[öo]m|"
    "Langerhans cell histiocytosis|Stills? disease|Still's disease|dermatomyositis|"
    "polymyositis|Goodpasture(?:'s)? syndrome|Wegener(?:'s)? granulomatosis|"
    "granulomatosis with polyangiitis|Churg[- ]Strauss|narcolepsy|leprosy|Hansen(?:'s)? disease|"
    "rare (?:[a-z-]+ ){0,2}(?:disease|disorder|condition|syndrome|cancer|tumour|tumor)"
)
"""Conditions rare enough that, named with a small place, they can point to one person."""
