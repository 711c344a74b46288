"""The demo portfolio as data: one fictional FY2 year in a fictional South West Trust.

Everything here is invented: the doctor, the supervisors, the Trust and every patient. The
reflections follow the GMC/AoMRC guidance on reflective practice: they record learning and
plans, not case details, and carry no identifiers (no names, exact ages, dates of encounters
or ward names). :mod:`portfolio.demo` turns these dicts into service calls.

An item is a dict with ``kind``, ``title``, ``date`` (YYYY-MM-DD), ``placement`` (a key of
:data:`PLACEMENTS`), ``fields`` (the exact keys of ``resources/kinds/<kind>.json``), ``text``
and ``links`` (GPC codes, or ``(code, justification)`` pairs); optionally ``until``, ``tags``,
``private``, ``submit`` (mark ready for review) and ``attachments`` (``(filename, text)``).
"""

from __future__ import annotations

from typing import Any

TRUST = "South West Coast NHS Foundation Trust"

PROFILE: dict[str, Any] = {
    "name": "Alex Morgan",
    "gmc_number": "0123456",  # fictional: real GMC numbers do not start with 0
    "grade": "FY2",
    "specialty": "Foundation",
    "programme": "Foundation Programme",
    "region": "South West",
    "trust": TRUST,
    "training_start": "2025-08-06",
    "training_end": "2026-08-04",
    "educational_supervisor": "Dr Priya Shah",
}

#: Three four-month FY2 rotations (first Wednesday of August, December and April).
PLACEMENTS: dict[str, dict[str, str]] = {
    "acute": {
        "department": "Acute medicine",
        "starts_on": "2025-08-06",
        "ends_on": "2025-12-02",
        "clinical_supervisor": "Dr Tom Hughes",
    },
    "surgery": {
        "department": "General surgery",
        "starts_on": "2025-12-03",
        "ends_on": "2026-03-31",
        "clinical_supervisor": "Miss Ruth Okafor",
    },
    "gp": {
        "department": "General practice (community placement)",
        "starts_on": "2026-04-01",
        "ends_on": "2026-08-04",
        "clinical_supervisor": "Dr Sam Patel",
    },
}

_VTE_RUN_CHART = """\
VTE risk assessment completed by first consultant review: acute medical unit
Weekly sample of 20 consecutive admissions (anonymised audit; no patient identifiers kept)

Week  Done/20  %     Phase
 1    12       60    baseline
 2    11       55    baseline
 3    12       60    baseline
 4    11       55    baseline      baseline median 57.5%
 5    14       70    PDSA 1 (ward-round checklist prompt)
 6    15       75    PDSA 1
 7    14       70    PDSA 1
 8    16       80    PDSA 2 (clerking proforma + FY1 induction slot)
 9    17       85    PDSA 2
10    16       80    PDSA 2
11    18       90    PDSA 3 (safety huddle check by nurse in charge)
12    19       95    PDSA 3
13    18       90    PDSA 3
14    19       95    PDSA 3
15    18       90    sustain (no study team on the unit)
16    19       95    sustain

Run chart (each # = 5%)
 1 ############             60
 2 ###########              55
 3 ############             60
 4 ###########              55
 5 ##############           70
 6 ###############          75
 7 ##############           70
 8 ################         80
 9 #################        85
10 ################         80
11 ##################       90
12 ###################      95
13 ##################       90
14 ###################      95
15 ##################       90
16 ###################      95

Shift: weeks 5-16 are 12 points in a row above the baseline median (a shift needs 6).
Balancing measure: post-take ward round length unchanged
(median 3 h 10 min before, 3 h 5 min after).
"""

_ABG_FEEDBACK = """\
Feedback summary: FY1 teaching session on arterial blood gas interpretation
8 attendees, 8 forms returned (anonymous paper forms, transcribed)

Relevance to my work:        5/5 x6, 4/5 x2
Clarity of explanation:      5/5 x5, 4/5 x3
Would attend again:          8 of 8

Most useful: the five-step approach; practising on real-looking (invented) gases in pairs.
Even better if: more on mixed disorders; a one-page summary to keep; slightly less on the
anion gap formula and more on what to do next clinically.
"""

_JDF_SUMMARY = """\
Junior Doctors' Forum: foundation representative's summary for the foundation group chat
(no names of individual doctors; issues are raised as themes)

1. Rota gaps on medical nights: the rota coordinator now shares gaps four weeks ahead and
   locum requests go out the same day. Exception reports about missed breaks fell after
   the change.
2. Rest facilities: the Guardian of Safe Working raised the lack of a rest room after nights;
   the Trust has agreed a room near the acute medical unit.
3. Teaching attendance: bleep-free protected teaching pilot in medicine; surgery to follow.
Next forum: questions to the foundation representative in advance, please.
"""

_FASTING_DATA = """\
Pre-operative fasting on the emergency surgical list: audit summary (anonymised)
Baseline, 25 patients: median time without clear fluids 13 h (range 6-21 h).
After PDSA 1 (sip-til-send prompt on the theatre list board), 22 patients:
median 7 h (range 2-15 h).
Standard used: clear fluids allowed until called to theatre unless the anaesthetist says
otherwise (the department's own sip-til-send guideline).
"""

