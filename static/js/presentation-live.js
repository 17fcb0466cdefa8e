// A live presentation. The presenter's browser sends its camera or screen to each viewer over its own WebRTC
// connection (the portal relays only the negotiation); with an HLS address the page plays that stream instead.
// Questions travel over the same socket, for both ways of presenting.
(() => {
  const root = document.getElementById("live");
  if (!root) return;
  const me = Number(root.dataset.me);
  const presenter = root.dataset.role === "presenter";
  const hlsUrl = root.dataset.stream;
  const iceServers = JSON.parse(root.dataset.iceServers || "[]");
  const video = document.getElementById("stage-video");
  const state = root.querySelector("[data-live-state]");
  const errorBox = root.querySelector("[data-live-error]");
  const list = root.querySelector("[data-questions]");
  const counter = root.querySelector("[data-viewer-count]");
  const show = (key) => { state.textContent = JY.text(root, key); state.dataset.state = key; };
  const fail = (text) => { errorBox.textContent = text; errorBox.hidden = false; };
  let socket = null;

  // ---- questions
  function questionControls(item) {
    const form = document.createElement("form");
    form.className = "row actions";
    const input = document.createElement("input");
    input.className = "compact";
    input.maxLength = 1000;
    input.setAttribute("aria-label", JY.text(root, "reply"));
    const reply = document.createElement("button");
    reply.className = "button small primary";
    reply.textContent = JY.text(root, "reply");
    const pin = document.createElement("button");
    pin.type = "button";
    pin.className = "button small";
    pin.dataset.pin = "";
    pin.textContent = JY.text(root, item.classList.contains("pinned") ? "unpin" : "pin");
    const id = Number(item.dataset.question);
    pin.addEventListener("click", () => socket.send({ type: "pin", id, pinned: !item.classList.contains("pinned") }));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (input.value.trim()) socket.send({ type: "reply", id, answer: input.value.trim() });
      input.value = "";
    });
    form.append(input, reply, pin);
    item.append(form);
  }

  function showQuestion(question) {
    let item = list.querySelector(`[data-question="${question.id}"]`);
    if (!item) {
      item = document.createElement("li");
      item.dataset.question = question.id;
      item.innerHTML = '<span data-body></span><div class="answer small" data-answer hidden></div>';
      list.append(item);
      if (presenter) questionControls(item);
    }
    item.querySelector("[data-body]").textContent = question.body;
    const answer = item.querySelector("[data-answer]");
    answer.textContent = question.answer || "";
    answer.hidden = !question.answer;
    item.classList.toggle("pinned", question.pinned);
    const pin = item.querySelector("[data-pin]");
    if (pin) pin.textContent = JY.text(root, question.pinned ? "unpin" : "pin");
    if (question.pinned) list.prepend(item);
  }

  if (presenter) list.querySelectorAll("[data-question]").forEach(questionControls);
  const askForm = root.querySelector("[data-ask]");
  if (askForm) {
    askForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const body = askForm.elements.body.value.trim();
      if (body) socket.send({ type: "ask", body });
      askForm.reset();
    });
  }

  // ---- the presenter's side: one peer connection per viewer
  const peers = new Map();
  let attempts = 0;
  let stream = null;
  const count = () => { if (counter) counter.textContent = `${JY.text(root, "viewers")} ${peers.size}`; };

  async function connectViewer(viewerId) {
    if (!stream) return;
    if (peers.has(viewerId)) peers.get(viewerId).close();
    const peer = JY.peer(iceServers, ++attempts, (message) => socket.send({ ...message, to: viewerId }), () => {});
    stream.getTracks().forEach((track) => peer.pc.addTrack(track, stream));
    peers.set(viewerId, peer);
    count();
    await peer.offer();
  }

  async function startPresenting(kind) {
    try {
      stream = kind === "screen"
        ? await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true })
        : await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    } catch (error) {
      fail(JY.text(root, "no-camera"));
      return;
    }
    video.srcObject = stream;
    show("live");
    socket.send({ type: "live" });
  }

  function stopPresenting() {
    socket.send({ type: "ended" });
    peers.forEach((peer) => peer.close());
    peers.clear();
    count();
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    show("ended");
  }

  async function presenterSignal(message) {
    const peer = peers.get(message.from);
    const current = peer && message.attempt === peer.attempt;
    if (message.type === "join") await connectViewer(message.from);
    else if (message.type === "answer" && current) await peer.accept(message.sdp);
    else if (message.type === "candidate" && current) await peer.candidate(message.candidate);
    else if (message.type === "bye" && peer) { peer.close(); peers.delete(message.from); count(); }
  }

  // ---- the viewer's side
  let viewerPeer = null;

  async function viewerSignal(message) {
    if (message.type === "live") {
      socket.send({ type: "join" });
    } else if (message.type === "offer" && message.to === me) {
      if (viewerPeer) viewerPeer.close();
      viewerPeer = JY.peer(iceServers, message.attempt, (signal) => socket.send(signal), (remote) => {
        video.srcObject = remote;
        show("live");
      });
      await viewerPeer.accept(message.sdp);
    } else if (message.type === "candidate" && message.to === me && viewerPeer && message.attempt === viewerPeer.attempt) {
      await viewerPeer.candidate(message.candidate);
    } else if (message.type === "ended") {
      if (viewerPeer) viewerPeer.close();
      viewerPeer = null;
      video.srcObject = null;
      show("ended");
    }
  }

  function playStream() {
    if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = hlsUrl;
    } else if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls();
      hls.loadSource(hlsUrl);
      hls.attachMedia(video);
    }
    show("live");
  }

  socket = JY.socket(root.dataset.socket, {
    open: () => { if (!presenter && !hlsUrl) socket.send({ type: "join" }); },
    message: async (message) => {
      if (message.type === "question") return showQuestion(message);
      if (message.type === "error") return fail(message.detail);
      if (message.from === me || hlsUrl) return undefined;
      return presenter ? presenterSignal(message) : viewerSignal(message);
    },
    close: (event) => { if (event.code >= 4000) fail(JY.text(root, "refused")); },
  });
  if (hlsUrl) playStream();
  root.querySelectorAll("[data-start]").forEach((button) => button.addEventListener("click", () => startPresenting(button.dataset.start)));
  const stop = root.querySelector("[data-stop]");
  if (stop) stop.addEventListener("click", stopPresenting);
  window.addEventListener("pagehide", () => { if (!presenter) socket.send({ type: "bye" }); });
})();
