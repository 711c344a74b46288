"""The copy attack from the real command line: trainee B imports a crafted archive carrying
trainee A's item and its sign-off under B's profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.dto import ProfileData
from tests.cli.test_cli_review import ok
from tests.cli.test_cli_trust import fails
from tests.services.archive_helpers import archive_service, reflection, rewritten, supervisor


def test_import_refuses_another_trainees_signoff_in_a_crafted_archive(tmp_path: Path) -> None:
    shah = supervisor("Dr Priya Shah", "7654321")
    with open_portfolio(resolve_location(tmp_path / "alex")) as alex:
        alex.profile.save(ProfileData(name="Alex Morgan", gmc_number="7000001"))
        item = alex.evidence.create(reflection("Alex's handover audit", codes=("GPC5",)))
        alex.evidence.submit([item.uuid])
        alex.signoffs.sign_in_meeting(shah, item.uuid, "signed_off", "Excellent.")
        shared = archive_service(alex).export(tmp_path / "alex.gpcportfolio").path

    def as_bea(document: dict[str, Any]) -> None:
        document["profile"] = {**document["profile"], "name": "Bea Jones", "gmc_number": "7000002"}

    crafted = rewritten(shared, tmp_path / "bea.gpcportfolio", as_bea)
    bea = tmp_path / "bea"
    ok(bea, "init", "--name", "Bea Jones", "--gmc", "7000002")
    card = tmp_path / "shah.json"
    card.write_text(json.dumps(shah.identity.to_card()))
    ok(bea, "identity", "pin", str(card), "--how", "meeting")

    said = fails(bea, "import", str(crafted))
    assert "sign-off 1 (item " + item.uuid + "): signed for another trainee (GMC 7000001)" in said
    assert "nothing was imported" in said
    assert json.loads(ok(bea, "list", "--json")) == []
    assert json.loads(ok(bea, "verify", "--json")) == []
