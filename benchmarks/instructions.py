"""Count the instructions of gigpolicy's hot paths under valgrind: a figure a busy machine does not move.

    python benchmarks/instructions.py                  # every count (a few minutes: valgrind is slow)
    python benchmarks/instructions.py --write          # also write their section of the benchmarks page
    python benchmarks/instructions.py evaluate loads   # the counts whose names hold these words
    PYTHONPATH=../other/src python benchmarks/instructions.py   # another tree's code, to compare

It needs valgrind (Debian's package).

On a shared machine the time of the same call moves by 5-10% from one minute to the next, and by
more between sessions, so a change worth a few percent hides in the noise of ``run.py``. The
instructions ``valgrind --tool=callgrind`` counts move by less than half a percent from run to
run for the same code and input (where the system places the process in memory moves a little):
two trees compared count by count show what a change does to the work. They are not time (a
miss in the processor's caches costs no instruction): ``run.py`` still says how fast.

Each count runs its work a number of times, and not at all, each in a Python process of its own
under callgrind; the difference of the two totals, over the number, is the count per call. The
varied lines are those ``run.py`` times (``records.py``), made once here (natively) and read by
each process.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

HERE: Final = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from page import PAGE, ROOT, interpreter, write_section  # type: ignore[import-not-found]  # noqa: E402 - beside this file

_SETUP: Final = f"""
import json, sys
sys.path.insert(0, {str(HERE)!r})
from decimal import localcontext
import gigpolicy
from gigpolicy._batch import CHUNK, _STEPS, _block, _job, _read, fewer_collections
from gigpolicy._context import DECIMAL
from gigpolicy._evaluate import decided_together
from records import AT, fixed_price, four_events
small, big = four_events(), fixed_price(61)
record = gigpolicy.loads(small)
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
job = _job(AT, None, None, 1, printable=True)
"""

BLOCKS: Final = 4
"""How many blocks of lines not seen before the batch worker's count runs (one more warms up)."""
VARIED_LINES: Final = 1_280
"""The varied lines: five blocks of ``CHUNK`` (256) lines."""

COUNTS: Final[dict[str, tuple[str, str, int]]] = {
    # name: (setup, the work of one call, how many calls)
    "json.loads, 4-event record": ("", "json.loads(small)", 2_000),
    "gigpolicy.loads, 4-event record": ("", "gigpolicy.loads(small)", 2_000),
    "json.loads, 61-event record": ("", "json.loads(big)", 300),
    "gigpolicy.loads, 61-event record": ("", "gigpolicy.loads(big)", 300),
    "evaluate, 4-event record": ("", "gigpolicy.evaluate(record, at=AT)", 1_000),
    "batch worker, per varied line (a block of CHUNK lines)": (
        "with fewer_collections(): _block(job, 1, lines[-CHUNK:])  # the last block warms up\n",
        "with fewer_collections(): _block(job, 1, lines[turn * CHUNK : (turn + 1) * CHUNK])",
        BLOCKS,  # blocks of lines not seen before: divided by CHUNK below
    ),
    "decided, per varied line": (
        (
            "with localcontext(DECIMAL):\n"
            "    replayed = []\n"
            "    for number, line in enumerate(lines):\n"
            "        read, checked = _read(number, line)\n"
            "        replayed.append((read, _STEPS[0](job, read, checked, {})))\n"
        ),
        (
            "with localcontext(DECIMAL):\n"
            "    for start in range(0, len(replayed), CHUNK):\n"
            "        decided_together(replayed[start : start + CHUNK], AT, wanted=job.wanted)"
        ),
        1,
    ),
}
"""Each count: its own setup (after the common one), one call's work, and how many calls to count."""

_PER_LINE: Final = {
    "batch worker, per varied line (a block of CHUNK lines)": "CHUNK",
    "decided, per varied line": "lines",
}
"""The counts of a call over many lines, and what to divide them by."""

_TOTAL: Final = re.compile(r"Collected : (\d+)")


def _child_script(name: str, calls: int) -> str:
    setup, work, _ = COUNTS[name]
    body = "\n".join("    " + line for line in work.splitlines())
    return f"{_SETUP}{setup}\nfor turn in range({calls}):\n{body}\n"


