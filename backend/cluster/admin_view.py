"""The admin page's "Shards" section: where each shard is served from, its files, its state."""

from __future__ import annotations

from html import escape


def _size(n: int | None) -> str:
    if not n:
        return "0"
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


def html(rows: list[dict]) -> str:
    e = escape
    body = []
    for r in rows:
        state = r.get("state", "?")
        shown = state if state == "serving" else f"<b>{e(state)}</b>: {e(str(r.get('reason') or ''))}"
        body.append(
            "<tr>"
            + "".join(
                f"<td>{cell}</td>"
                for cell in (
                    e(r["gallery"].upper()),
                    str(r["shard"]),
                    shown,
                    e(f"{r['node_id'][:12]} ({r.get('node_address') or '?'})")
                    + ("" if r.get("node_alive") else " <b>node gone</b>"),
                    e(str(r.get("host", ""))),
                    e(str(r.get("folder", ""))),
                    str(r.get("subjects", "")),
                    str(r.get("templates", "")),
                    _size(r.get("disk_bytes")),
                    _size(r.get("resident_bytes")),
                    str(r.get("pid", "")),
                    ("restarted by Ray" if r.get("restarted") else "")
                    + (f"; started anew {r['revived']}×" if r.get("revived") else ""),
                    e(str(r.get("last_error") or "")),
                )
            )
            + "</tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "gallery",
            "shard",
            "state",
            "node",
            "host",
            "files",
            "subjects",
            "templates",
            "on disk",
            "resident",
            "actor pid",
            "restarts",
            "last failure",
        )  # fmt: skip
    )
    serving = sum(1 for r in rows if r.get("state") == "serving")
    return (
        f"<h2>Shards (Ray cluster)</h2><p>{serving} of {len(rows)} shards serving. "
        "Each shard is a saved gallery with its index in the folder named, on the node named; a search "
        "waits for every shard (a submission is answered only from the whole gallery). "
        'JSON: <a href="/admin/shards">shards</a>.</p>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
