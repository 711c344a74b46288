"""A college's curriculum, not built in, as the 1EdTech CASE file the college would publish."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from portfolio.curriculum import curriculum_from_data
from portfolio.formats.case import to_case

COLLEGE_ID = "acem-2025"
COLLEGE_TITLE = "Acute and Emergency Medicine Curriculum"


def college_data(**changes: Any) -> dict[str, Any]:
    """A curriculum file: one group of two capabilities and one capability on its own."""
    data: dict[str, Any] = {
        "format": "gpc-portfolio-curriculum",
        "format_version": 1,
        "id": COLLEGE_ID,
        "title": COLLEGE_TITLE,
        "edition": "2025",
        "publisher": "A College of Emergency Medicine",
        "nodes": [
            {
                "code": "ACEM-G1",
                "title": "Resuscitation",
                "kind": "group",
                "children": [
                    {
                        "code": "ACEM-1",
                        "title": "Leads the resuscitation team",
                        "kind": "capability",
                        "maps_to": ["GPC5", "GPC2.4"],
                    },
                    {
                        "code": "ACEM-2",
                        "title": "Speaks with families after a death",
                        "kind": "capability",
                        "maps_to": ["GPC2.2"],
                    },
                ],
            },
            {
                "code": "ACEM-3",
                "title": "Improves the department's safety",
                "kind": "capability",
                "maps_to": ["GPC6"],
            },
        ],
    }
    data.update(changes)
    return data


def case_file(folder: Path, data: dict[str, Any] | None = None, name: str = "acem.json") -> Path:
    """``data`` (a curriculum file) written as the CASE package a college would publish."""
    curriculum = curriculum_from_data(data or college_data(), "college")
    package = to_case(curriculum, datetime(2025, 6, 1, tzinfo=UTC))
    path = folder / name
    path.write_text(json.dumps(package, indent=2), encoding="utf-8")
    return path
