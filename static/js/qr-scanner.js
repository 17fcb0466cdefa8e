// The door scanner: the phone's camera reads the ticket's QR code (BarcodeDetector where the browser has it,
// else the vendored jsQR) and posts it like the typed-code form, whose HTMX answer shows who was admitted.
(() => {
  const root = document.getElementById("scanner");
  if (!root) return;
  const video = document.getElementById("scanner-video");
  const canvas = document.getElementById("scanner-canvas");
  const form = root.querySelector("[data-code-form]");
  const start = root.querySelector("[data-scan]");
  const stop = root.querySelector("[data-stop]");
  let stream = null;
  let lastCode = "";
  let lastAt = 0;
  let detector = null;
  // Some browsers define BarcodeDetector without a QR decoder behind it (Linux desktops): ask before relying on it.
  if ("BarcodeDetector" in window) {
    window.BarcodeDetector.getSupportedFormats().then((formats) => {
      if (formats.includes("qr_code")) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    }).catch(() => {});
  }

  function submit(code) {
    const now = Date.now();
    if (code === lastCode && now - lastAt < 4000) return; // the same ticket held in front of the camera
    lastCode = code;
    lastAt = now;
    form.elements.code.value = code;
    form.requestSubmit();
  }

  async function decode() {
    if (detector) {
      const codes = await detector.detect(video).catch(() => []);
      return codes.length ? codes[0].rawValue : null;
    }
    if (!window.jsQR || !video.videoWidth) return null;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
    return found ? found.data : null;
  }

  async function scan() {
    if (!stream) return;
    const code = await decode();
    if (code) submit(code);
    setTimeout(scan, 250);
  }

  start.addEventListener("click", async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      document.getElementById("check-in-result").textContent = JY.text(root, "no-camera");
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    start.hidden = true;
    stop.hidden = false;
    await video.play();
    scan();
  });
  stop.addEventListener("click", () => {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    start.hidden = false;
    stop.hidden = true;
  });
})();
