"""Online presentations (线上宣讲): an employer presents live from the browser, or through an HLS stream,
to registered graduates, with a live Q&A."""
