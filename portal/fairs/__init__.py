"""Recruitment events: on-site and online job fairs, grouped in series; employers take part with their
positions, graduates register for an e-ticket and are checked in at the door."""
