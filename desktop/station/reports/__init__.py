"""The station's reports (Qt-free): the jail's own quarterly detainer report (`jail.py`)."""
