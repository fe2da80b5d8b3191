"""Vendor-SDK adapters for tenprint livescan devices live here.

Tenprint livescan scanners (four-finger slaps, rolled prints) are driven through their makers'
SDKs, not an open USB protocol. An adapter for one of them:

1. is a module `drivers/usb/sdk/<maker>.py` with a class implementing `drivers.api.Scanner`
   (info/open/close/capture/cancel/trigger), built as `Class(info, transport)` like the AES3500
   driver; it ignores the pyusb transport and loads the vendor library itself (ctypes or the
   vendor's Python binding), lazily inside `open()`, so listing devices never needs the SDK;
2. maps the SDK's callbacks onto the capture state machine events (finger status with the
   finger count the device reports, preview frames, the final image at its true ppi) and every
   SDK error code onto a `ScannerError` naming what the clerk or tester should do;
3. is registered by a `SupportedDevice` entry in `drivers/usb/devices.py` with the device's
   VID:PID, `scanner_class="drivers.usb.sdk.<maker>:<Class>"` and the modes it supports, so the
   device is listed, gets the udev rule and opens through the registry like any other;
4. when the SDK is not installed, `open()` raises `ScannerUnavailable` saying which SDK to
   install; and it is tested against the vendor's simulator where one exists.

No adapter is included: each SDK is licensed by its maker and none is available to this project.
"""
