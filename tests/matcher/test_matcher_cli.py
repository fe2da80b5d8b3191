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