def instructions(valgrind: str, name: str, calls: int, lines: Path) -> int:
    """All the instructions of a process that runs the count *name*'s work *calls* times."""
    command = [
        valgrind,
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        "-c",
        _child_script(name, calls),
        "-",
        str(lines),
    ]
    # the same hashes in every run: no count moves with the order a set or a dict of strings takes
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment)
    found = _TOTAL.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"{name}: valgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    """Count, and print a table of the counts per call."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("words", nargs="*", help="count only the measurements whose names hold one of these")
    parser.add_argument("--write", action="store_true", help="write the section of docs/reference/benchmarks.md")
    args = parser.parse_args()
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    names = [name for name in COUNTS if not args.words or any(word in name for word in args.words)]
    if not names:
        raise SystemExit(f"no count's name holds {', '.join(args.words)}: the counts are {', '.join(COUNTS)}")
    import gigpolicy  # noqa: PLC0415 - the tree named by PYTHONPATH, once it is known
    from gigpolicy._batch import CHUNK  # noqa: PLC0415
    from records import judged_at, varied_records  # type: ignore[import-not-found]  # noqa: PLC0415 - beside this file

    print(f"counting gigpolicy {gigpolicy.__version__} from {Path(gigpolicy.__file__).parent}")

    with tempfile.TemporaryDirectory() as folder:
        lines = Path(folder) / "lines.jsonl"
        varied = judged_at(varied_records(VARIED_LINES + VARIED_LINES // 10))[:VARIED_LINES]
        assert len(varied) == VARIED_LINES, len(varied)
        lines.write_text("".join(text + "\n" for text, _ in varied), encoding="utf-8")
        runs = [(name, calls) for name in names for calls in (0, COUNTS[name][2])]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            totals = list(pool.map(lambda run: instructions(valgrind, run[0], run[1], lines), runs))
    by_run = dict(zip(runs, totals, strict=True))
    divisors = {"CHUNK": CHUNK, "lines": len(varied)}
    rows: dict[str, float] = {}
    for name in names:
        calls = COUNTS[name][2]
        each = (by_run[name, calls] - by_run[name, 0]) / calls
        rows[name] = each / divisors.get(_PER_LINE.get(name, ""), 1)
    table = ["| count | instructions per call |", "| --- | ---: |"]
    table += [f"| {name} | {each:,.0f} |" for name, each in rows.items()]
    for size in ("4", "61"):
        mine, theirs = rows.get(f"gigpolicy.loads, {size}-event record"), rows.get(f"json.loads, {size}-event record")
        if mine is not None and theirs is not None:
            table.append(f"| gigpolicy.loads over json.loads, {size}-event record | {mine / theirs:.2f}x |")
    print("\n".join(table))
    if args.write:
        write_section(HEADING, _section(valgrind, table, len(varied)))
        print(f"wrote the section {HEADING[3:]!r} of {PAGE.relative_to(ROOT)}")


HEADING: Final = "## Instructions, counted under valgrind"


def _section(valgrind: str, table: list[str], lines: int) -> str:
    import gigpolicy  # noqa: PLC0415 - the tree named by PYTHONPATH, imported by then

    version = subprocess.run([valgrind, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return (
        "\n\n".join(
            [
                HEADING,
                "Written by `python benchmarks/instructions.py --write`; do not edit by hand.",
                (
                    f"Machine: {interpreter()}, {platform.machine()}; {version};"
                    f" gigpolicy {gigpolicy.__version__}; counted {datetime.now(UTC):%Y-%m-%d}."
                ),
                (
                    "What the code asks of the processor, within half a percent from run to run (not time: a miss"
                    " in the processor's caches costs no instruction). Each count runs its work a number of times, and"
                    " not at all, each in a Python process of its own under `valgrind --tool=callgrind` with"
                    " `PYTHONHASHSEED=0`; the difference of the two totals, over the number, is the count per"
                    f" call. The batch worker's count is over blocks of lines not seen before, and the decide"
                    f" step's over {lines:,} varied lines, as `run.py` judges them (`benchmarks/records.py`)."
                    " Compare two trees with `PYTHONPATH=OTHER/src python benchmarks/instructions.py`."
                ),
                "\n".join(table),
            ]
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
