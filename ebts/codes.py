"""Code tables for EBTS Type-2 demographics (NCIC code values, as EBTS requires).

Each table maps the code to an English label for pickers. Only codes we are sure of are listed:
`PLACE_OF_BIRTH` holds the US states, DC and the territories whose NCIC code equals the USPS one,
plus the few countries listed; the rest of the NCIC country table is still to be added from the
NCIC Code Manual (State and Country Codes).
"""

from __future__ import annotations

SEX = {"M": "Male", "F": "Female", "X": "Unknown / not reported", "U": "Unknown"}

RACE = {
    "A": "Asian or Pacific Islander",
    "B": "Black",
    "I": "American Indian or Alaskan Native",
    "W": "White",
    "U": "Unknown",
}

EYE_COLOR = {
    "BLK": "Black",
    "BLU": "Blue",
    "BRO": "Brown",
    "GRN": "Green",
    "GRY": "Gray",
    "HAZ": "Hazel",
    "MAR": "Maroon",
    "MUL": "Multicolored",
    "PNK": "Pink",
    "XXX": "Unknown",
}

HAIR_COLOR = {
    "BAL": "Bald",
    "BLK": "Black",
    "BLN": "Blond or strawberry",
    "BLU": "Blue",
    "BRO": "Brown",
    "GRN": "Green",
    "GRY": "Gray or partially gray",
    "ONG": "Orange",
    "PLE": "Purple",
    "PNK": "Pink",
    "RED": "Red or auburn",
    "SDY": "Sandy",
    "WHI": "White",
    "XXX": "Unknown",
}

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip

_TERRITORIES = {"PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands"}

_COUNTRIES = {"MM": "Mexico"}

PLACE_OF_BIRTH = {**US_STATES, **_TERRITORIES, **_COUNTRIES}

OFFENSE_LEVELS = {"felony": "Felony", "misdemeanor": "Misdemeanor"}

# --- Transaction-level codes (ANSI/NIST-ITL 1-2011 and FBI EBTS) ------------------------------

# Friction ridge generalized position (FGP), ANSI/NIST-ITL Table 8.
FINGER_POSITIONS = {
    0: "Unknown finger",
    1: "Right thumb", 2: "Right index", 3: "Right middle", 4: "Right ring", 5: "Right little",
    6: "Left thumb", 7: "Left index", 8: "Left middle", 9: "Left ring", 10: "Left little",
    11: "Plain right thumb", 12: "Plain left thumb",
    13: "Plain right four fingers", 14: "Plain left four fingers", 15: "Left and right thumbs",
}  # fmt: skip

# Slap images and the single fingers a segmentation (14.021 SEG) may name in each.
SLAP_FINGERS = {13: (2, 3, 4, 5), 14: (7, 8, 9, 10), 15: (1, 6)}

# Impression type (IMP), ANSI/NIST-ITL Table 7: the codes a tenprint card or livescan uses.
IMPRESSION_TYPES = {
    0: "Live-scan plain",
    1: "Live-scan rolled",
    2: "Nonlive-scan plain",
    3: "Nonlive-scan rolled",
}

# Amputated or bandaged (2.084 / 14.018 AMP).
AMPUTATION = {"XX": "Amputated", "UP": "Unable to print (bandaged)"}

# Compression algorithm (CGA) values a Type-14 record may carry; a CAR uses WSQ20.
COMPRESSION = {
    "NONE": "Uncompressed",
    "WSQ20": "WSQ 3.1",
    "JP2": "JPEG 2000",
    "JP2L": "JPEG 2000 lossless",
    "PNG": "PNG",
}

# Type-1 1.015 DCS character set index -> name.
CHARACTER_SETS = {0: "ASCII", 1: "ISO 8859-1", 2: "UTF-16", 3: "UTF-8", 4: "UTF-32"}

# Types of transaction this project builds or answers with (1.004 TOT).
TRANSACTION_TYPES = {
    "CAR": "Criminal Tenprint Submission (Answer Required)",
    "SRE": "Submission Results - Electronic",
    "ERRT": "Tenprint Transaction Error",
}

# 2.059 SRF, search results findings.
SEARCH_FINDINGS = {"I": "Identification", "N": "Non-identification"}

# Error codes carried in an ERRT's 2.060 MSG. EBTS-style (letter + four digits); the numbering is
# this project's own, one code per validation rule, so the station can say what to fix.
ERROR_CODES = {
    "L0001": "Mandatory field missing",
    "L0002": "Value not in the code table",
    "L0003": "Value has the wrong format",
    "L0004": "Invalid or impossible date",
    "L0005": "Fingerprint set incomplete or duplicated",
    "L0006": "Image cannot be decoded or does not match its header",
    "L0007": "Image quality too low to search",
    "L0008": "Transaction type not accepted",
    "L0009": "Fingerprints out of sequence",
    "L0010": "Transaction cannot be parsed",
    "L0011": "Value out of range",
}
