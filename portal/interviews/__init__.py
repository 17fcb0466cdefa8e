"""Video interviews: an employer proposes time slots from an application, the graduate picks one, and the two
meet one-to-one in a WebRTC room signalled over the portal's WebSocket."""
