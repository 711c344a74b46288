"""The command line's indented JSON is byte for byte what ``json.dumps`` writes."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from enum import IntEnum, StrEnum

import pytest

from portfolio.cli.json_text import indented_json


class Colour(StrEnum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


TRICKY = [
    [],
    {},
    [[]],
    [{}],
    {"a": []},
    {"a": {}},
    [[[1, [2, []]], {}], {"x": [{"y": None}]}],
    {"nested": {"deeper": {"deepest": [True, False, None]}}},
    "",
    "plain",
    "unicode: é ß 中文 😀 \u2028 \u2029",
    'quotes " and \\ backslash / slash',
    "control \x00 \x01 \x1f \t \n \r \x7f",
    None,
    True,
    False,
    0,
    -1,
    10**30,
    0.1,
    -0.0,
    1e300,
    1.5e-10,
    math.inf,
    -math.inf,
    math.nan,
    (1, (2, 3)),
    {1: "int key", 2.5: "float key", None: "none key"},
    {True: "bool key", False: "other bool key", math.inf: "inf key"},
    {"k": date(2026, 12, 1), "t": datetime(2026, 12, 1, 21, 32, 1, 5)},
    [Colour.RED, Level.HIGH, {Colour.RED: Level.HIGH}],
    {"list of dicts": [{"uuid": "u1", "domains": ["GPC1", "GPC2.1"], "vouched_by": None}] * 3},
    b"bytes",
    {"set": {1}},
]


@pytest.mark.parametrize("value", TRICKY, ids=repr)
def test_writes_what_json_dumps_writes(value: object) -> None:
    assert indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False, default=str)


def test_refuses_the_keys_json_refuses() -> None:
    with pytest.raises(TypeError, match="keys must be str, int, float, bool or None"):
        indented_json({(1, 2): "tuple key"})
    with pytest.raises(TypeError, match="keys must be str, int, float, bool or None"):
        json.dumps({(1, 2): "tuple key"}, indent=2, ensure_ascii=False, default=str)
