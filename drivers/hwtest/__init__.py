"""Hardware-tester tools shared by the `scanners` commands and the GUI diagnostics page:
live preview statistics (`session`) and image conformance checks (`conformance`)."""
