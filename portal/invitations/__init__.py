"""Invitations: an employer invites a discoverable graduate to apply to a position; the graduate accepts (and so
applies) or declines. The graduate's contact data stay hidden from the employer until they apply."""
