"""atheris fuzz target: bytes -> reading -> cleaning -> metadata -> outline -> notes.

Any exception other than ``ExtractionError`` is a crash, and so is an offset outside the
cleaned text. Run it through ``python -m fuzz.run`` (bounded time, seeds from corpus/), or
directly with libFuzzer flags::

    python fuzz/fuzz_extract.py -max_total_time=60 SEED_DIR

A crashing input is written as ``crash-<sha1>`` (``-artifact_prefix``); store it under
tests/data/fuzz/ so tests/extraction/test_fuzz.py replays it for ever.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

with atheris.instrument_imports(include=["extraction", "fuzz.replay"]):
    from fuzz.replay import run_stages


def test_one_input(data: bytes) -> None:
    run_stages(data)


def main(argv: list[str]) -> None:
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
