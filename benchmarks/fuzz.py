"""The long fuzz profile: thousands of mangled notice files, each checked and built (issue 13).

    python benchmarks/fuzz.py                 # 2,000 cases per input kind, check and build
    python benchmarks/fuzz.py --examples 300  # fewer
    python benchmarks/fuzz.py --seed 7        # another random walk (the CI profile is fixed)

It runs tests/test_fuzz.py with NOTICEBOARD_FUZZ=long: the same properties as CI (no internal
error, a located message, exit 0/1/2), with far more cases, random rather than fixed, and with
``build --draft`` and ``build`` after ``check``. A failure prints the smallest input hypothesis found.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="cases per input kind")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed")
    args = parser.parse_args()
    os.environ["NOTICEBOARD_FUZZ"] = "long"
    os.environ["NOTICEBOARD_FUZZ_EXAMPLES"] = str(args.examples)
    sys.path.insert(0, str(ROOT))
    import pytest

    extra = [f"--hypothesis-seed={args.seed}"] if args.seed is not None else []
    return pytest.main([str(ROOT / "tests" / "test_fuzz.py"), "-q", "-p", "no:cacheprovider", *extra])


if __name__ == "__main__":
    sys.exit(main())
