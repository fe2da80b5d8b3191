"""Scanner API, the virtual scanner, USB drivers and hardware-tester tools."""
