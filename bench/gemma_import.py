"""Time and memory of reading and importing the real GEMMA release into a fresh SQLite database.

    .venv/bin/python bench/gemma_import.py

Prints the time to parse the file, to import it (parse + diff + write), the peak Python
memory of each (tracemalloc), and the time of a second import of the same file (no changes).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("INSTANCE_DIR", tempfile.mkdtemp(prefix="scg-bench-"))
os.environ.setdefault("SECRET_KEY", "bench")

from core.app import create_app  # noqa: E402
from core.builtin.gemma import RELEASE_PATH, import_file  # noqa: E402
from core.gemma.ameff import read_release  # noqa: E402


def measure(label: str, func, peak_func=None):
    """Time ``func`` without tracing (tracemalloc slows Python down); then ``peak_func`` traced."""
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    (peak_func or func)()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<40} {elapsed:7.2f} s   peak {peak / 1024 / 1024:6.1f} MB (tracemalloc)")
    return result


def main() -> None:
    size = RELEASE_PATH.stat().st_size / 1024 / 1024
    print(f"GEMMA release: {RELEASE_PATH.name}, {size:.1f} MB")
    release = measure("parse (read_release)", lambda: read_release(RELEASE_PATH))
    print(f"  {len(release.referentiecomponenten)} referentiecomponenten, {len(release.standaarden)} standaarden, "
          f"{len(release.standaardversies)} standaardversies, {len(release.verplichtingen)} verplichtingen")
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db", "SECRET_KEY": "bench"})
        with app.app_context():
            # The traced run of the first import needs an empty database again: a second app and file.
            other = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/traced.db", "SECRET_KEY": "bench"})

            def traced_first_import():
                with other.app_context():
                    import_file(RELEASE_PATH)

            measure("first import (parse + diff + write)", lambda: import_file(RELEASE_PATH), traced_first_import)
            report = measure("second import (no changes)", lambda: import_file(RELEASE_PATH))
            print(f"  second import has changes: {report.has_changes}")


if __name__ == "__main__":
    main()
