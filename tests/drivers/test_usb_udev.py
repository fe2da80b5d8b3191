"""The shipped udev rule covers every supported scanner and matches what the registry generates."""

from __future__ import annotations

from pathlib import Path

from drivers.usb import devices, udev


def test_the_committed_rule_is_the_generated_one() -> None:
    assert udev.RULE_PATH.read_text(encoding="utf-8") == udev.rule_text(), (
        "installer/udev rule is stale: regenerate it with "
        "`booking-station scanners udev-rule > installer/udev/70-booking-station-scanners.rules`"
    )


def test_every_supported_device_gets_seat_and_plugdev_access() -> None:
    rules = [line for line in udev.rule_text().splitlines() if line and not line.startswith("#")]
    assert len(rules) == len(devices.SUPPORTED)
    for device, rule in zip(devices.SUPPORTED, rules, strict=True):
        assert f'ATTRS{{idVendor}}=="{device.vendor_id:04x}"' in rule
        assert f'ATTRS{{idProduct}}=="{device.product_id:04x}"' in rule
        assert 'TAG+="uaccess"' in rule and 'GROUP="plugdev"' in rule


def test_install_writes_a_world_readable_rule(tmp_path: Path) -> None:
    written = udev.install(tmp_path)
    assert written.name == udev.RULE_NAME and written.read_text() == udev.rule_text()
    assert written.stat().st_mode & 0o777 == 0o644
