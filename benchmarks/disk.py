"""What one case costs on disk: bytes per case for each table and index of a demo database.

    python benchmarks/disk.py --cases 10000        (builds and caches the demo, like dashboard.py)
    python benchmarks/disk.py --db FILE

Also prints how much of the stored classifications is long text (≥ 40 bytes) drawn from a small set of
distinct sentences: the share a phrase table (text stored once, referenced per row) would save.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from dashboard import build


def long_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if len(value.encode()) >= 40 else []
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for item in value for s in long_strings(item)]
    return []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    db = args.db or build(args.cases, args.seed)
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    cases = connection.execute('SELECT count(*) FROM "case"').fetchone()[0]
    total = db.stat().st_size
    sizes = connection.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
    documents = [
        row[0] for row in connection.execute("SELECT classification FROM episode WHERE classification IS NOT NULL")
    ]
    stored = sum(len(doc.encode()) for doc in documents)
    texts = [s for doc in documents for s in long_strings(json.loads(doc))]
    result = {
        "cases": cases,
        "file_mb": round(total / 1e6, 1),
        "bytes_per_case": round(total / cases),
        "per_case": {name: round(size / cases) for name, size in sizes if size / cases >= 10},
        "classification_bytes_per_episode": round(stored / max(len(documents), 1)),
        "long_text_bytes_per_episode": round(sum(len(s.encode()) for s in texts) / max(len(documents), 1)),
        "distinct_long_texts": len(set(texts)),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
