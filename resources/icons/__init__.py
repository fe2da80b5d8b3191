"""The application icon (booking-station.svg); a package so that wheels ship it."""
