"""The `booking-station` command line: one entry point that dispatches to each package's commands."""
