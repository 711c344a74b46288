"""Export and import of 10,000 items with 1,000 attachments, next to a baseline in the same run.

The baseline does the unavoidable work on the same bytes: json.dumps + zipping the members
(export), unzipping + json.loads (import). Run: ``python benchmarks/bench_archive.py``.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portfolio.app import open_portfolio
from portfolio.paths import resolve_location
from portfolio.services.archive import ArchiveService
from portfolio.services.dto import EvidenceDraft, Link

ITEMS = 10_000
BLOBS = 1_000


def timed(label: str, work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    elapsed = time.perf_counter() - started
    print(f"  {label:<44} {elapsed:7.2f} s")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        with open_portfolio(resolve_location(root / "source")) as source:
            source.evidence.bulk_create(
                EvidenceDraft(
                    kind="reflection",
                    title=f"Handover audit {n}",
                    occurred_on=date(2024, 1, 1) + timedelta(days=n % 900),
                    fields={"model": "what_so_what_now_what", "what": f"We audited handover {n}."},
                    text="A reflection of a few sentences. " * 8,
                    links=(Link("GPC5"),),
                    tags=("audit",),
                )
                for n in range(ITEMS)
            )
            uuids = [s.uuid for s in source.evidence.list()[:BLOBS]]
            for number, uuid in enumerate(uuids):
                source.evidence.attach_bytes(
                    uuid,
                    f"notes{number}.pdf",
                    b"%PDF-1.4 " + bytes(range(256)) * 8 + str(number).encode(),
                )
            print(f"{ITEMS} items, {BLOBS} attachments")
            archive = root / "bench.gpcportfolio"
            export = timed("export", lambda: ArchiveService(source.database).export(archive))
        with zipfile.ZipFile(archive) as opened:
            content = {i.filename: opened.read(i) for i in opened.infolist()}
        document = json.loads(content["portfolio.json"])

        def zip_baseline() -> None:
            json.dumps(document, sort_keys=True, ensure_ascii=False)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
                for name, data in content.items():
                    out.writestr(name, data)

        def unzip_baseline() -> None:
            with zipfile.ZipFile(archive) as opened:
                data = {i.filename: opened.read(i) for i in opened.infolist()}
            json.loads(data["portfolio.json"])

        export_base = timed("baseline: json.dumps + zip the same members", zip_baseline)
        with open_portfolio(resolve_location(root / "target")) as target:
            service = ArchiveService(target.database, backup_before_import=False)
            imported = timed("import into an empty portfolio", lambda: service.import_(archive))
            again = timed("import again (all unchanged)", lambda: service.import_(archive))
        import_base = timed("baseline: unzip + json.loads the same bytes", unzip_baseline)
        print(
            f"archive {archive.stat().st_size / 2**20:.1f} MiB, portfolio.json "
            f"{len(content['portfolio.json']) / 2**20:.1f} MiB"
        )
        print(
            f"export / baseline: {export / export_base:.1f}x; "
            f"import / baseline: {imported / import_base:.1f}x; "
            f"re-import / baseline: {again / import_base:.1f}x"
        )


if __name__ == "__main__":
    main()
