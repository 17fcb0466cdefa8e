// The chat between a graduate and an employer during an online fair.
(() => {
  const root = document.getElementById("fair-chat");
  if (!root) return;
  const me = Number(root.dataset.me);
  const log = root.querySelector("[data-log]");
  const form = root.querySelector("[data-send]");
  const errorBox = root.querySelector("[data-chat-error]");
  const socket = JY.socket(root.dataset.socket, {
    message: (message) => {
      if (message.type === "error") { errorBox.textContent = message.detail; errorBox.hidden = false; return; }
      if (message.type !== "chat") return;
      const item = document.createElement("li");
      if (message.from === me) item.className = "mine";
      const bubble = document.createElement("span");
      bubble.textContent = message.body;
      item.append(bubble);
      log.append(item);
      log.scrollTop = log.scrollHeight;
    },
    close: (event) => {
      if (event.code >= 4000) { errorBox.textContent = JY.text(root, "refused"); errorBox.hidden = false; }
    },
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = form.elements.body.value.trim();
    if (body) socket.send({ type: "chat", body });
    form.reset();
  });
})();
