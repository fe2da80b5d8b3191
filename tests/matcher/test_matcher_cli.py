from __future__ import annotations

import json

import cv2
import pytest

from booking_station.cli import main


@pytest.fixture()
def files(tmp_path, prints, rotated):
    paths = {}
    for name, img in [("a", prints[0]), ("a2", rotated(prints[0], 6, (5, 5))), ("b", prints[1])]:
        p = tmp_path / f"{name}.png"
        cv2.imwrite(str(p), img)
        paths[name] = p
    return paths


def test_quality_prints_one_score_per_image(files, capsys) -> None:
    assert main(["quality", str(files["a"]), str(files["b"])]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == [str(files["a"]), str(files["b"])]
    assert all(0 <= int(line.split("\t")[1]) <= 100 for line in lines)


def test_match_says_match_for_mates_and_not_for_others(files, capsys) -> None:
    assert main(["match", str(files["a"]), str(files["a2"])]) == 0
    mate = capsys.readouterr().out
    assert main(["match", str(files["a"]), str(files["b"])]) == 0
    other = capsys.readouterr().out
    assert float(mate.split("\t")[0]) > float(other.split("\t")[0])
    assert "\tmatch" in mate
    assert "no match" in other


def test_missing_file_is_a_clear_error(tmp_path, capsys) -> None:
    assert main(["quality", str(tmp_path / "nope.png")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_unreadable_file_is_a_clear_error(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    assert main(["match", str(bad), str(bad)]) == 2
    assert "not an image" in capsys.readouterr().err


def test_bench_accuracy_on_a_small_fvc_style_folder(tmp_path, prints, rotated, capsys) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    for f in (1, 2, 3):
        for i, (deg, shift) in enumerate([(0, (0, 0)), (5, (6, -4)), (-7, (-5, 3))], start=1):
            cv2.imwrite(str(folder / f"1{f:02d}_{i}.png"), rotated(prints[f], deg, shift))
    out = tmp_path / "r.json"
    plot = tmp_path / "det.png"
    assert main(["bench", "accuracy", "--dataset", str(folder), "--json", str(out), "--plot", str(plot)]) == 0
    r = json.loads(out.read_text())
    assert r["genuine"] == 9 and r["impostor"] == 3
    assert r["eer_pct"] == 0.0
    for key in ("fmr100_pct", "fmr1000_pct", "zerofmr_pct", "extract_ms_median", "match_ms_median", "evr"):
        assert key in r
    assert plot.stat().st_size > 1000


def test_bench_accuracy_pools_the_impostors_of_several_folders(tmp_path, prints, rotated, capsys) -> None:
    folders = []
    for name, fingers in (("one", (0, 1, 2)), ("two", (3, 4, 0))):
        folder = tmp_path / name
        folder.mkdir()
        for f in fingers:
            for i, (deg, shift) in enumerate([(0, (0, 0)), (5, (6, -4)), (-7, (-5, 3))], start=1):
                cv2.imwrite(str(folder / f"1{f:02d}_{i}.png"), rotated(prints[f], deg, shift))
        folders.append(folder)
    out, evr_plot = tmp_path / "r.json", tmp_path / "evr.png"
    args = ["bench", "accuracy", "--dataset", str(folders[0]), "--dataset", f"{folders[1]}:500"]
    assert main([*args, "--json", str(out), "--evr-plot", str(evr_plot)]) == 0
    r = json.loads(out.read_text())
    # Every pair of images of different fingers: 27 within each folder, 81 across them (the
    # same print in both folders counts as different fingers: folders are different people).
    assert r["datasets"] == 2 and r["impostor_pooled"] == 27 + 27 + 81
    assert [s["genuine"] for s in r["sets"]] == [9, 9]
    assert r["threshold_fmr1e-4"] is None  # 135 impostors cannot resolve 1 in 10 000
    assert r["threshold_fmr1e-3"] is None
    assert r["mean_fnmr_at_pooled_fmr1e-4_pct"] is None
    assert "| one |" in capsys.readouterr().out
    assert evr_plot.stat().st_size > 1000


def test_error_versus_reject_drops_the_pairs_of_the_lowest_quality_images() -> None:
    from pathlib import Path

    import numpy as np

    from matcher import _accuracy

    # Four images of one finger: the one of quality 10 spoils all three of its pairs.
    keys = [(1, i) for i in range(1, 5)]
    s = _accuracy.FolderScores("x", Path("x"), 500.0, dict.fromkeys(keys), {}, [1.0])
    s.quality = {(1, 1): 10, (1, 2): 80, (1, 3): 70, (1, 4): 90}
    s.genuine_pairs = [(a, b) for n, a in enumerate(keys) for b in keys[n + 1 :]]
    s.genuine = np.array([0.0 if (1, 1) in pair else 1.0 for pair in s.genuine_pairs])
    evr = {r["reject_pct"]: r for r in _accuracy.error_vs_reject(s, threshold=0.5)}
    assert evr[0.0]["fnmr_pct"] == 50.0 and evr[0.0]["genuine_kept"] == 6
    assert evr[25.0]["images_rejected"] == 1 and evr[25.0]["fnmr_pct"] == 0.0
    assert evr[25.0]["quality_below"] == 70  # the lowest quality kept
    assert _accuracy.evr_gain_pct(list(evr.values()), 25.0) == 100.0


def test_threshold_at_a_false_match_rate_accepts_no_more_impostors_than_it_allows() -> None:
    import numpy as np

    from matcher import _accuracy

    imp = np.arange(1000) / 1000.0
    t = _accuracy.threshold_at(imp, 1e-2)
    assert np.sum(imp >= t) == 10 and np.sum(imp >= np.nextafter(imp[989], -1)) == 11
    assert _accuracy.threshold_at(imp, 1e-4) is None


def test_bench_accuracy_rejects_a_folder_without_fvc_files(tmp_path, capsys) -> None:
    assert main(["bench", "accuracy", "--dataset", str(tmp_path)]) == 2
    assert "FFF_I" in capsys.readouterr().err


def test_bench_search_on_a_tiny_synthetic_gallery(tmp_path, monkeypatch) -> None:
    # The bench caches the synthetic fingers it makes; keep them out of the user's cache folder
    # (numba's cache folder was fixed when numba was imported, so this does not move it).
    monkeypatch.setenv("BOOKING_STATION_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "s.json"
    assert (
        main(["bench", "search", "--gallery", "4", "--probes", "2", "--pool", "2", "--json", str(out)]) == 0
    )
    r = json.loads(out.read_text())
    assert r["gallery"] == 4 and r["mates_synthetic"] == 2
    assert r["rank1_hit_rate"] == 1.0
    for key in ("comparisons_per_s", "comparisons_per_s_per_thread", "threads", "search_ms_median"):
        assert r[key] > 0


def test_bench_search_saves_and_reloads_its_gallery_with_fresh_mates(tmp_path) -> None:
    folder, first, again = tmp_path / "g", tmp_path / "a.json", tmp_path / "b.json"
    args = ["bench", "search", "--gallery", "4", "--probes", "2", "--pool", "2"]
    assert main([*args, "--save-gallery", str(folder), "--json", str(first)]) == 0
    # Reloaded, the same mates are searched again and fresh ones (offset 2) are added to it.
    assert main([*args, "--load-gallery", str(folder), "--mate-offset", "2", "--json", str(again)]) == 0
    a, b = json.loads(first.read_text()), json.loads(again.read_text())
    assert a["gallery"] == 4 and b["gallery"] == 6
    assert b["mate_offset"] == 2 and b["loaded_from"] == str(folder)
    assert a["rank1_hit_rate"] == b["rank1_hit_rate"] == 1.0


def test_bench_search_names_a_bad_saved_gallery_or_mate_offset(tmp_path, capsys) -> None:
    assert main(["bench", "search", "--gallery", "4", "--load-gallery", str(tmp_path)]) == 2
    assert "--load-gallery" in capsys.readouterr().err
    assert main(["bench", "search", "--gallery", "4", "--probes", "2", "--mate-offset", "-1"]) == 2
    assert "--mate-offset" in capsys.readouterr().err
    assert main(["bench", "search", "--probes", "2"]) == 2  # nothing to build or load: said
    assert "--gallery N" in capsys.readouterr().err
    assert main(["bench", "search", "--fvc", str(tmp_path)]) == 2
    assert "--fvc needs --gallery" in capsys.readouterr().err


def test_bench_extract_gives_wall_and_cpu_time(tmp_path) -> None:
    # CPU time too: on the shared machine's loaded cores wall times say little (docs/benchmarks.md).
    out = tmp_path / "e.json"
    assert main(["bench", "extract", "--images", "2", "--json", str(out)]) == 0
    r = json.loads(out.read_text())
    assert r["images"] == 2 and r["size"] == "640x480"
    for key in ("extract_quality_ms_median", "extract_quality_cpu_ms_median", "extract_quality_cpu_ms_max"):
        assert r[key] > 0
    assert r["minutiae_mean"] > 20
