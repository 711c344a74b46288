"""Evidence kind templates, the field validator and command-line field values."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.curriculum import gpc
from portfolio.errors import InvalidInput
from portfolio.kinds import (
    KINDS,
    FieldSpec,
    KindTemplate,
    kind_templates,
    load_kind_template,
    parse_field_value,
    searchable_text,
    template,
    validate_fields,
)
from portfolio.resource_files import resource

# --- the template files -----------------------------------------------------------------------


def test_every_kind_file_loads_in_contract_order() -> None:
    templates = kind_templates()
    assert (
        tuple(templates)
        == KINDS
        == (
            "reflection",
            "qi_project",
            "significant_event",
            "leadership_role",
            "teamwork",
            "teaching",
            "course",
            "supervisor_meeting",
            "pdp_item",
            "assessment",
        )
    )
    assert kind_templates() is templates
    gpc_codes = set(gpc().codes())
    for kind, spec in templates.items():
        assert isinstance(spec, KindTemplate)
        assert spec.kind == kind
        assert spec.title and spec.description
        assert set(spec.suggested_domains) <= gpc_codes
        assert spec.fields
        assert load_kind_template(resource("kinds", f"{kind}.json")) == spec


def test_no_extra_kind_files() -> None:
    names = sorted(entry.name for entry in resource("kinds").iterdir())
    assert names == sorted(f"{kind}.json" for kind in KINDS)


def test_unknown_kind() -> None:
    with pytest.raises(InvalidInput) as caught:
        template("blog_post")
    assert str(caught.value) == (
        "Unknown kind 'blog_post'; choose one of: reflection, qi_project, significant_event, "
        "leadership_role, teamwork, teaching, course, supervisor_meeting, pdp_item, assessment."
    )


def labels_when(spec: KindTemplate, key: str, value: str) -> list[str]:
    return [f.label for f in spec.fields if f.when == ((key, value),)]


def test_reflection_models_and_sections() -> None:
    spec = template("reflection")
    model = spec.field("model")
    assert model.type == "choice"
    assert model.required
    assert model.default == "what_so_what_now_what"
    assert model.choices == (
        ("what_so_what_now_what", "What? So what? Now what?"),
        ("gibbs", "Gibbs"),
        ("kolb", "Kolb"),
    )
    assert labels_when(spec, "model", "what_so_what_now_what") == [
        "What?",
        "So what?",
        "Now what?",
    ]
    assert labels_when(spec, "model", "gibbs") == [
        "Description",
        "Feelings",
        "Evaluation",
        "Analysis",
        "Conclusion",
        "Action plan",
    ]
    assert labels_when(spec, "model", "kolb") == [
        "Concrete experience",
        "Reflective observation",
        "Abstract conceptualisation",
        "Active experimentation",
    ]
    assert spec.text_label == "Reflection"


def test_qi_project_has_the_model_for_improvement_questions_verbatim() -> None:
    spec = template("qi_project")
    assert spec.field("aim").label == "What are we trying to accomplish?"
    assert spec.field("measures").label == "How will we know that a change is an improvement?"
    assert (
        spec.field("change_ideas").label
        == "What change can we make that will result in improvement?"
    )
    cycles = spec.field("pdsa_cycles")
    assert cycles.type == "repeat"
    assert [f.key for f in cycles.fields] == [
        "started_on",
        "ended_on",
        "plan",
        "do",
        "study",
        "act",
    ]
    assert [f.label for f in cycles.fields][2:] == ["Plan", "Do", "Study", "Act"]
    for key in ("measures_detail", "outcome", "team", "spread", "role"):
        spec.field(key)


def test_qi_project_accepts_three_pdsa_cycles() -> None:
    cycles = [
        {"started_on": f"2024-0{n}-01", "plan": f"P{n}", "do": f"D{n}", "study": "S", "act": "A"}
        for n in (1, 2, 3)
    ]
    result = validate_fields(
        "qi_project", {"aim": "Fewer missed VTE assessments", "pdsa_cycles": cycles}
    )
    assert result["pdsa_cycles"] == cycles
    assert list(result) == ["aim", "pdsa_cycles"]


def test_significant_event_questions_and_incident_report_reminder() -> None:
    spec = template("significant_event")
    assert [f.label for f in spec.fields if f.type == "longtext"] == [
        "What happened?",
        "Why did it happen?",
        "What has been learned?",
        "What has been changed?",
    ]
    reported = spec.field("incident_reported")
    assert reported.type == "bool"
    assert reported.help.startswith("Reflection never replaces the Trust's incident report")


def test_leadership_role_frameworks() -> None:
    spec = template("leadership_role")
    assert [label for _, label in spec.field("framework").choices] == [
        "None",
        "NHS Healthcare Leadership Model",
        "Medical Leadership Competency Framework",
    ]
    assert len(spec.field("hlm_dimensions").choices) == 9
    assert [label for _, label in spec.field("mlcf_domains").choices] == [
        "Demonstrating personal qualities",
        "Working with others",
        "Managing services",
        "Improving services",
        "Setting direction",
    ]
    result = validate_fields(
        "leadership_role",
        {"framework": "nhs_healthcare_leadership_model", "hlm_dimensions": ["leading_with_care"]},
    )
    assert result["hlm_dimensions"] == ["leading_with_care"]
    assert validate_fields("leadership_role", {})["framework"] == "none"


def test_assessment_forms_exact_and_required() -> None:
    spec = template("assessment")
    form = spec.field("form")
    assert form.required
    assert [value for value, _ in form.choices] == [
        "mini-CEX",
        "CBD",
        "DOPS",
        "ACAT",
        "DCT",
        "TAB",
        "MSF",
        "QIPAT",
        "LEADER",
        "other",
    ]
    assert [f.key for f in spec.fields] == [
        "form",
        "form_name",
        "assessor",
        "assessor_role",
        "assessed_on",
        "outcome",
    ]
    assert spec.text_label


def test_other_kinds_have_their_fields() -> None:
    expected = {
        "teaching": {"audience", "topic", "format", "feedback"},
        "course": {"provider", "certificate", "hours"},
        "supervisor_meeting": {"supervisor", "meeting_type", "agreed_actions"},
        "pdp_item": {"goal", "actions", "target_date", "success_criteria", "achieved"},
        "leadership_role": {
            "role",
            "organisation",
            "started_on",
            "ended_on",
            "responsibilities",
            "what_changed",
        },
    }
    for kind, keys in expected.items():
        assert keys <= {f.key for f in template(kind).fields}, kind
    assert [label for _, label in template("supervisor_meeting").field("meeting_type").choices] == [
        "Initial",
        "Midpoint",
        "End of placement",
        "Other",
    ]
    assert template("pdp_item").field("goal").label == "SMART goal"
    assert template("pdp_item").text_label is None


# --- validate_fields --------------------------------------------------------------------------


def test_normalisation_fills_choice_defaults_and_drops_empty_values() -> None:
    result = validate_fields(
        "reflection", {"so_what": "Learned to escalate", "what": "   ", "now_what": ""}
    )
    assert result == {"model": "what_so_what_now_what", "so_what": "Learned to escalate"}
    result = validate_fields("pdp_item", {"target_date": dt.date(2025, 3, 1), "achieved": False})
    assert result == {"target_date": "2025-03-01", "achieved": False}
    result = validate_fields("qi_project", {"pdsa_cycles": [{}, {"plan": " "}, {"act": "A"}]})
    assert result == {"pdsa_cycles": [{"act": "A"}]}


ERROR_CASES = [
    pytest.param(
        "reflection", {"mood": "x"}, r"Reflection: there is no field 'mood'", id="unknown"
    ),
    pytest.param("reflection", {"what": 42}, r"'What\?' must be text", id="wrong-type"),
    pytest.param("pdp_item", {"achieved": "yes"}, r"'Achieved' must be yes or no", id="bool-type"),
    pytest.param("course", {"hours": 2.5}, r"'Hours' must be a whole number", id="integer-type"),
    pytest.param("course", {"hours": -1}, r"'Hours' must be between 0 and 1,000", id="range"),
    pytest.param(
        "reflection",
        {"what": "x" * 50_001},
        r"'What\?' is too long \(50,001 characters; the limit is 50,000\)",
        id="longtext-too-long",
    ),
    pytest.param("course", {"provider": "x" * 501}, r"'Provider' is too long", id="text-too-long"),
    pytest.param(
        "course", {"provider": "two\nlines"}, r"'Provider' must be a single line", id="one-line"
    ),
    pytest.param(
        "pdp_item",
        {"target_date": "01/03/2025"},
        r"'Target date' must be a date written YYYY-MM-DD",
        id="bad-date-format",
    ),
    pytest.param(
        "pdp_item",
        {"target_date": "2025-02-29"},
        r"'Target date' holds 2025-02-29, which is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        "reflection", {"model": "schon"}, r"'Reflection model' must be one of", id="bad-choice"
    ),
    pytest.param("assessment", {"assessor": "Dr A"}, r"'Form' is required", id="required"),
    pytest.param("assessment", {"form": "   "}, r"'Form' is required", id="required-blank"),
    pytest.param(
        "reflection",
        {"model": "gibbs", "what": "x"},
        r"'What\?' only applies when 'Reflection model' is 'What\? So what\? Now what\?'",
        id="hidden-by-when",
    ),
    pytest.param(
        "reflection",
        {"feelings": "x"},
        r"'Feelings' only applies when 'Reflection model' is 'Gibbs'",
        id="hidden-by-default",
    ),
    pytest.param(
        "qi_project",
        {"pdsa_cycles": {"plan": "x"}},
        r"'PDSA cycles' must be a list of entries",
        id="repeat-not-list",
    ),
    pytest.param(
        "qi_project",
        {"pdsa_cycles": ["plan"]},
        r"'PDSA cycles' has an entry that is not a set of fields \(entry 1\)",
        id="repeat-entry-not-object",
    ),
    pytest.param(
        "qi_project",
        {"pdsa_cycles": [{"plan": "a"}, {"plan": "b", "colour": "red"}]},
        r"'PDSA cycles' entry 2: there is no field 'colour'",
        id="repeat-entry-unknown-key",
    ),
    pytest.param(
        "qi_project",
        {"pdsa_cycles": [{"started_on": "soon"}]},
        r"'PDSA cycles' entry 1: the field 'Started on' must be a date",
        id="repeat-entry-bad-date",
    ),
    pytest.param(
        "qi_project",
        {"pdsa_cycles": [{"plan": "p"}] * 51},
        r"'PDSA cycles' has 51 entries; at most 50 are allowed",
        id="repeat-too-many",
    ),
    pytest.param(
        "leadership_role",
        {"framework": "medical_leadership_competency_framework", "mlcf_domains": ["flying"]},
        r"'Medical Leadership Competency Framework domains' may only hold",
        id="list-choice",
    ),
    pytest.param(
        "leadership_role",
        {"framework": "nhs_healthcare_leadership_model", "hlm_dimensions": "leading_with_care"},
        r"'Healthcare Leadership Model dimensions' must be a list",
        id="list-type",
    ),
    pytest.param(
        "reflection", {"what": "bad \ud800 surrogate"}, r"cannot be stored", id="surrogate"
    ),
]


@pytest.mark.parametrize(("kind", "fields", "message"), ERROR_CASES)
def test_validation_errors_name_the_field(kind: str, fields: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        validate_fields(kind, fields)
    assert str(caught.value).startswith(template(kind).title)
    assert str(caught.value).endswith(".")


def test_validate_fields_does_not_change_its_input() -> None:
    given = {"pdsa_cycles": [{"plan": "p", "do": ""}], "aim": ""}
    snapshot = json.loads(json.dumps(given))
    validate_fields("qi_project", given)
    assert given == snapshot


# --- parse_field_value ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "key", "raw", "expected"),
    [
        ("pdp_item", "achieved", "yes", True),
        ("pdp_item", "achieved", "No", False),
        ("pdp_item", "achieved", "TRUE", True),
        ("pdp_item", "achieved", "false", False),
        ("course", "hours", " 12 ", 12),
        ("pdp_item", "target_date", "2025-03-01", "2025-03-01"),
        ("course", "provider", "Royal College", "Royal College"),
        ("assessment", "form", "cbd", "CBD"),
        ("assessment", "form", "Mini-cex", "mini-CEX"),
        ("reflection", "model", "Gibbs", "gibbs"),
        (
            "leadership_role",
            "hlm_dimensions",
            "Leading with care, evaluating_information,",
            ["leading_with_care", "evaluating_information"],
        ),
        (
            "leadership_role",
            "mlcf_domains",
            '["Setting direction", "working_with_others"]',
            ["setting_direction", "working_with_others"],
        ),
        (
            "qi_project",
            "pdsa_cycles",
            '[{"plan": "P", "started_on": "2024-01-02"}, {"act": "A"}]',
            [{"started_on": "2024-01-02", "plan": "P"}, {"act": "A"}],
        ),
    ],
)
def test_parse_field_value(kind: str, key: str, raw: str, expected: object) -> None:
    assert parse_field_value(kind, key, raw) == expected


@pytest.mark.parametrize(
    ("kind", "key", "raw", "message"),
    [
        ("pdp_item", "achieved", "maybe", r"must be yes, no, true or false"),
        ("course", "hours", "twelve", r"'Hours' must be a whole number"),
        ("course", "hours", "1.5", r"'Hours' must be a whole number"),
        ("pdp_item", "target_date", "1 March 2025", r"must be a date written YYYY-MM-DD"),
        ("pdp_item", "target_date", "2025-13-01", r"not a real date"),
        ("assessment", "form", "OSCE", r"'Form' must be one of"),
        ("qi_project", "pdsa_cycles", "plan=x", r"'PDSA cycles' must be a JSON array"),
        ("qi_project", "pdsa_cycles", '{"plan": "x"}', r"must be a JSON array"),
        ("qi_project", "pdsa_cycles", '[{"plan": 3}]', r"'Plan' must be text"),
        ("leadership_role", "hlm_dimensions", "[1, 2]", r"must hold only text"),
        ("course", "colour", "red", r"The kind 'course' has no field 'colour'"),
        ("nope", "x", "y", r"Unknown kind 'nope'"),
    ],
)
def test_parse_field_value_rejects_bad_input(kind: str, key: str, raw: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_field_value(kind, key, raw)


# --- searchable_text --------------------------------------------------------------------------


def test_searchable_text_flattens_text_values() -> None:
    fields = validate_fields(
        "qi_project",
        {
            "aim": "Reduce missed doses",
            "pdsa_cycles": [{"plan": "Audit charts", "started_on": "2024-01-01"}],
            "team": "Pharmacist",
        },
    )
    text = searchable_text("qi_project", fields)
    assert text.splitlines() == ["Reduce missed doses", "Audit charts", "Pharmacist"]
    assert "Gibbs" in searchable_text("reflection", {"model": "gibbs", "feelings": "Anxious"})
    assert searchable_text("course", {"hours": 3, "certificate": True}) == ""


# --- broken template files --------------------------------------------------------------------


def minimal_template() -> dict[str, Any]:
    return {
        "format": "gpc-portfolio-kind",
        "format_version": 1,
        "kind": "audit",
        "title": "Audit",
        "description": "A clinical audit.",
        "text_label": None,
        "suggested_domains": ["GPC6.2"],
        "fields": [
            {"key": "standard", "label": "Standard", "type": "text"},
            {
                "key": "loop",
                "label": "Loop",
                "type": "choice",
                "choices": [
                    {"value": "open", "label": "Open"},
                    {"value": "closed", "label": "Closed"},
                ],
            },
        ],
    }


def test_minimal_template_loads(tmp_path: Path) -> None:
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(minimal_template()), encoding="utf-8")
    loaded = load_kind_template(path)
    assert loaded.suggested_domains == ("GPC6.2",)
    assert loaded.fields[0] == FieldSpec(
        key="standard", label="Standard", type="text", max_length=500
    )


def _field(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data["fields"][0].update(changes)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format_version=3), r"has format_version 3"),
        (lambda d: d.update(kind="other"), r"declares the kind 'other'; it must be 'audit'"),
        (lambda d: d.update(suggested_domains=["GPC10"]), r"unknown domain code 'GPC10'"),
        (lambda d: _field(d, type="essay"), r"at fields\[0\]\.type"),
        (lambda d: _field(d, key="loop"), r"uses the field key 'loop' more than once"),
        (lambda d: _field(d, default="x"), r"a default, which only choice fields may have"),
        (lambda d: _field(d, max_length=600), r"a max_length outside 1 to 500"),
        (
            lambda d: d["fields"].append(
                {"key": "x", "label": "X", "type": "text", "when": {"loop": "half"}}
            ),
            r"depend on 'loop' being 'half'",
        ),
        (
            lambda d: d["fields"].append(
                {"key": "x", "label": "X", "type": "text", "when": {"standard": "a"}}
            ),
            r"neither a choice nor a yes/no field",
        ),
        (
            lambda d: d["fields"].append({"key": "r", "label": "R", "type": "repeat"}),
            r"gives the repeat field 'r' no fields",
        ),
        (lambda d: _field(d, help=7), r"at fields\[0\]\.help: input should be a valid string"),
    ],
)
def test_broken_templates(tmp_path: Path, change: Any, message: str) -> None:
    data = minimal_template()
    change(data)
    path = tmp_path / "audit.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=message) as caught:
        load_kind_template(path)
    assert str(caught.value).startswith("The kind template file 'audit.json' ")


# --- property: validate_fields is idempotent --------------------------------------------------

_TEXT = st.text(max_size=30)


def _value_for(spec: FieldSpec) -> st.SearchStrategy[object]:
    if spec.type == "text":
        return st.text(alphabet=st.characters(exclude_characters="\r\n"), max_size=30)
    if spec.type == "longtext":
        return _TEXT
    if spec.type == "date":
        return st.dates().map(dt.date.isoformat) | st.dates()
    if spec.type == "choice":
        return st.sampled_from([value for value, _ in spec.choices] + [""])
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "integer":
        low = spec.minimum if spec.minimum is not None else -1000
        high = spec.maximum if spec.maximum is not None else 1000
        return st.integers(low, high)
    if spec.type == "list":
        item = (
            st.sampled_from([value for value, _ in spec.choices])
            if spec.choices
            else st.text(alphabet=st.characters(exclude_characters="\r\n"), max_size=10)
        )
        return st.lists(item | st.just("  "), max_size=4)
    assert spec.type == "repeat"
    return st.lists(_fields_for(spec.fields), max_size=3)


def _fields_for(specs: tuple[FieldSpec, ...]) -> st.SearchStrategy[dict[str, object]]:
    optional = {spec.key: st.none() | _value_for(spec) for spec in specs}
    return st.fixed_dictionaries({}, optional=optional).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


@st.composite
def kind_and_fields(draw: st.DrawFn) -> tuple[str, dict[str, object]]:
    kind = draw(st.sampled_from(KINDS))
    return kind, draw(_fields_for(template(kind).fields))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind_and_fields())
def test_validate_fields_is_idempotent(case: tuple[str, dict[str, object]]) -> None:
    kind, fields = case
    try:
        once = validate_fields(kind, fields)
    except InvalidInput:
        return
    assert validate_fields(kind, once) == once
    assert json.loads(json.dumps(once)) == once


def test_an_error_in_a_repeat_entry_names_the_entry_and_its_field() -> None:
    """Entries count from 0 in ``field`` (the editor's list), from 1 in the words."""
    cycles = [{"plan": "Audit"}, {"study": "x" * 60_000}]
    with pytest.raises(InvalidInput) as caught:
        validate_fields("qi_project", {"pdsa_cycles": cycles})
    assert caught.value.field == "fields.pdsa_cycles.1.study"
    assert "entry 2" in str(caught.value)
    with pytest.raises(InvalidInput) as caught:
        validate_fields("qi_project", {"pdsa_cycles": [{"plan": "a"}, {"nope": "b"}]})
    assert caught.value.field == "fields.pdsa_cycles.1"
    with pytest.raises(InvalidInput) as caught:
        parse_field_value("assessment", "form", "no such form")
    assert caught.value.field == "fields.form"
