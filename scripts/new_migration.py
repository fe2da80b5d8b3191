"""Generate an Alembic revision for a change to desktop/station/models.py (autogenerate; read it!).

    .venv/bin/python scripts/new_migration.py "add the foo column"

Builds a throw-away SQLite database at the current head and compares it with the models. The
revision is written to desktop/station/migrations/versions/ with the next number as its id.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    if len(sys.argv) != 2 or not sys.argv[1].strip():
        print(__doc__)
        return 2
    from alembic import command
    from alembic.config import Config

    from desktop.station.db import _MIGRATIONS, Store

    versions = sorted(p.name for p in (_MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    next_id = f"{int(versions[-1][:4]) + 1:04d}" if versions else "0001"
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/head.db")
        cfg = Config()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with store.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.revision(cfg, message=sys.argv[1].strip(), autogenerate=True, rev_id=next_id)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
