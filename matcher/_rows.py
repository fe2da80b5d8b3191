"""Runs of rows of a saved .npy array, read with pread into the caller's own buffer.

A loaded 1 M gallery's index postings (3.8 GB) and texture descriptors (3 GB) are too large to
keep resident. Searched through a memory map, every page a probe touches stays mapped into the
process (plus the kernel's read-around), so its resident memory grows with each probe towards
the size of the files. Read with pread, the rows a probe needs are copied into a buffer that is
freed after the probe: the process keeps only what it is working on, and the pages read stay in
the kernel's page cache, shared and reclaimable under pressure, not counted as the process's.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path

import numpy as np


class RowFile:
    """Rows of one .npy file (C order, not a memory map of anything else), read positionally.

    Thread-safe: pread has no shared file position. The descriptor stays open as long as the
    object lives, so the file may be replaced (renamed over) meanwhile and reads still see the
    version that was opened, as a memory map would.
    """

    def __init__(self, path: str | Path, array: np.memmap) -> None:
        if not isinstance(array, np.memmap) or not array.flags.c_contiguous:
            raise ValueError(f"{path}: not a contiguous memory-mapped array")
        self.dtype = array.dtype
        self.row_shape = array.shape[1:]
        self.rows = array.shape[0]
        self._row_bytes = array.itemsize * int(np.prod(self.row_shape, dtype=np.int64))
        self._start = int(array.offset)  # header length: where row 0 begins
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)

    def read(self, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
        """Rows starts[i]:stops[i] for every i, concatenated in that order.

        Ranges that follow each other in the file are read with one call.
        """
        starts = np.asarray(starts, np.int64)
        stops = np.asarray(stops, np.int64)
        if len(starts) and (np.any(stops < starts) or starts.min() < 0 or stops.max() > self.rows):
            raise ValueError("row ranges outside the array")
        total = int((stops - starts).sum())
        out = np.empty((total, *self.row_shape), self.dtype)
        if total == 0:
            return out
        keep = stops > starts
        starts, stops = starts[keep], stops[keep]
        # Runs: a range that begins where the previous one ended continues it.
        breaks = np.flatnonzero(starts[1:] != stops[:-1]) + 1
        run_lo = starts[np.concatenate([[0], breaks])]
        run_hi = stops[np.concatenate([breaks - 1, [len(stops) - 1]])]
        view = memoryview(out.reshape(-1).view(np.uint8))
        pos = 0
        for lo, hi in zip(run_lo.tolist(), run_hi.tolist(), strict=True):
            n = (hi - lo) * self._row_bytes
            at = self._start + lo * self._row_bytes
            done = 0
            while done < n:  # a regular file reads short only at its end
                got = os.preadv(self._fd, [view[pos + done : pos + n]], at + done)
                if got <= 0:
                    raise OSError(f"gallery file ends before row {hi} (truncated?)")
                done += got
            pos += n
        return out
