"""The test clusters of a run killed outright are stopped by the next run (CI machines and the
engineers' shared machine kept free of stray Ray nodes)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ray_cluster import _process_identity, stop_orphaned_clusters


def _node_in(folder: Path) -> subprocess.Popen:
    # Stands in for a Ray node: a process whose command line names the cluster's folder.
    return subprocess.Popen(["sh", "-c", "sleep 600", str(folder / "ray")], start_new_session=True)


def test_a_cluster_whose_test_run_is_gone_is_stopped_and_a_live_runs_is_kept(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    gone_identity = f"{gone.pid} 1"  # a start time no live process of that pid has
    gone.wait()
    orphan, kept = tmp_path / "bsray-orphan", tmp_path / "bsray-kept"
    orphan.mkdir()
    kept.mkdir()
    (orphan / "owner").write_text(gone_identity)
    (kept / "owner").write_text(str(_process_identity(os.getpid())))
    orphan_node, kept_node = _node_in(orphan), _node_in(kept)
    try:
        assert stop_orphaned_clusters(tmp_path) == [orphan]
        assert orphan_node.wait(30) is not None
        assert not orphan.exists()
        assert kept_node.poll() is None and kept.exists()
    finally:
        for node in (orphan_node, kept_node):
            node.kill()
            node.wait()


def test_a_live_process_that_reused_the_owners_id_does_not_keep_the_cluster(tmp_path: Path) -> None:
    pid, started = str(_process_identity(os.getpid())).split()
    orphan = tmp_path / "bsray-reused"
    orphan.mkdir()
    (orphan / "owner").write_text(f"{pid} {int(started) - 1}")  # an earlier process with this pid
    assert stop_orphaned_clusters(tmp_path) == [orphan]
