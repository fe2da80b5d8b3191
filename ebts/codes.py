"""Code tables for EBTS Type-2 demographics (NCIC code values, as EBTS requires).

Each table maps the code to an English label for pickers. `US_STATES` are USPS codes (the
agency's state in the settings); `PLACE_OF_BIRTH` is NCIC's state, province and country table,
which differs from USPS for Nebraska.
"""

from __future__ import annotations

from booking_station import fingers

# EBTS 2.024 SEX takes X for an unknown sex; "U" is the NCIC code for it and is not in the EBTS
# table, so it is not offered (an ERRT would come back for it).
SEX = {"M": "Male", "F": "Female", "X": "Unknown / not reported"}

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

# NCIC place-of-birth codes (NCIC Code Manual, State and Country Data Codes). They are the USPS
# codes for the states except Nebraska (NB: NCIC's NE is the Netherlands). Entries the manual marks
# "reference only" are left out: they may not be entered. Countries formed after the table we could
# check (e.g. the successor states of the USSR, Yugoslavia and Czechoslovakia) are not listed yet;
# "YY" (place of birth not in the code table) is the manual's own answer for them.
_NCIC_SPECIAL = {"US": "United States (state unknown)", "XX": "Unknown", "YY": "Not in the code table"}

_NCIC_STATES = {code: name for code, name in US_STATES.items() if code != "NE"} | {"NB": "Nebraska"}

_NCIC_TERRITORIES = {"PR": "Puerto Rico", "VI": "U.S. Virgin Islands"}

_NCIC_CANADA = {
    "CD": "Canada (province unknown)", "AB": "Alberta, Canada", "BC": "British Columbia, Canada",
    "MB": "Manitoba, Canada", "NK": "New Brunswick, Canada", "NF": "Newfoundland and Labrador, Canada",
    "NT": "Northwest Territories, Canada", "NS": "Nova Scotia, Canada", "ON": "Ontario, Canada",
    "PE": "Prince Edward Island, Canada", "PQ": "Quebec, Canada", "SN": "Saskatchewan, Canada",
    "YT": "Yukon, Canada",
}  # fmt: skip

_NCIC_MEXICO = {
    "MM": "Mexico (state unknown)", "AG": "Aguascalientes, Mexico", "BA": "Baja California, Mexico",
    "BJ": "Baja California Sur, Mexico", "CE": "Campeche, Mexico", "CI": "Chiapas, Mexico",
    "CH": "Chihuahua, Mexico", "CU": "Coahuila, Mexico", "CL": "Colima, Mexico",
    "DF": "Mexico City (Distrito Federal), Mexico", "DO": "Durango, Mexico", "GU": "Guanajuato, Mexico",
    "GR": "Guerrero, Mexico", "HL": "Hidalgo, Mexico", "JL": "Jalisco, Mexico",
    "MX": "Mexico (State of Mexico), Mexico", "MC": "Michoacan, Mexico", "MR": "Morelos, Mexico",
    "NA": "Nayarit, Mexico", "NL": "Nuevo Leon, Mexico", "OA": "Oaxaca, Mexico", "PB": "Puebla, Mexico",
    "QU": "Queretaro, Mexico", "QR": "Quintana Roo, Mexico", "SL": "San Luis Potosi, Mexico",
    "SI": "Sinaloa, Mexico", "SO": "Sonora, Mexico", "TB": "Tabasco, Mexico", "TA": "Tamaulipas, Mexico",
    "TL": "Tlaxcala, Mexico", "VC": "Veracruz, Mexico", "YU": "Yucatan, Mexico", "ZA": "Zacatecas, Mexico",
}  # fmt: skip

