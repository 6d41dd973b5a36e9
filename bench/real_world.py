"""Both real-world development sets in one run: strangers' doodles, then phone photos.

python bench/real_world.py [--root ../shared/real-dev]

Runs bench/real_doodles.py (each model and preprocessing on the doodles, per category, the "not sure"
tables, bench/real_doodles.png) and bench/real_photos.py (each model and photo path on the photos, per
category, the test set's photo round trip, bench/real_photos.png), tuning and held-out halves apart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import real_doodles, real_photos


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=None, help="the development sets' folder")
    args = parser.parse_args(argv)
    root = ["--root", str(args.root)] if args.root else []
    print("# Strangers' doodles\n")
    status = real_doodles.main(root)
    print("\n# Phone photos\n")
    return status or real_photos.main(root)


if __name__ == "__main__":
    sys.exit(main())
