"""The app as gunicorn serves it in bench/load_test.py, plus the anchor: a bare Flask endpoint
(``/bench-anker``) in the same app and the same gunicorn, to compare throughput with."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.app import create_app  # noqa: E402

app = create_app()


@app.route("/bench-anker")
def anchor():
    return "ok"
