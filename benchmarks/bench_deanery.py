"""The deanery store: 5,000 generated cohort summaries from 22 Trusts, loaded into PostgreSQL and
reported from there, beside the file-based view over the same folder.

Ours, as whole processes on a throwaway PostgreSQL server (tests/postgres_server.py):
``gpc-portfolio deanery load FOLDER`` into a new store (every file read and checked by the
summary reader, then written in one transaction), and ``gpc-portfolio deanery report --pdf
--csv`` (the figures computed in SQL, laid out as the cohort report). Baseline, in the same run
and in turn: the file-based view, ``gpc-portfolio cohort FOLDER`` (every file read and checked,
the figures computed in Python) with ``--json`` beside the load and with ``--out --csv`` beside
the report. Both CSVs must be equal. Summaries are not signed (docs/formats.md): the load checks
format and limits, as the cohort command does.

    .venv/bin/python benchmarks/bench_deanery.py [--summaries N] [--repeat R]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import Finished, Target, alternate, arguments, program, report_processes, run_child

TRUSTS = tuple(f"Trust {chr(65 + n)} NHS Foundation Trust" for n in range(22))
TIMEOUT = 900.0


def main() -> None:
    args = arguments(__doc__ or "", repeat=3, summaries=(5_000, 30))
    from tests.deanery.generate import summaries, write_summaries
    from tests.postgres_server import PostgresServer

    work = Path(tempfile.mkdtemp(prefix="gpc-bench-deanery-"))
    folder = write_summaries(work / "inbox", summaries(args.summaries, 18, TRUSTS))
    data = work / "mentor"
    gpc = program()
    run_child(
        [gpc, "--data-dir", str(data), "init", "--name", "Dr Bench Mentor", "--gmc", "5000001"]
    )
    server = PostgresServer().start()
    try:
        stores: list[str] = []

        def load() -> Finished:
            url = server.database()
            run_child([gpc, "deanery", "init", "--database", url])
            stores.append(url)
            return run_child([gpc, "deanery", "load", str(folder), "--database", url], TIMEOUT)

        def cohort_json() -> Finished:
            return run_child(
                [gpc, "--data-dir", str(data), "cohort", str(folder), "--json"], TIMEOUT
            )

        ours, base = alternate(load, cohort_json, args.repeat, args.warmup)
        n = f"{args.summaries:,}"
        report_processes(
            f"deanery load, {n} summaries",
            ours,
            base,
            baseline=f"`cohort FOLDER --json`: reads and checks the {n} files, figures in Python",
            target=Target("≤ 3x (loaded once; every report after reads the store)", ratio=3.0),
        )
        url = stores[-1]
        outputs = work / "out"
        outputs.mkdir()

        def deanery_report() -> Finished:
            pdf, csv = outputs / "deanery.pdf", outputs / "deanery.csv"
            command = [gpc, "deanery", "report", "--pdf", str(pdf), "--csv", str(csv)]
            return run_child([*command, "--database", url], TIMEOUT)

        def cohort_report() -> Finished:
            pdf, csv = outputs / "cohort.pdf", outputs / "cohort.csv"
            command = [gpc, "--data-dir", str(data), "cohort", str(folder)]
            return run_child([*command, "--out", str(pdf), "--csv", str(csv)], TIMEOUT)

        ours, base = alternate(deanery_report, cohort_report, args.repeat, args.warmup)
        same = (outputs / "deanery.csv").read_text() == (outputs / "cohort.csv").read_text()
        report_processes(
            f"deanery report, {n} summaries",
            ours,
            base,
            baseline=f"`cohort FOLDER --out --csv`: reads the {n} files again, same PDF layout",
            target=Target("≤ 1x, the same CSV", ratio=1.0, also=same),
        )
        print(f"  the CSVs are {'equal' if same else 'DIFFERENT'}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