ITEMS: list[dict[str, Any]] = [
    # ---------------------------------------------------------------- acute medicine
    {
        "kind": "supervisor_meeting",
        "title": "Initial meeting with clinical supervisor: acute medicine",
        "date": "2025-08-08",
        "placement": "acute",
        "fields": {
            "supervisor": "Tom Hughes",
            "supervisor_role": "clinical",
            "meeting_type": "initial",
            "agreed_actions": (
                "Complete three supervised learning events on the acute take by the midpoint.\n"
                "Attend the Thursday acute medicine teaching when not on nights.\n"
                "Discuss a quality improvement idea with the unit's QI lead within a month."
            ),
        },
        "text": (
            "We discussed my FY1 experience, the acute take and the supervision available "
            "overnight. I said I want to become more confident leading the initial "
            "assessment of unwell patients and to complete a QI project this year."
        ),
        "links": ["GPC1", "GPC3.1"],
        "tags": ["supervision"],
        "submit": True,
    },
    {
        "kind": "supervisor_meeting",
        "title": "Initial meeting with educational supervisor: FY2 year plan",
        "date": "2025-08-13",
        "placement": "acute",
        "fields": {
            "supervisor": "Priya Shah",
            "supervisor_role": "educational",
            "meeting_type": "initial",
            "agreed_actions": (
                "Write a personal development plan with four SMART goals.\n"
                "Book the ALS provider course.\n"
                "Apply for the foundation representative post on the Junior Doctors' Forum.\n"
                "Choose a QI project with measurable data and aim for three PDSA cycles."
            ),
        },
        "text": (
            "We reviewed my FY1 ARCP outcome and the gaps in my GPC coverage: little evidence "
            "in leadership, teaching and research. We agreed that leadership, quality "
            "improvement and teaching would be my focus this year, alongside the clinical "
            "curriculum."
        ),
        "links": ["GPC3.1", "GPC5"],
        "tags": ["supervision", "ARCP"],
        "submit": True,
    },
    {
        "kind": "pdp_item",
        "title": "PDP: complete the ALS provider course",
        "date": "2025-08-14",
        "placement": "acute",
        "fields": {
            "goal": "Hold a current ALS provider certificate and be able to lead the first "
            "minutes of a cardiac arrest until a senior arrives.",
            "actions": "Book the course through the education centre; complete the pre-course "
            "e-learning; practise rhythm recognition with the resuscitation team.",
            "target_date": "2025-11-30",
            "success_criteria": "Course passed; two cardiac arrest calls attended with a "
            "debrief recorded as evidence.",
            "achieved": True,
        },
        "links": ["GPC2.1", "GPC5"],
        "tags": ["PDP"],
    },
    {
        "kind": "pdp_item",
        "title": "PDP: lead a quality improvement project through three PDSA cycles",
        "date": "2025-08-14",
        "placement": "acute",
        "fields": {
            "goal": "Lead a QI project on the acute medical unit using the Model for "
            "Improvement, with at least three PDSA cycles and a run chart.",
            "actions": "Attend the Trust QI fundamentals session; agree an aim with the unit QI "
            "lead; collect weekly data; present at the Trust QI forum.",
            "target_date": "2026-01-31",
            "success_criteria": "Three cycles written up; QIPAT completed; results presented "
            "to an audience outside the unit.",
            "achieved": True,
        },
        "links": ["GPC6.2"],
        "tags": ["PDP", "QI"],
    },
    {
        "kind": "pdp_item",
        "title": "PDP: develop as a clinical teacher",
        "date": "2025-08-14",
        "placement": "acute",
        "fields": {
            "goal": "Deliver at least four teaching sessions in different formats and obtain "
            "structured feedback on my teaching.",
            "actions": "Offer sessions to FY1s and medical students; collect feedback forms; "
            "ask a senior to observe one session for a DCT.",
            "target_date": "2026-06-30",
            "success_criteria": "Four sessions recorded with feedback; one DCT completed.",
            "achieved": True,
        },
        "links": ["GPC8"],
        "tags": ["PDP", "teaching"],
    },
    {
        "kind": "course",
        "title": "Quality improvement fundamentals (Trust QI team, half day)",
        "date": "2025-08-28",
        "placement": "acute",
        "fields": {
            "provider": "Trust quality improvement team",
            "certificate": True,
            "hours": 4,
        },
        "text": (
            "The Model for Improvement and its three questions, choosing outcome, process and "
            "balancing measures, and reading a run chart (shifts, trends and runs). The most "
            "useful part was testing a small change with a few patients first rather than "
            "launching a new form across the unit."
        ),
        "links": ["GPC6.2"],
        "tags": ["QI", "course"],
    },
    {
        "kind": "qi_project",
        "title": "Improving VTE risk assessment completion on the acute medical unit",
        "date": "2025-08-25",
        "until": "2025-12-12",
        "placement": "acute",
        "fields": {
            "role": "Project lead (FY2), with two FY1s, a ward pharmacist and a senior nurse",
            "aim": (
                "To increase the proportion of admissions to the acute medical unit with a "
                "completed venous thromboembolism (VTE) risk assessment by the time of the "
                "first consultant review from a baseline median of 57.5% to 90% within three "
                "months."
            ),
            "measures": (
                "Outcome: percentage of a weekly sample of 20 consecutive admissions with a "
                "completed VTE risk assessment by the first consultant review.\n"
                "Process: percentage of post-take ward round checklists with the VTE box "
                "ticked.\n"
                "Balancing: length of the post-take ward round; pharmacist-reported "
                "thromboprophylaxis prescribing errors."
            ),
            "change_ideas": (
                "A VTE prompt on the post-take ward round checklist; a VTE section on the "
                "clerking proforma; a slot in FY1 induction; a check at the twice-daily "
                "safety huddle by the nurse in charge; pharmacist review of charts without an "
                "assessment."
            ),
            "measures_detail": (
                "Data collected every Monday from the electronic record by the project team "
                "(no patient identifiers kept). Baseline over four weeks: 12, 11, 12 and 11 of "
                "20 (median 57.5%). The run chart is attached."
            ),
            "pdsa_cycles": [
                {
                    "started_on": "2025-09-22",
                    "ended_on": "2025-10-12",
                    "plan": (
                        "Add a VTE assessment prompt to the post-take ward round checklist. "
                        "Prediction: completion rises to 75% because the consultant will ask "
                        "about it at the first review."
                    ),
                    "do": (
                        "Tested on one consultant's ward rounds for a week, then on all post-take "
                        "rounds. Checklists were printed and left on the ward round trolley."
                    ),
                    "study": (
                        "Completion rose to 70-75% (14, 15 and 14 of 20). The checklist was "
                        "used on 80% of rounds, but assessments were often completed after the "
                        "round rather than before it."
                    ),
                    "act": (
                        "Adopt the checklist prompt. The assessment needs to happen earlier, at "
                        "clerking, so the next cycle targets the admitting doctor."
                    ),
                },
                {
                    "started_on": "2025-10-13",
                    "ended_on": "2025-11-02",
                    "plan": (
                        "Add a VTE section to the clerking proforma and a ten-minute slot to the "
                        "FY1 induction on the unit. Prediction: completion reaches 85%."
                    ),
                    "do": (
                        "The revised proforma was agreed with the clinical lead and used from "
                        "the start of the cycle; I taught the induction slot twice to new "
                        "starters and locum doctors."
                    ),
                    "study": (
                        "Completion rose to 80-85% (16, 17 and 16 of 20). Misses clustered in "
                        "overnight admissions, when locum doctors unfamiliar with the proforma "
                        "were clerking."
                    ),
                    "act": (
                        "Adapt: keep the proforma and add a check that does not depend on who "
                        "clerked the patient."
                    ),
                },
                {
                    "started_on": "2025-11-03",
                    "ended_on": "2025-11-28",
                    "plan": (
                        "The nurse in charge asks at the morning safety huddle which new "
                        "admissions have no VTE assessment, and the ward pharmacist flags charts "
                        "without one. Prediction: completion of 90% or more, sustained."
                    ),
                    "do": (
                        "A line was added to the safety huddle sheet with the senior nurses' "
                        "agreement; the pharmacist used a sticker on charts still needing an "
                        "assessment."
                    ),
                    "study": (
                        "Completion 90-95% for four weeks (18, 19, 18 and 19 of 20): twelve "
                        "weeks in a row above the baseline median, a shift on the run chart. "
                        "The ward round did not get longer and no new prescribing errors "
                        "were reported."
                    ),
                    "act": (
                        "Adopt. The huddle check and proforma are now the unit's standard "
                        "work; the unit's QI lead will repeat the audit every quarter."
                    ),
                },
            ],
            "outcome": (
                "Completion rose from a median of 57.5% to 92.5% over the last six weeks and "
                "held at 90-95% in the two weeks after I rotated (data from the unit's QI "
                "lead). The biggest gain came from the change that did not rely on individual "
                "doctors remembering."
            ),
            "team": (
                "Two FY1 doctors (data collection), the ward pharmacist, a senior sister (safety "
                "huddle), the unit's QI lead consultant (sponsor) and the Trust QI team "
                "(run chart advice)."
            ),
            "spread": (
                "Presented at the Trust quality improvement forum and the medical directorate "
                "governance meeting; the surgical admissions unit is testing the huddle check."
            ),
        },
        "text": (
            "Leading this taught me that QI is mostly about people and systems rather than "
            "reminding colleagues to try harder. Testing on a small scale first saved us from "
            "rolling out a form nobody used. Next time I will involve nursing colleagues from "
            "the start rather than in the third cycle, because their change worked best."
        ),
        "links": [
            (
                "GPC6.2",
                "Led a project through three PDSA cycles with outcome, process and "
                "balancing measures and a run chart.",
            ),
            "GPC6.1",
            (
                "GPC5",
                "Led a multi-professional team and negotiated changes with the clinical "
                "lead and senior nurses.",
            ),
            (
                "GPC9",
                "Collected, analysed and presented data to judge whether a change was an "
                "improvement.",
            ),
        ],
        "tags": ["QI", "VTE", "ARCP"],
        "submit": True,
        "attachments": [("vte-run-chart.txt", _VTE_RUN_CHART)],
    },
    {
        "kind": "reflection",
        "title": "Escalating a patient with sepsis overnight",
        "date": "2025-08-29",
        "placement": "acute",
        "fields": {
            "model": "what_so_what_now_what",
            "what": (
                "On a night shift I was asked to review a patient with a new fever, rising "
                "heart rate and falling blood pressure whose early warning score had risen "
                "over several hours. I started the sepsis six, took cultures and lactate and "
                "gave fluids and antibiotics within the hour, but I hesitated before calling "
                "the medical registrar, who was in the emergency department."
            ),
            "so_what": (
                "The patient improved, but my hesitation could have delayed critical care "
                "input. I was worried about interrupting a busy registrar. On reflection the "
                "escalation criteria were clear and the registrar said they would rather be "
                "called early. I also noticed the rising score had not prompted a review "
                "sooner because the ward was short of staff."
            ),
            "now_what": (
                "I will escalate using SBAR as soon as a patient meets the Trust escalation "
                "criteria, whatever the workload of the person I am calling. I have shared "
                "the delayed-review theme with the ward manager and raised it at the Junior "
                "Doctors' Forum."
            ),
        },
        "links": ["GPC2.3", "GPC6.1", ("GPC2.2", "Used SBAR to escalate to a senior.")],
        "tags": ["sepsis", "nights"],
        "submit": True,
    },
    {
        "kind": "reflection",
        "title": "My first run of medical nights as FY2",
        "date": "2025-09-05",
        "placement": "acute",
        "private": True,
        "fields": {
            "model": "gibbs",
            "description": (
                "My first block of nights as the most senior doctor on the wards, with the "
                "registrar covering admissions. I held the ward bleep for several hundred "
                "inpatients."
            ),
            "feelings": (
                "Anxious before the first shift and exhausted by the last. I felt guilty "
                "taking a break while jobs were outstanding."
            ),
            "evaluation": (
                "I prioritised well using the electronic task list and nobody came to harm. "
                "I skipped breaks and drove home very tired after the final night."
            ),
            "analysis": (
                "Skipping breaks made my decisions slower in the early morning. Fatigue is a "
                "patient safety issue as well as a personal one; the European Working Time "
                "rules and the junior doctor contract protect breaks for that reason."
            ),
            "conclusion": (
                "Taking a break is part of working safely. I should hand the bleep to a "
                "colleague and take breaks rather than wait for a quiet moment."
            ),
            "action_plan": (
                "Agree break times with the night team at handover; use the rest room and "
                "sleep before driving home; exception report missed breaks."
            ),
        },
        "links": ["GPC1"],
        "tags": ["wellbeing", "nights"],
    },
    {
        "kind": "reflection",
        "title": "Treating hyperkalaemia: learning from a pharmacist's query",
        "date": "2025-09-18",
        "placement": "acute",
        "fields": {
            "model": "kolb",
            "concrete_experience": (
                "I prescribed insulin and glucose for a patient with severe hyperkalaemia and "
                "an acute kidney injury. The ward pharmacist queried whether I had planned the "
                "capillary glucose monitoring afterwards, which I had not written down."
            ),
            "reflective_observation": (
                "I had focused on lowering the potassium and protecting the heart with calcium "
                "gluconate, and had not thought through the risk of hypoglycaemia in a patient "
                "with poor kidney function, who clears insulin slowly."
            ),
            "abstract_conceptualisation": (
                "Every treatment has its own monitoring plan; the national hyperkalaemia "
                "guideline includes glucose checks for several hours after insulin. Reduced "
                "kidney function raises the risk."
            ),
            "active_experimentation": (
                "I now write the monitoring plan on the chart with the prescription and use "
                "the Trust's hyperkalaemia order set. I shared the learning at the FY1 teaching."
            ),
        },
        "links": [("GPC2.4", "Prescribing medicines safely, including monitoring.")],
        "tags": ["prescribing"],
        "submit": True,
    },
    {
        "kind": "assessment",
        "title": "Mini-CEX: assessment of chest pain on the acute take",
        "date": "2025-09-10",
        "placement": "acute",
        "fields": {
            "form": "mini-CEX",
            "assessor": "Tom Hughes",
            "assessor_role": "Consultant in acute medicine",
            "assessed_on": "2025-09-10",
            "outcome": "Meets expectations for FY2",
        },
        "text": (
            "Focused history with good exploration of cardiac risk factors; appropriate "
            "examination and ECG interpretation. Learning point: explain the plan for serial "
            "troponin in plain language and check understanding."
        ),
        "links": ["GPC2.4", "GPC2.2"],
        "tags": ["SLE"],
        "submit": True,
    },
    {
        "kind": "assessment",
        "title": "DOPS: arterial blood gas sampling",
        "date": "2025-09-16",
        "placement": "acute",
        "fields": {
            "form": "DOPS",
            "assessor": "Amira Said",
            "assessor_role": "Medical registrar (ST5)",
            "assessed_on": "2025-09-16",
            "outcome": "Competent; no further supervision needed",
        },
        "text": (
            "Checked collateral circulation, explained the procedure and obtained verbal "
            "consent, used aseptic technique and disposed of sharps safely."
        ),
        "links": ["GPC2.1"],
        "tags": ["SLE", "procedures"],
    },
    {
        "kind": "teaching",
        "title": "Teaching FY1s: interpreting arterial blood gases",
        "date": "2025-09-25",
        "placement": "acute",
        "fields": {
            "topic": "A five-step approach to arterial blood gases",
            "audience": "FY1 doctors in medicine",
            "format": "small_group",
            "learners": 8,
            "feedback": (
                "Eight forms returned: all would attend again. Suggestions: more on mixed "
                "disorders and a one-page summary to keep."
            ),
        },
        "text": (
            "Working through invented gases in pairs kept everyone engaged. I tried to cover "
            "too much in forty minutes. Next time I will leave the anion gap to a handout and "
            "spend the time on what to do next clinically."
        ),
        "links": ["GPC8"],
        "tags": ["teaching"],
        "attachments": [("abg-teaching-feedback.txt", _ABG_FEEDBACK)],
    },
    {
        "kind": "leadership_role",
        "title": "Foundation doctors' representative, Junior Doctors' Forum",
        "date": "2025-09-01",
        "until": "2026-07-31",
        "placement": "acute",
        "fields": {
            "role": "Foundation doctors' representative",
            "organisation": TRUST + " Junior Doctors' Forum",
            "started_on": "2025-09-01",
            "ended_on": "2026-07-31",
            "responsibilities": (
                "Collect issues from foundation doctors before each forum, present them as "
                "themes, and report back on actions. Work with the Guardian of Safe Working "
                "and the Director of Medical Education on rota gaps, rest facilities and "
                "protected teaching."
            ),
            "what_changed": (
                "Rota gaps on medical nights are now shared four weeks ahead; a rest room "
                "after nights was agreed; a bleep-free teaching pilot started in medicine."
            ),
            "framework": "nhs_healthcare_leadership_model",
            "hlm_dimensions": [
                "engaging_the_team",
                "connecting_our_service",
                "influencing_for_results",
            ],
        },
        "text": (
            "I learned to bring issues as evidence rather than anecdote, using exception "
            "reports and a short survey, which made managers more willing to act. I found it "
            "hard to represent colleagues whose views differed from mine, and now summarise "
            "every view before giving my own."
        ),
        "links": [
            ("GPC5", "Elected representative role influencing Trust decisions."),
            ("GPC3.3", "Learned how the Trust's education and workforce structures work."),
        ],
        "tags": ["leadership", "JDF"],
        "submit": True,
        "attachments": [("jdf-summary.txt", _JDF_SUMMARY)],
    },
    {
        "kind": "leadership_role",
        "title": "Rota lead for the acute medicine foundation doctors",
        "date": "2025-09-08",
        "until": "2025-12-02",
        "placement": "acute",
        "fields": {
            "role": "Rota lead (foundation doctors, acute medicine)",
            "organisation": TRUST + ", Division of Medicine",
            "started_on": "2025-09-08",
            "ended_on": "2025-12-02",
            "responsibilities": (
                "Coordinate swaps and leave requests among eleven foundation doctors with the "
                "medical staffing team and flag gaps early to the rota coordinator."
            ),
            "what_changed": (
                "A shared leave request sheet and a fortnightly check of the next six weeks "
                "for gaps; no shift went uncovered on the foundation rota in the placement."
            ),
            "framework": "medical_leadership_competency_framework",
            "mlcf_domains": ["working_with_others", "managing_services"],
        },
        "text": (
            "Balancing fairness with individual requests was harder than the admin. Being "
            "transparent about the rules for swaps reduced the number of disputes."
        ),
        "links": ["GPC5", ("GPC6.1", "Early gap-filling keeps staffing, and patients, safe.")],
        "tags": ["leadership", "rota"],
    },
    {
        "kind": "assessment",
        "title": "CBD: upper gastrointestinal bleed",
        "date": "2025-10-02",
        "placement": "acute",
        "fields": {
            "form": "CBD",
            "assessor": "Tom Hughes",
            "assessor_role": "Consultant in acute medicine",
            "assessed_on": "2025-10-02",
            "outcome": "Above expectations for FY2",
        },
        "text": (
            "Discussed risk scoring with the Glasgow-Blatchford score, restrictive transfusion "
            "thresholds and the timing of endoscopy. Good reasoning about anticoagulant "
            "reversal. Action: read the local major haemorrhage protocol."
        ),
        "links": ["GPC2.3", "GPC2.4"],
        "tags": ["SLE"],
        "submit": True,
    },
    {
        "kind": "reflection",
        "title": "Talking with a family about treatment escalation and resuscitation",
        "date": "2025-10-09",
        "placement": "acute",
        "fields": {
            "model": "what_so_what_now_what",
            "what": (
                "With the registrar, I spoke to the family of a frail older patient with "
                "advanced heart failure about a treatment escalation plan and a DNACPR "
                "decision. The family first felt we were giving up."
            ),
            "so_what": (
                "Explaining what resuscitation involves, and what we would still do, changed "
                "the conversation. I learned that a DNACPR decision is a clinical decision but "
                "that the patient and those close to them must be involved and informed, and "
                "that a ReSPECT-style plan records what matters to the patient, not only CPR."
            ),
            "now_what": (
                "I will start these conversations earlier, ask what matters most to the "
                "patient, and avoid the phrase 'nothing more we can do'. I have asked to lead "
                "the next conversation with a senior present."
            ),
        },
        "links": [
            ("GPC2.2", "A difficult conversation with relatives."),
            ("GPC3.2", "Legal duties to involve patients and families in DNACPR decisions."),
            "GPC1",
        ],
        "tags": ["communication", "end of life"],
    },
    {
        "kind": "course",
        "title": "Advanced Life Support (ALS) provider course",
        "date": "2025-10-21",
        "until": "2025-10-22",
        "placement": "acute",
        "fields": {
            "provider": "Resuscitation Council UK course, Trust education centre",
            "certificate": True,
            "hours": 16,
        },
        "text": (
            "Rhythm recognition, the ALS algorithm, post-resuscitation care and team "
            "leadership in simulated arrests. Leading a scenario showed me how much clear, "
            "closed-loop communication helps the team."
        ),
        "links": ["GPC2.1", "GPC5"],
        "tags": ["course", "ALS"],
        "submit": True,
    },
    {
        "kind": "teamwork",
        "title": "Cardiac arrest call: working as part of the resuscitation team",
        "date": "2025-10-30",
        "placement": "acute",
        "fields": {
            "setting": "In-hospital cardiac arrest on a medical ward",
            "team": "Medical registrar (team leader), anaesthetist, two nurses, FY1, "
            "healthcare assistant",
            "your_role": "Airway support, then chest compressions and rhythm checks",
            "went_well": (
                "Roles were allocated within the first minute; compressions were swapped every "
                "two minutes; the team leader summarised regularly. We held a hot debrief."
            ),
            "even_better_if": (
                "The defibrillator pads were slow to arrive; in the debrief we agreed to check "
                "the arrest trolley location at each handover."
            ),
        },
        "text": (
            "Having just done ALS, I could anticipate the next step and prompt the team "
            "leader about reversible causes. I learned the value of a debrief even when the "
            "outcome was poor."
        ),
        "links": ["GPC5", "GPC2.1"],
        "tags": ["teamwork", "ALS"],
    },
    {
        "kind": "assessment",
        "title": "ACAT: post-take ward round",
        "date": "2025-11-06",
        "placement": "acute",
        "fields": {
            "form": "ACAT",
            "assessor": "Tom Hughes",
            "assessor_role": "Consultant in acute medicine",
            "assessed_on": "2025-11-06",
            "outcome": "Meets expectations",
        },
        "text": (
            "Presented eight new patients clearly with prioritised plans; good use of the "
            "VTE checklist. Learning point: delegate tasks during the round rather than "
            "keeping them."
        ),
        "links": ["GPC2.3", "GPC5"],
        "tags": ["SLE"],
    },
    {
        "kind": "reflection",
        "title": "Assessing capacity to decide about discharge in a patient with delirium",
        "date": "2025-11-13",
        "placement": "acute",
        "fields": {
            "model": "gibbs",
            "description": (
                "An older patient recovering from delirium wanted to go home against the "
                "advice of the therapy team, who were worried about falls. I was asked to "
                "assess capacity for this decision."
            ),
            "feelings": "Uncertain, and uneasy about balancing autonomy and safety.",
            "evaluation": (
                "With my consultant's help I used the two-stage test of the Mental Capacity "
                "Act 2005 and documented each part of the decision-specific assessment."
            ),
            "analysis": (
                "Capacity fluctuates in delirium, so timing matters; an unwise decision is "
                "not by itself a lack of capacity. I also considered whether there were any "
                "safeguarding concerns at home, and there were none."
            ),
            "conclusion": (
                "The patient had capacity for this decision. Our job became making the choice "
                "as safe as possible rather than overriding it."
            ),
            "action_plan": (
                "Reassess capacity at the best time of day; document the specific decision; "
                "involve the therapy team in a risk-reduction plan."
            ),
        },
        "links": [
            ("GPC3.2", "Applied the Mental Capacity Act 2005."),
            "GPC7",
            "GPC1",
        ],
        "tags": ["capacity", "older people"],
    },
    {
        "kind": "significant_event",
        "title": "Delayed antibiotic dose after a ward transfer",
        "date": "2025-11-18",
        "placement": "acute",
        "fields": {
            "what_happened": (
                "A patient with pneumonia transferred from the acute medical unit to a base "
                "ward missed a dose of intravenous antibiotics by several hours."
            ),
            "why_it_happened": (
                "The transfer happened at the time the dose was due; each team assumed the "
                "other would give it, and the dose did not show as overdue on the receiving "
                "ward's list until it had been reconciled."
            ),
            "learned": (
                "Transfers are a point of risk for time-critical medicines. Telling the "
                "patient and apologising was straightforward and appreciated (duty of "
                "candour). A reflection does not replace the incident report."
            ),
            "changed": (
                "The unit's transfer checklist now asks when the next time-critical dose is "
                "due; I presented the case at the departmental governance meeting."
            ),
            "incident_reported": True,
        },
        "links": [("GPC6.1", "Learning from a medication incident."), "GPC1"],
        "tags": ["patient safety", "incident"],
        "submit": True,
    },
    {
        "kind": "teaching",
        "title": "Bedside teaching for medical students: cardiovascular examination",
        "date": "2025-11-20",
        "placement": "acute",
        "fields": {
            "topic": "Cardiovascular examination and presenting findings",
            "audience": "Third-year medical students",
            "format": "bedside",
            "learners": 4,
            "feedback": "Verbal feedback: valued practising presentations on real findings.",
        },
        "text": (
            "I asked patients for permission in advance and briefed students on respectful "
            "bedside behaviour. Next time I will give each student one specific thing to find."
        ),
        "links": ["GPC8"],
        "tags": ["teaching"],
    },
    {
        "kind": "supervisor_meeting",
        "title": "End of placement meeting: acute medicine",
        "date": "2025-11-26",
        "placement": "acute",
        "fields": {
            "supervisor": "Tom Hughes",
            "supervisor_role": "clinical",
            "meeting_type": "end_of_placement",
            "agreed_actions": (
                "Write up all three PDSA cycles and book the QIPAT.\n"
                "Carry the escalation learning into the surgical placement."
            ),
        },
        "text": (
            "Placement objectives met. Feedback from the unit was positive, particularly on "
            "the QI project and my escalation of unwell patients."
        ),
        "links": ["GPC1", "GPC2"],
        "tags": ["supervision"],
        "submit": True,
    },
    {
        "kind": "assessment",
        "title": "DOPS: diagnostic ascitic tap",
        "date": "2025-10-15",
        "placement": "acute",
        "fields": {
            "form": "DOPS",
            "assessor": "Amira Said",
            "assessor_role": "Medical registrar (ST5)",
            "assessed_on": "2025-10-15",
            "outcome": "Competent with indirect supervision",
        },
        "text": (
            "Checked clotting and platelets, confirmed the site clinically, used aseptic "
            "technique and sent the right samples, including culture bottles at the bedside."
        ),
        "links": ["GPC2.1", ("GPC2.4", "Infection control during an invasive procedure.")],
        "tags": ["SLE", "procedures"],
    },
    {
        "kind": "teaching",
        "title": "Medical journal club: appraising a randomised trial",
        "date": "2025-10-23",
        "placement": "acute",
        "fields": {
            "topic": "Critical appraisal of a trial of oxygen targets in acutely ill adults",
            "audience": "Medical foundation and core trainees",
            "format": "small_group",
            "learners": 14,
            "feedback": "Lively discussion; asked to run a session on reading forest plots.",
        },
        "text": (
            "Using a structured appraisal checklist helped me judge bias and applicability "
            "rather than just summarise the abstract. I will apply the same approach when "
            "reading guidance that cites new trials."
        ),
        "links": [("GPC9", "Critical appraisal of published research."), "GPC8"],
        "tags": ["research", "teaching"],
    },
    {
        "kind": "teamwork",
        "title": "Introducing a structured evening handover on the medical wards",
        "date": "2025-11-04",
        "placement": "acute",
        "fields": {
            "setting": "Evening handover from day to night medical teams",
            "team": "Day and night foundation doctors, medical registrar, site practitioner",
            "your_role": "Proposed and chaired the structured (SBAR) handover for a month",
            "went_well": "Sick patients handed over first; clear owner for each task; the "
            "night registrar heard about every unwell patient.",
            "even_better_if": "Handover started on time more often; we agreed a hard start "
            "and a bleep-holder during handover.",
        },
        "text": (
            "A handover is a team event, not a list. Chairing it meant keeping everyone "
            "focused and inviting quieter colleagues to speak."
        ),
        "links": ["GPC5", "GPC2.2", "GPC6.1"],
        "tags": ["teamwork", "handover"],
    },
    # ---------------------------------------------------------------- general surgery
    {
        "kind": "supervisor_meeting",
        "title": "Initial meeting with clinical supervisor: general surgery",
        "date": "2025-12-05",
        "placement": "surgery",
        "fields": {
            "supervisor": "Ruth Okafor",
            "supervisor_role": "clinical",
            "meeting_type": "initial",
            "agreed_actions": (
                "Attend theatre and the emergency clinic weekly.\n"
                "Complete a DOPS and a CBD on the emergency take.\n"
                "Consider a small QI project on pre-operative fasting."
            ),
        },
        "text": "Discussed the surgical take, the on-call rota and the learning I want.",
        "links": ["GPC3.1"],
        "tags": ["supervision"],
    },
    {
        "kind": "reflection",
        "title": "Consent: knowing what I can and cannot consent for",
        "date": "2025-12-12",
        "placement": "surgery",
        "fields": {
            "model": "what_so_what_now_what",
            "what": (
                "I was asked by a busy colleague to consent a patient for a laparoscopic "
                "procedure that I had never seen performed."
            ),
            "so_what": (
                "I could not explain the material risks and alternatives well enough for the "
                "patient to make an informed decision. GMC guidance on decision making and "
                "consent and the Montgomery judgment make clear that consent is a dialogue "
                "about what matters to this patient, taken by someone able to answer their "
                "questions."
            ),
            "now_what": (
                "I declined politely and asked the registrar to consent; I watched and then "
                "consented for the same procedure under supervision. I will only consent for "
                "procedures I understand, and will say so when asked to do otherwise."
            ),
        },
        "links": [
            ("GPC2.4", "Consent is part of the GPC clinical skills."),
            "GPC3.2",
            "GPC1",
        ],
        "tags": ["consent"],
        "submit": True,
    },
    {
        "kind": "assessment",
        "title": "Mini-CEX: abdominal examination and explaining a diagnosis of appendicitis",
        "date": "2025-12-16",
        "placement": "surgery",
        "fields": {
            "form": "mini-CEX",
            "assessor": "Daniel Roberts",
            "assessor_role": "Surgical registrar (ST6)",
            "assessed_on": "2025-12-16",
            "outcome": "Meets expectations",
        },
        "text": (
            "Thorough, gentle examination with appropriate chaperone offer; clear explanation "
            "of the likely diagnosis and next steps. Next: include a clear safety-net about "
            "what to do if the pain worsens while waiting."
        ),
        "links": ["GPC2.4", "GPC2.2"],
        "tags": ["SLE"],
    },
    {
        "kind": "significant_event",
        "title": "Hypoglycaemia in a fasting patient with diabetes awaiting theatre",
        "date": "2026-01-08",
        "placement": "surgery",
        "fields": {
            "what_happened": (
                "A patient with insulin-treated diabetes kept nil by mouth for an emergency "
                "procedure became hypoglycaemic overnight. It was recognised by the nursing "
                "team and treated promptly without lasting harm."
            ),
            "why_it_happened": (
                "The usual long-acting insulin was continued at full dose, no variable-rate "
                "insulin infusion was started, and the theatre time moved twice, prolonging "
                "the fast."
            ),
            "learned": (
                "Fasting patients with diabetes need a plan that is reviewed whenever theatre "
                "timing changes. I reviewed the national perioperative diabetes guidance."
            ),
            "changed": (
                "The surgical FY doctors now review every fasting patient with diabetes at the "
                "evening handover; the event led me to the fasting QI project."
            ),
            "incident_reported": True,
        },
        "links": ["GPC6.1", "GPC2.4"],
        "tags": ["patient safety", "diabetes", "incident"],
    },
    {
        "kind": "assessment",
        "title": "QIPAT: VTE risk assessment project",
        "date": "2026-01-15",
        "placement": "surgery",
        "fields": {
            "form": "QIPAT",
            "assessor": "Helen Carter",
            "assessor_role": "Consultant, Trust quality improvement lead",
            "assessed_on": "2026-01-15",
            "outcome": "Satisfactory",
        },
        "text": (
            "Clear aim, measures and run chart; appropriate use of PDSA cycles and a "
            "balancing measure. Suggestion: plan for sustainability from the first cycle."
        ),
        "links": ["GPC6.2"],
        "tags": ["QI", "SLE"],
        "submit": True,
    },
    {
        "kind": "teaching",
        "title": "Presenting the VTE project at the Trust quality improvement forum",
        "date": "2026-01-22",
        "placement": "surgery",
        "fields": {
            "topic": "Improving VTE risk assessment on the acute medical unit",
            "audience": "Trust quality improvement forum (multi-professional)",
            "format": "lecture",
            "learners": 40,
            "feedback": "Questions from the surgical division led to a test of the huddle "
            "check on the surgical admissions unit.",
        },
        "text": (
            "Presenting to senior staff and managers was daunting; a simple run chart and a "
            "single clear message worked better than lots of slides."
        ),
        "links": ["GPC6.2", "GPC8"],
        "tags": ["QI", "presentation"],
    },
    {
        "kind": "qi_project",
        "title": "Reducing prolonged pre-operative fasting on the emergency surgical list",
        "date": "2026-01-19",
        "until": "2026-03-27",
        "placement": "surgery",
        "fields": {
            "role": "Co-lead with a surgical FY1 and an anaesthetic registrar",
            "aim": (
                "To reduce the median time without clear fluids before emergency surgery from "
                "13 hours to under 6 hours by the end of March."
            ),
            "measures": (
                "Outcome: median hours without clear fluids before anaesthesia.\n"
                "Balancing: cancellations or delays blamed on recent fluid intake."
            ),
            "change_ideas": (
                "A 'sip til send' prompt on the theatre list board; clear fluids on the drug "
                "chart; a fasting line in the surgical handover."
            ),
            "measures_detail": "Baseline 25 patients, median 13 hours (range 6-21).",
            "pdsa_cycles": [
                {
                    "started_on": "2026-02-09",
                    "ended_on": "2026-03-06",
                    "plan": "Add a sip-til-send prompt to the theatre list board, agreed with "
                    "theatre and anaesthetic leads. Prediction: median below 8 hours.",
                    "do": "Prompt used on weekday lists; the team explained it at handovers.",
                    "study": "Median 7 hours in 22 patients; no delays attributed to fluids. "
                    "Weekend lists did not use the prompt.",
                    "act": "Adapt: add the fasting line to the handover sheet for weekends.",
                },
            ],
            "outcome": "Early improvement; a second cycle is under way, led by the next FY1.",
            "team": "Surgical FY1, anaesthetic registrar, theatre coordinator, ward nurses.",
            "spread": "Handed over to the incoming foundation doctors with the data sheet.",
        },
        "text": (
            "Handing a project over is part of leading it: I wrote a one-page guide so the "
            "work does not stop when I rotate."
        ),
        "links": ["GPC6.2", "GPC6.1", "GPC5"],
        "tags": ["QI", "surgery"],
        "attachments": [("fasting-audit-summary.txt", _FASTING_DATA)],
    },
    {
        "kind": "assessment",
        "title": "DOPS: urethral catheterisation",
        "date": "2026-01-27",
        "placement": "surgery",
        "fields": {
            "form": "DOPS",
            "assessor": "Grace Allen",
            "assessor_role": "Senior staff nurse, surgical ward",
            "assessed_on": "2026-01-27",
            "outcome": "Competent",
        },
        "text": (
            "Aseptic non-touch technique maintained; consent and chaperone documented; clear "
            "record of residual volume and catheter details."
        ),
        "links": [("GPC2.1", ""), ("GPC2.4", "Infection control in a common procedure.")],
        "tags": ["SLE", "procedures"],
    },
    {
        "kind": "reflection",
        "title": "Recognising an anastomotic leak: trusting a sense that something was wrong",
        "date": "2026-02-04",
        "placement": "surgery",
        "fields": {
            "model": "gibbs",
            "description": (
                "A patient a few days after bowel surgery had a persistent tachycardia with "
                "otherwise reassuring observations and blood results."
            ),
            "feelings": "Uneasy; worried I would be seen as over-cautious.",
            "evaluation": (
                "I asked the registrar to review and a CT scan showed an anastomotic leak, "
                "treated early."
            ),
            "analysis": (
                "Unexplained tachycardia after bowel surgery is a leak until proven otherwise; "
                "early warning scores can lag behind the clinical picture."
            ),
            "conclusion": "Clinical unease is information and worth escalating clearly.",
            "action_plan": (
                "Keep a low threshold to escalate post-operative tachycardia; share this "
                "learning at the FY1 simulation teaching."
            ),
        },
        "links": ["GPC2.3", "GPC6.1"],
        "tags": ["surgery", "deteriorating patient"],
    },
    {
        "kind": "assessment",
        "title": "CBD: severity assessment and fluid management in acute pancreatitis",
        "date": "2026-02-10",
        "placement": "surgery",
        "fields": {
            "form": "CBD",
            "assessor": "Ruth Okafor",
            "assessor_role": "Consultant general surgeon",
            "assessed_on": "2026-02-10",
            "outcome": "Meets expectations",
        },
        "text": (
            "Good discussion of severity scoring, fluid balance and when to involve critical "
            "care. Action: review the indications for early imaging."
        ),
        "links": ["GPC2.3"],
        "tags": ["SLE"],
    },
    {
        "kind": "teaching",
        "title": "Simulation teaching for FY1s: the acutely unwell surgical patient",
        "date": "2026-02-18",
        "placement": "surgery",
        "fields": {
            "topic": "Recognising and escalating post-operative deterioration",
            "audience": "FY1 doctors in surgery",
            "format": "simulation",
            "learners": 6,
            "feedback": "All six rated the session useful; asked for more scenarios on "
            "escalation calls.",
        },
        "text": (
            "Co-facilitated with the simulation fellow. Running the debrief taught me to ask "
            "open questions before giving my own view."
        ),
        "links": ["GPC8", "GPC6.1"],
        "tags": ["teaching", "simulation"],
    },
    {
        "kind": "teamwork",
        "title": "Emergency laparotomy: working across surgery, anaesthetics and critical care",
        "date": "2026-02-24",
        "placement": "surgery",
        "fields": {
            "setting": "Emergency surgical admission needing a laparotomy",
            "team": "Surgical registrar and consultant, anaesthetist, critical care outreach, "
            "theatre team",
            "your_role": "Initial assessment, risk scoring and coordinating investigations",
            "went_well": "Risk score documented early; consultant surgeon and anaesthetist "
            "both involved before theatre; critical care bed arranged in advance.",
            "even_better_if": "The CT request had reached radiology sooner; I now phone for "
            "time-critical scans.",
        },
        "text": (
            "Seeing how the national emergency laparotomy standards shape the pathway showed "
            "me how audit data drives team behaviour."
        ),
        "links": ["GPC5", "GPC2.3"],
        "tags": ["teamwork", "surgery"],
    },
    {
        "kind": "assessment",
        "title": "TAB (team assessment of behaviour)",
        "date": "2026-03-02",
        "placement": "surgery",
        "fields": {
            "form": "TAB",
            "assessor": "Ruth Okafor",
            "assessor_role": "Clinical supervisor (collated twelve raters)",
            "assessed_on": "2026-03-02",
            "outcome": "No concerns",
        },
        "text": (
            "Raters praised my calm manner and willingness to help. Two raters suggested I "
            "speak up earlier when overloaded. I will ask for help sooner on busy shifts."
        ),
        "links": ["GPC1", "GPC5", "GPC2.2"],
        "tags": ["MSF"],
        "submit": True,
    },
    {
        "kind": "reflection",
        "title": "How waiting-time standards shape the elective surgical list",
        "date": "2026-03-05",
        "placement": "surgery",
        "fields": {
            "model": "what_so_what_now_what",
            "what": (
                "I attended a theatre scheduling meeting where cases were prioritised by "
                "clinical urgency and by how long patients had waited."
            ),
            "so_what": (
                "I had not understood how referral-to-treatment standards, commissioning by "
                "integrated care boards and theatre capacity interact. I also learned that "
                "the standards and structures differ between England, Scotland, Wales and "
                "Northern Ireland."
            ),
            "now_what": (
                "I will explain waits to patients more accurately and raise capacity problems "
                "through the right channels, not just the ward."
            ),
        },
        "links": [
            ("GPC3.3", "How the health service is organised and funded across the four countries.")
        ],
        "tags": ["NHS systems"],
    },
    {
        "kind": "reflection",
        "title": "Looking after myself during a heavy on-call block",
        "date": "2026-03-10",
        "placement": "surgery",
        "private": True,
        "fields": {
            "model": "what_so_what_now_what",
            "what": "After a heavy run of on-calls I noticed I was irritable, sleeping badly "
            "and dreading work.",
            "so_what": "These are early signs of burnout. Looking after my own health is part "
            "of Good Medical Practice, not a luxury.",
            "now_what": "I spoke to my educational supervisor, protected my days off and used "
            "the Trust's staff support service.",
        },
        "links": ["GPC1"],
        "tags": ["wellbeing"],
    },
    {
        "kind": "assessment",
        "title": "LEADER case-based discussion: improving rota gap communication",
        "date": "2026-03-12",
        "placement": "surgery",
        "fields": {
            "form": "LEADER",
            "assessor": "Mark Ellis",
            "assessor_role": "Consultant, Clinical Leadership Mentor",
            "assessed_on": "2026-03-12",
            "outcome": "Satisfactory",
        },
        "text": (
            "Discussed my Junior Doctors' Forum work on rota gaps: how I gathered evidence, "
            "engaged medical staffing and evaluated the change. Next: reflect on managing "
            "disagreement within the foundation group."
        ),
        "links": ["GPC5"],
        "tags": ["leadership", "SLE"],
    },
    {
        "kind": "course",
        "title": "Foundation leadership and management course",
        "date": "2026-03-17",
        "until": "2026-03-18",
        "placement": "surgery",
        "fields": {
            "provider": "Trust education centre with the Clinical Leadership Mentor",
            "certificate": True,
            "hours": 12,
        },
        "text": (
            "Leadership styles, the NHS Healthcare Leadership Model, managing change, NHS "
            "finance and how a Trust board works. The session on giving feedback upwards was "
            "the most useful."
        ),
        "links": ["GPC5", "GPC3.3"],
        "tags": ["course", "leadership"],
    },
    {
        "kind": "leadership_role",
        "title": "Project lead: surgical induction guide for foundation doctors",
        "date": "2026-01-05",
        "until": "2026-03-31",
        "placement": "surgery",
        "fields": {
            "role": "Project lead (matched by the Clinical Leadership Mentor)",
            "organisation": TRUST + ", Division of Surgery",
            "started_on": "2026-01-05",
            "ended_on": "2026-03-31",
            "responsibilities": (
                "Survey foundation doctors about their first week in surgery, write a short "
                "induction guide with the surgical teams, and agree it with the college tutor."
            ),
            "what_changed": "The guide is issued to every new foundation doctor in surgery.",
            "framework": "nhs_healthcare_leadership_model",
            "hlm_dimensions": ["sharing_the_vision", "developing_capability"],
        },
        "text": "Small practical projects are a good way to learn how decisions get made.",
        "links": ["GPC5", "GPC6.1"],
        "tags": ["leadership"],
    },
    {
        "kind": "supervisor_meeting",
        "title": "Midpoint meeting with educational supervisor",
        "date": "2026-01-28",
        "placement": "surgery",
        "fields": {
            "supervisor": "Priya Shah",
            "supervisor_role": "educational",
            "meeting_type": "midpoint",
            "agreed_actions": (
                "Add evidence in safeguarding, health promotion and research during general "
                "practice.\nComplete a DCT before the end of the year."
            ),
        },
        "text": "Good progress; coverage gaps remain in GPC4, GPC7 and GPC9.",
        "links": ["GPC3.1"],
        "tags": ["supervision", "ARCP"],
        "submit": True,
    },
    {
        "kind": "supervisor_meeting",
        "title": "End of placement meeting: general surgery",
        "date": "2026-03-25",
        "placement": "surgery",
        "fields": {
            "supervisor": "Ruth Okafor",
            "supervisor_role": "clinical",
            "meeting_type": "end_of_placement",
            "agreed_actions": "Hand over the fasting project to the incoming FY1.",
        },
        "text": "Placement objectives met; thanks recorded for the induction guide.",
        "links": ["GPC1"],
        "tags": ["supervision"],
    },
    {
        "kind": "reflection",
        "title": "Fluid prescribing for a post-operative patient with acute kidney injury",
        "date": "2026-01-14",
        "placement": "surgery",
        "fields": {
            "model": "kolb",
            "concrete_experience": (
                "A patient after abdominal surgery developed an acute kidney injury. I had "
                "continued maintenance fluids without reassessing fluid balance."
            ),
            "reflective_observation": (
                "The fluid chart was incomplete and I had prescribed by habit rather than "
                "by assessment of the patient's losses and status."
            ),
            "abstract_conceptualisation": (
                "The national intravenous fluid guidance asks for assessment, a reason for "
                "each prescription (resuscitation, routine maintenance, replacement) and "
                "daily review; nephrotoxic drugs should be reviewed in AKI."
            ),
            "active_experimentation": (
                "I now write the indication for each fluid prescription, review the drug "
                "chart for nephrotoxic medicines and ask nurses to flag incomplete charts."
            ),
        },
        "links": ["GPC2.4", "GPC6.1"],
        "tags": ["prescribing", "AKI"],
    },
    {
        "kind": "pdp_item",
        "title": "PDP: take on a leadership project beyond my own team",
        "date": "2025-12-10",
        "placement": "surgery",
        "fields": {
            "goal": "Lead a small improvement project for the foundation doctors in surgery "
            "with the Clinical Leadership Mentor's support.",
            "actions": "Meet the Clinical Leadership Mentor; agree a project; complete a "
            "LEADER case-based discussion.",
            "target_date": "2026-03-31",
            "success_criteria": "Project delivered and evaluated; LEADER completed.",
            "achieved": True,
        },
        "links": ["GPC5"],
        "tags": ["PDP", "leadership"],
    },
    # ---------------------------------------------------------------- general practice
    {
        "kind": "supervisor_meeting",
        "title": "Initial meeting with clinical supervisor: general practice",
        "date": "2026-04-02",
        "placement": "gp",
        "fields": {
            "supervisor": "Sam Patel",
            "supervisor_role": "clinical",
            "meeting_type": "initial",
            "agreed_actions": (
                "Start with 30-minute appointments and debrief after each surgery.\n"
                "Complete safeguarding children level 3 training in the first month.\n"
                "Join the practice's research study as a recruiter after GCP training."
            ),
        },
        "text": "Discussed the practice, the team and how primary care differs from hospital.",
        "links": ["GPC3.3"],
        "tags": ["supervision"],
    },
    {
        "kind": "pdp_item",
        "title": "PDP: consult safely within time-limited appointments",
        "date": "2026-04-03",
        "placement": "gp",
        "fields": {
            "goal": "Complete a safe consultation, including safety-netting, within 15 "
            "minutes by the end of the placement.",
            "actions": "Reduce appointment length in steps; record and review two "
            "consultations with consent; debrief daily.",
            "target_date": "2026-07-31",
            "success_criteria": "Running to time on most sessions; positive mini-CEX.",
            "achieved": False,
        },
        "links": ["GPC2.2", "GPC2.3"],
        "tags": ["PDP"],
    },
    {
        "kind": "course",
        "title": "Safeguarding children and young people, level 3",
        "date": "2026-04-15",
        "placement": "gp",
        "fields": {
            "provider": "Integrated care board safeguarding team",
            "certificate": True,
            "hours": 8,
        },
        "text": (
            "Recognising abuse and neglect, information sharing, the role of the named and "
            "designated professionals, and bruising in non-mobile infants."
        ),
        "links": ["GPC7", "GPC3.2"],
        "tags": ["course", "safeguarding"],
        "submit": True,
    },
    {
        "kind": "reflection",
        "title": "Very brief advice on smoking in a routine appointment",
        "date": "2026-04-22",
        "placement": "gp",
        "fields": {
            "model": "what_so_what_now_what",
            "what": (
                "A patient came about a chest infection. I used very brief advice (ask, "
                "advise, act) about smoking, and they accepted a referral to the stop smoking "
                "service."
            ),
            "so_what": (
                "It took under a minute. Offering help rather than telling patients to stop "
                "felt less judgemental and the patient was receptive."
            ),
            "now_what": (
                "I will use every relevant contact for brief advice on smoking, alcohol and "
                "activity, and record it so the team can follow up."
            ),
        },
        "links": [("GPC4", "Opportunistic health promotion in a routine consultation.")],
        "tags": ["health promotion", "general practice"],
        "submit": True,
    },
    {
        "kind": "assessment",
        "title": "CBD: an infant with an unexplained bruise",
        "date": "2026-04-29",
        "placement": "gp",
        "fields": {
            "form": "CBD",
            "assessor": "Sam Patel",
            "assessor_role": "GP trainer",
            "assessed_on": "2026-04-29",
            "outcome": "Meets expectations",
        },
        "text": (
            "Recognised that bruising in a non-mobile infant needs referral under the local "
            "safeguarding pathway, and discussed how to explain this to parents honestly."
        ),
        "links": ["GPC7", "GPC2.3"],
        "tags": ["safeguarding", "SLE"],
        "submit": True,
    },
    {
        "kind": "reflection",
        "title": "Safeguarding concern about an older adult",
        "date": "2026-05-06",
        "placement": "gp",
        "fields": {
            "model": "gibbs",
            "description": (
                "During a home visit I noticed signs that an older patient might be "
                "experiencing financial abuse."
            ),
            "feelings": "Worried for the patient and unsure whether I was overstepping.",
            "evaluation": (
                "I spoke to the patient alone, who agreed to a referral, and discussed it "
                "with the practice safeguarding lead the same day."
            ),
            "analysis": (
                "Under the Care Act 2014 adults at risk have a right to be involved in "
                "decisions; consent matters unless others are at risk or the person lacks "
                "capacity for the decision."
            ),
            "conclusion": "Noticing and asking are the most important steps.",
            "action_plan": "Learn the local adult safeguarding referral process; ask "
            "routinely about finances and support at home visits.",
        },
        "links": ["GPC7", "GPC3.2"],
        "tags": ["safeguarding"],
        "submit": True,
    },
    {
        "kind": "course",
        "title": "Good Clinical Practice (GCP) for research",
        "date": "2026-05-08",
        "placement": "gp",
        "fields": {
            "provider": "NIHR e-learning",
            "certificate": True,
            "hours": 4,
        },
        "text": "Research governance, informed consent for research and safety reporting.",
        "links": ["GPC9", "GPC3.2"],
        "tags": ["course", "research"],
    },
    {
        "kind": "reflection",
        "title": "Recruiting patients to a primary care research study",
        "date": "2026-05-20",
        "placement": "gp",
        "fields": {
            "model": "kolb",
            "concrete_experience": (
                "After GCP training I helped screen and recruit patients to a study run by "
                "the practice's research team."
            ),
            "reflective_observation": (
                "Explaining randomisation without overselling the study was harder than I "
                "expected; some patients wanted my personal advice."
            ),
            "abstract_conceptualisation": (
                "Research consent must be voluntary and separate from clinical care; "
                "equipoise means I genuinely do not know which option is better."
            ),
            "active_experimentation": (
                "I now use the study's patient information sheet as a script and always "
                "offer time to think."
            ),
        },
        "links": [("GPC9", "Took part in research recruitment under GCP.")],
        "tags": ["research"],
    },
    {
        "kind": "assessment",
        "title": "Mini-CEX: new diagnosis of type 2 diabetes",
        "date": "2026-05-27",
        "placement": "gp",
        "fields": {
            "form": "mini-CEX",
            "assessor": "Sam Patel",
            "assessor_role": "GP trainer",
            "assessed_on": "2026-05-27",
            "outcome": "Meets expectations",
        },
        "text": (
            "Explained the diagnosis clearly, explored the patient's ideas and concerns and "
            "agreed lifestyle goals with a referral to structured education."
        ),
        "links": ["GPC4", "GPC2.2"],
        "tags": ["SLE", "health promotion"],
    },
    {
        "kind": "reflection",
        "title": "Not prescribing antibiotics for a sore throat",
        "date": "2026-06-03",
        "placement": "gp",
        "fields": {
            "model": "what_so_what_now_what",
            "what": (
                "A patient with a sore throat expected antibiotics; the FeverPAIN score was low."
            ),
            "so_what": (
                "Explaining the natural course, self-care and when to return helped; a "
                "back-up prescription was not needed. Antimicrobial resistance is a public "
                "health issue built from individual consultations."
            ),
            "now_what": (
                "Use clinical scores and shared decision making; give written self-care "
                "advice; audit my own antibiotic prescribing at the end of the placement."
            ),
        },
        "links": ["GPC2.4", "GPC4"],
        "tags": ["prescribing", "antimicrobial stewardship"],
    },
    {
        "kind": "teaching",
        "title": "Teaching the practice team: recognising sepsis",
        "date": "2026-06-10",
        "placement": "gp",
        "fields": {
            "topic": "Recognising sepsis in primary care and on the telephone",
            "audience": "Practice nurses, healthcare assistants and reception team",
            "format": "small_group",
            "learners": 9,
            "feedback": "Nine forms: all found it relevant; reception staff asked for a "
            "one-page list of red flags, which I produced.",
        },
        "text": (
            "Teaching a mixed audience made me drop jargon. The reception team's questions "
            "showed me where sepsis can be missed before a clinician is involved."
        ),
        "links": ["GPC8", "GPC6.1"],
        "tags": ["teaching", "sepsis"],
    },
    {
        "kind": "assessment",
        "title": "DCT: teaching the practice team about sepsis",
        "date": "2026-06-10",
        "placement": "gp",
        "fields": {
            "form": "DCT",
            "assessor": "Sam Patel",
            "assessor_role": "GP trainer",
            "assessed_on": "2026-06-10",
            "outcome": "Satisfactory",
        },
        "text": (
            "Clear objectives, good interaction and checking of learning. Next: finish with "
            "a summary of the three key actions."
        ),
        "links": ["GPC8"],
        "tags": ["teaching", "SLE"],
        "submit": True,
    },
    {
        "kind": "teamwork",
        "title": "Multidisciplinary meeting for housebound patients living with frailty",
        "date": "2026-06-17",
        "placement": "gp",
        "fields": {
            "setting": "Monthly primary care network frailty meeting",
            "team": "GP, community matron, social worker, pharmacist, care coordinator",
            "your_role": "Presented two patients and took actions",
            "went_well": "Medication reviews and advance care planning agreed in one meeting.",
            "even_better_if": "Actions were shared with out-of-hours services more reliably.",
        },
        "text": (
            "Anticipatory care for frail patients depends on people from different "
            "organisations trusting each other and sharing information."
        ),
        "links": ["GPC5", "GPC3.3", "GPC4"],
        "tags": ["teamwork", "frailty"],
    },
    {
        "kind": "reflection",
        "title": "Managing uncertainty: a feverish child on a telephone consultation",
        "date": "2026-06-24",
        "placement": "gp",
        "fields": {
            "model": "kolb",
            "concrete_experience": (
                "A parent phoned about a child with fever. I could not examine the child and "
                "felt uncertain about the severity."
            ),
            "reflective_observation": (
                "I relied on reassurance from the parent's description; my trainer asked how "
                "I had safety-netted."
            ),
            "abstract_conceptualisation": (
                "The traffic-light system for feverish children is designed for remote "
                "assessment too; if in doubt, see the child."
            ),
            "active_experimentation": (
                "I now bring feverish young children in face to face when unsure, and give "
                "specific safety-netting advice and record it."
            ),
        },
        "links": ["GPC2.3", "GPC2.2", "GPC7"],
        "tags": ["uncertainty", "general practice"],
    },
    {
        "kind": "significant_event",
        "title": "A delayed urgent suspected cancer referral",
        "date": "2026-07-01",
        "placement": "gp",
        "fields": {
            "what_happened": (
                "An urgent suspected cancer referral was not sent for several days because a "
                "task was assigned to a staff member on leave."
            ),
            "why_it_happened": "Tasks to absent staff were not redirected; no safety check.",
            "learned": "Referral processes need a failsafe that does not depend on one "
            "person; I now check my urgent referrals have been sent.",
            "changed": "The practice added a weekly failsafe log reviewed at the clinical "
            "meeting; a significant event analysis was completed.",
            "incident_reported": True,
        },
        "links": ["GPC6.1", "GPC3.3"],
        "tags": ["patient safety", "general practice"],
    },
    {
        "kind": "qi_project",
        "title": "Recording safety-netting advice in telephone consultations",
        "date": "2026-07-06",
        "placement": "gp",
        "fields": {
            "role": "Lead (FY2), with the practice's QI champion",
            "aim": "To increase documented safety-netting in telephone consultations from a "
            "baseline of 45% to 80% by the end of the next FY2 rotation.",
            "measures": "Percentage of 20 random telephone consultations a fortnight with "
            "documented safety-netting advice.",
            "change_ideas": "A text template shortcut; a reminder at the clinical meeting.",
            "measures_detail": "Baseline: 9 of 20 consultations.",
        },
        "text": "Planning only so far; the next FY2 will run the first cycle.",
        "links": ["GPC6.2"],
        "tags": ["QI", "general practice"],
    },
    {
        "kind": "reflection",
        "title": "Receiving a complaint about my consultation",
        "date": "2026-07-08",
        "placement": "gp",
        "private": True,
        "fields": {
            "model": "gibbs",
            "description": "The practice received a complaint that I had seemed rushed and "
            "dismissive in a consultation.",
            "feelings": "Upset and defensive at first.",
            "evaluation": "Re-reading my notes, my clinical plan was sound but I had not "
            "explored the patient's concerns.",
            "analysis": "Running late, I closed the consultation before checking what the "
            "patient hoped for.",
            "conclusion": "A good clinical decision can still be a poor experience.",
            "action_plan": "Ask 'is there anything else?' before closing; apologise in the "
            "practice's response; discuss with my educational supervisor.",
        },
        "links": ["GPC1", "GPC2.2"],
        "tags": ["complaint"],
    },
    {
        "kind": "supervisor_meeting",
        "title": "End-of-year meeting with educational supervisor before ARCP",
        "date": "2026-07-15",
        "placement": "gp",
        "fields": {
            "supervisor": "Priya Shah",
            "supervisor_role": "educational",
            "meeting_type": "other",
            "agreed_actions": "Submit outstanding items for review; complete the ES report "
            "before the ARCP panel.",
        },
        "text": "All nine GPC domains now have evidence; PDP goals largely met.",
        "links": ["GPC3.1"],
        "tags": ["supervision", "ARCP"],
        "submit": True,
    },
    {
        "kind": "supervisor_meeting",
        "title": "End of placement meeting: general practice",
        "date": "2026-07-22",
        "placement": "gp",
        "fields": {
            "supervisor": "Sam Patel",
            "supervisor_role": "clinical",
            "meeting_type": "end_of_placement",
            "agreed_actions": "Hand over the safety-netting QI plan to the next FY2.",
        },
        "text": "Placement objectives met; consultation timing improving.",
        "links": ["GPC1", "GPC2"],
        "tags": ["supervision"],
    },
    {
        "kind": "teaching",
        "title": "Tutorial for medical students: consultation skills in general practice",
        "date": "2026-07-14",
        "placement": "gp",
        "fields": {
            "topic": "Ideas, concerns and expectations; safety-netting",
            "audience": "Fourth-year medical students on their GP attachment",
            "format": "small_group",
            "learners": 3,
            "feedback": "Students valued role play with feedback; asked for more on "
            "telephone consultations.",
        },
        "text": (
            "Teaching safety-netting made me check how well I do it myself, which led to "
            "the safety-netting QI plan."
        ),
        "links": ["GPC8", "GPC2.2"],
        "tags": ["teaching"],
    },
]