_NCIC_COUNTRIES = {
    "AF": "Afghanistan", "AA": "Albania", "AN": "Algeria", "AD": "Andorra", "AO": "Angola",
    "AE": "Anguilla", "AI": "Antigua and Barbuda", "AT": "Argentina", "AJ": "Aruba",
    "AS": "Australia", "AU": "Austria", "AQ": "Azores Islands", "BD": "Bahamas", "BE": "Bahrain",
    "BW": "Balearic Islands", "BL": "Bangladesh", "BB": "Barbados", "BG": "Belgium", "BH": "Belize",
    "DH": "Benin", "BM": "Bermuda", "BN": "Bhutan", "BV": "Bolivia", "BT": "Botswana", "BZ": "Brazil",
    "VB": "British Virgin Islands", "BX": "Brunei", "BU": "Bulgaria", "UV": "Burkina Faso",
    "BR": "Burma (Myanmar)", "BI": "Burundi", "CJ": "Cambodia", "CM": "Cameroon",
    "ZI": "Canary Islands", "CV": "Cape Verde", "CP": "Cayman Islands",
    "CW": "Central African Republic", "CF": "Chad", "CQ": "Chile", "RC": "China (People's Republic)",
    "TW": "Taiwan", "CB": "Colombia", "DG": "Comoros", "RB": "Congo (Brazzaville)",
    "ZR": "Congo (Kinshasa)", "DI": "Cook Islands", "CR": "Costa Rica", "CC": "Cuba", "CS": "Cyprus",
    "CK": "Czechoslovakia", "DK": "Denmark", "DN": "Djibouti", "DM": "Dominica",
    "DR": "Dominican Republic", "EU": "Ecuador", "EY": "Egypt", "EL": "El Salvador", "EN": "England",
    "EK": "Equatorial Guinea", "ES": "Estonia", "EO": "Ethiopia", "FA": "Falkland Islands",
    "FO": "Faroe Islands", "FS": "Micronesia (Federated States)", "FJ": "Fiji", "FD": "Finland",
    "FN": "France", "FG": "French Guiana", "FP": "French Polynesia", "GB": "Gabon", "GK": "Gambia",
    "GZ": "Gaza", "GE": "Germany", "GG": "Ghana", "RG": "Gibraltar", "GC": "Greece",
    "GN": "Greenland", "GJ": "Grenada", "GP": "Guadeloupe", "GT": "Guatemala", "GF": "Guernsey",
    "GI": "Guinea", "PG": "Guinea-Bissau", "GY": "Guyana", "HT": "Haiti", "HD": "Honduras",
    "HK": "Hong Kong", "HU": "Hungary", "IC": "Iceland", "II": "India", "IO": "Indonesia",
    "IR": "Iran", "IQ": "Iraq", "IE": "Ireland", "IB": "Isle of Man", "IS": "Israel", "IT": "Italy",
    "IY": "Ivory Coast (Cote d'Ivoire)", "JM": "Jamaica", "JA": "Japan", "JE": "Jersey",
    "JO": "Jordan", "KE": "Kenya", "KB": "Kiribati", "KN": "North Korea", "KO": "South Korea",
    "KU": "Kuwait", "LS": "Laos", "LN": "Lebanon", "LE": "Lesotho", "LB": "Liberia", "LY": "Libya",
    "LI": "Liechtenstein", "LX": "Luxembourg", "OC": "Macau", "MP": "Madagascar",
    "IM": "Madeira Islands", "MF": "Malawi", "MZ": "Malaysia", "MV": "Maldives", "ML": "Mali",
    "MY": "Malta", "ZB": "Martinique", "MU": "Mauritania", "UM": "Mauritius", "MJ": "Monaco",
    "MG": "Mongolia", "RR": "Montserrat", "MQ": "Morocco", "ZO": "Mozambique", "SJ": "Namibia",
    "NR": "Nauru", "NP": "Nepal", "NE": "Netherlands", "NX": "Netherlands Antilles",
    "NQ": "New Caledonia", "NZ": "New Zealand", "NU": "Nicaragua", "NN": "Niger", "NG": "Nigeria",
    "IU": "Niue", "NI": "Northern Ireland", "NW": "Norway", "OM": "Oman", "PK": "Pakistan",
    "PD": "Palau", "PM": "Panama", "NO": "Papua New Guinea", "PV": "Paraguay", "PU": "Peru",
    "PI": "Philippines", "PC": "Pitcairn Islands", "PO": "Poland", "PT": "Portugal", "QA": "Qatar",
    "RE": "Reunion", "RU": "Romania", "SX": "Russia (USSR)", "RW": "Rwanda",
    "TS": "Saint Kitts and Nevis", "HS": "Saint Helena", "LU": "Saint Lucia",
    "PS": "Saint Pierre and Miquelon", "VV": "Saint Vincent and the Grenadines", "SH": "San Marino",
    "TP": "Sao Tome and Principe", "SB": "Saudi Arabia", "SS": "Scotland", "SG": "Senegal",
    "SE": "Seychelles", "SA": "Sierra Leone", "SR": "Singapore", "BS": "Solomon Islands",
    "SM": "Somalia", "SF": "South Africa", "SP": "Spain", "CY": "Sri Lanka", "SU": "Sudan",
    "ZC": "Suriname", "SV": "Svalbard", "SW": "Eswatini (Swaziland)", "SQ": "Sweden",
    "SZ": "Switzerland", "SY": "Syria", "TZ": "Tanzania", "TH": "Thailand", "TO": "Togo",
    "TK": "Tokelau", "TG": "Tonga", "TT": "Trinidad and Tobago", "TU": "Tunisia", "TY": "Turkey",
    "TR": "Turks and Caicos Islands", "TV": "Tuvalu", "UG": "Uganda", "TC": "United Arab Emirates",
    "UY": "Uruguay", "HN": "Vanuatu", "VY": "Vatican City", "VZ": "Venezuela", "RV": "Vietnam",
    "WL": "Wales", "WF": "Wallis and Futuna", "WB": "West Bank", "WN": "West Indies (other islands)",
    "RS": "Western Sahara", "WS": "Samoa", "RY": "Yemen", "YG": "Yugoslavia", "ZM": "Zambia",
    "RH": "Zimbabwe",
}  # fmt: skip

PLACE_OF_BIRTH = (
    _NCIC_SPECIAL | _NCIC_STATES | _NCIC_TERRITORIES | _NCIC_CANADA | _NCIC_MEXICO | _NCIC_COUNTRIES
)

#: Places of birth (2.020 POB) in the United States: its states, territories and "US" itself.
US_PLACES_OF_BIRTH = frozenset({"US", *_NCIC_STATES, *_NCIC_TERRITORIES})

OFFENSE_LEVELS = {"felony": "Felony", "misdemeanor": "Misdemeanor"}

# --- Transaction-level codes (ANSI/NIST-ITL 1-2011 and FBI EBTS) ------------------------------

# Friction ridge generalized position (FGP), ANSI/NIST-ITL Table 8, and the single fingers a
# segmentation (14.021 SEG) may name in each slap image: the project's one finger vocabulary.
FINGER_POSITIONS = fingers.POSITION_NAMES
SLAP_FINGERS = fingers.SLAP_FINGERS

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
    "L0012": "Logical record not allowed in this transaction, or too many or too few of them",
    "L0013": "Submitting station not authorised for this ORI",
    "L0014": "Internal error at the receiving service; submit again",
}
