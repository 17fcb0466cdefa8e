// The one-to-one interview room. The interviewer ("caller") makes the offer whenever both are present;
// the portal only relays the negotiation between the two browsers.
(() => {
  const root = document.getElementById("video-room");
  if (!root) return;
  const me = Number(root.dataset.me);
  const caller = root.dataset.caller === "true";
  const iceServers = JSON.parse(root.dataset.iceServers || "[]");
  const state = root.querySelector("[data-room-state]");
  const remote = document.getElementById("remote-video");
  const local = document.getElementById("local-video");
  const errorBox = root.querySelector("[data-room-error]");
  const show = (key) => { state.textContent = JY.text(root, key); state.dataset.state = key; };
  const fail = (key) => { errorBox.textContent = JY.text(root, key); errorBox.hidden = false; };
  let stream = null;
  let peer = null;
  let socket = null;
  let attempts = 0;

  function newPeer(attempt) {
    if (peer) peer.close();
    peer = JY.peer(iceServers, attempt, (message) => socket.send(message), (remoteStream) => {
      remote.srcObject = remoteStream;
      show("connected");
    });
    stream.getTracks().forEach((track) => peer.pc.addTrack(track, stream));
    return peer;
  }

  const current = (message) => peer && message.attempt === peer.attempt;

  async function onMessage(message) {
    if (message.from === me) return;
    if (message.type === "join") {
      if (caller) await newPeer(++attempts).offer(); else socket.send({ type: "present" });
    } else if (message.type === "present" && caller) {
      await newPeer(++attempts).offer();
    } else if (message.type === "offer" && !caller) {
      await newPeer(message.attempt).accept(message.sdp);
    } else if (message.type === "answer" && current(message)) {
      await peer.accept(message.sdp);
    } else if (message.type === "candidate" && current(message)) {
      await peer.candidate(message.candidate);
    } else if (message.type === "bye") {
      remote.srcObject = null;
      show("left");
    }
  }

  root.querySelectorAll("[data-toggle]").forEach((button) => {
    button.addEventListener("click", () => {
      const kind = button.dataset.toggle;
      (kind === "audio" ? stream.getAudioTracks() : stream.getVideoTracks()).forEach((t) => { t.enabled = !t.enabled; });
      button.classList.toggle("primary");
    });
  });

  navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then((media) => {
    stream = media;
    local.srcObject = media;
    show("waiting");
    socket = JY.socket(root.dataset.socket, {
      open: () => socket.send({ type: "join" }),
      message: onMessage,
      close: (event) => { if (event.code >= 4000) fail("refused"); },
    });
    window.addEventListener("pagehide", () => socket.send({ type: "bye" }));
  }).catch(() => fail("no-camera"));
})();
