"""Immigration detainers: the 48-hour hold clock (`clock`), the rights-notice texts (`rights`), the
detainee's bilingual copy as a PDF (`notice`). Qt-free."""
