"""The officer's home page, made of the panels the domains contribute (panels.py)."""
