"""The site's own pages and files that belong to no domain (the favicon)."""
