"""Notices: policy notices, news and guides that officers publish; graduates follow tags."""
