"""Field mnemonics for display (ANSI/NIST-ITL 1-2011 and EBTS); unknown fields show no name."""

from __future__ import annotations

_TYPE1 = {1: "LEN", 2: "VER", 3: "CNT", 4: "TOT", 5: "DAT", 6: "PRY", 7: "DAI", 8: "ORI", 9: "TCN", 10: "TCR",
          11: "NSR", 12: "NTR", 13: "DOM", 14: "GMT", 15: "DCS"}  # fmt: skip
_TYPE2 = {1: "LEN", 2: "IDC", 5: "RET", 7: "SCO", 14: "FBI", 15: "SID", 16: "SOC", 17: "MNU", 18: "NAM",
          19: "AKA", 20: "POB", 21: "CTZ", 22: "DOB", 24: "SEX", 25: "RAC", 26: "SMT", 27: "HGT", 29: "WGT",
          31: "EYE", 32: "HAI", 38: "DPR", 41: "RES", 45: "DOA", 47: "ASL", 51: "CSL", 59: "SRF", 60: "MSG",
          70: "RAP", 73: "CRI", 75: "ERS", 84: "AMP"}  # fmt: skip
_BINARY_FINGER = {1: "LEN", 2: "IDC", 3: "IMP", 4: "FGP", 5: "ISR", 6: "HLL", 7: "VLL", 8: "GCA", 9: "DATA"}
_TYPE7 = {1: "LEN", 2: "IDC", 3: "DATA"}
_TYPE8 = {1: "LEN", 2: "IDC", 3: "SIG", 4: "SRT", 5: "ISR", 6: "HLL", 7: "VLL", 8: "DATA"}
_TYPE14 = {1: "LEN", 2: "IDC", 3: "IMP", 4: "SRC", 5: "FCD", 6: "HLL", 7: "VLL", 8: "SLC", 9: "THPS",
           10: "TVPS", 11: "CGA", 12: "BPX", 13: "FGP", 14: "PPD", 15: "PPC", 16: "SHPS", 17: "SVPS",
           18: "AMP", 20: "COM", 21: "SEG", 22: "NQM", 23: "SQM", 24: "FQM", 25: "ASEG", 26: "SCF",
           27: "SIF", 30: "DMM", 31: "FAP", 999: "DATA"}  # fmt: skip
_TYPE10 = {1: "LEN", 2: "IDC", 3: "IMT", 4: "SRC", 5: "PHD", 6: "HLL", 7: "VLL", 8: "SLC", 9: "THPS",
           10: "TVPS", 11: "CGA", 12: "CSP", 13: "SAP", 16: "SHPS", 17: "SVPS", 20: "POS", 21: "POA",
           40: "SMT", 41: "SMS", 42: "SMD", 43: "COL", 999: "DATA"}  # fmt: skip
_TYPE15 = {**_TYPE14, 13: "PLP"}
_TAGGED_COMMON = {1: "LEN", 2: "IDC", 999: "DATA"}

_BY_TYPE = {1: _TYPE1, 2: _TYPE2, 3: _BINARY_FINGER, 4: _BINARY_FINGER, 5: _BINARY_FINGER, 6: _BINARY_FINGER,
            7: _TYPE7, 8: _TYPE8, 10: _TYPE10, 13: _TYPE14, 14: _TYPE14, 15: _TYPE15}  # fmt: skip


def field_name(record_type: int, tag: int) -> str:
    return _BY_TYPE.get(record_type, _TAGGED_COMMON).get(tag, "")
