"""Pure-Python intake and extraction: files in, facts out. No orchestration imports here."""
