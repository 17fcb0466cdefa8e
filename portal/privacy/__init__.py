"""Personal information: the privacy notice, a graduate's copy of their data, who looked at it, deleting the account."""
