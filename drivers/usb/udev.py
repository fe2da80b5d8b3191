"""The udev rule giving the logged-in user and group plugdev access to every supported scanner."""

from __future__ import annotations

from pathlib import Path

from drivers.usb import devices

RULE_NAME = "70-booking-station-scanners.rules"
#: The committed copy, installed by packagers; a test keeps it equal to `rule_text()`.
RULE_PATH = Path(__file__).resolve().parents[2] / "installer" / "udev" / RULE_NAME
INSTALL_DIR = Path("/etc/udev/rules.d")


def rule_text() -> str:
    lines = [
        "# Booking Station: access to supported USB fingerprint scanners.",
        "# Generated from drivers/usb/devices.py by `booking-station scanners udev-rule`; do not edit.",
        '# TAG+="uaccess" gives the user at the seat access; GROUP plugdev covers remote and service users.',
        "",
    ]
    for device in devices.SUPPORTED:
        lines.append(f"# {device.vendor} {device.model}")
        lines.append(
            f'SUBSYSTEM=="usb", ATTRS{{idVendor}}=="{device.vendor_id:04x}", '
            f'ATTRS{{idProduct}}=="{device.product_id:04x}", MODE="0660", GROUP="plugdev", TAG+="uaccess"'
        )
    return "\n".join(lines) + "\n"


def install(target_dir: Path = INSTALL_DIR) -> Path:
    """Write the rule into target_dir (needs root for /etc/udev/rules.d). Returns the file written."""
    target = target_dir / RULE_NAME
    target.write_text(rule_text(), encoding="utf-8")
    target.chmod(0o644)
    return target
