// Shared by the live pages: a JSON WebSocket to the portal, and texts the page translated into <template>s.
window.JY = window.JY || {};

JY.socket = function (path, handlers) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const ws = new WebSocket(`${scheme}://${location.host}${path}`);
  const waiting = [];
  let chain = Promise.resolve();
  ws.addEventListener("open", () => {
    waiting.splice(0).forEach((text) => ws.send(text));
    if (handlers.open) handlers.open();
  });
  // Messages are handled one after another: WebRTC negotiation must see them in the order they were sent.
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(event.data);
    chain = chain.then(() => handlers.message(message)).catch((error) => console.error(error));
  });
  ws.addEventListener("close", (event) => handlers.close && handlers.close(event));
  return {
    send(message) {
      const text = JSON.stringify(message);
      if (ws.readyState === WebSocket.OPEN) ws.send(text); else waiting.push(text);
    },
    close() { ws.close(); },
  };
};

JY.text = function (root, key) {
  const template = root.querySelector(`template[data-text="${key}"]`);
  return template ? template.content.textContent.trim() : key;
};

// One WebRTC peer. Each negotiation has an attempt number (the offerer counts them), stamped on everything this
// peer sends, so answers and candidates of a superseded attempt are recognised and dropped by the other side.
// Remote ICE candidates wait for the remote description.
JY.peer = function (iceServers, attempt, signal, onTrack) {
  const pc = new RTCPeerConnection({ iceServers });
  const early = [];
  const send = (message) => signal({ ...message, attempt });
  pc.addEventListener("icecandidate", (event) => {
    if (event.candidate) send({ type: "candidate", candidate: event.candidate.toJSON() });
  });
  pc.addEventListener("track", (event) => onTrack(event.streams[0]));
  return {
    pc,
    attempt,
    async offer() {
      await pc.setLocalDescription(await pc.createOffer());
      send({ type: "offer", sdp: pc.localDescription.toJSON() });
    },
    async accept(sdp) {
      await pc.setRemoteDescription(sdp);
      await Promise.all(early.splice(0).map((c) => pc.addIceCandidate(c)));
      if (sdp.type === "offer") {
        await pc.setLocalDescription(await pc.createAnswer());
        send({ type: "answer", sdp: pc.localDescription.toJSON() });
      }
    },
    async candidate(candidate) {
      if (pc.remoteDescription) await pc.addIceCandidate(candidate); else early.push(candidate);
    },
    close() { pc.close(); },
  };
};
