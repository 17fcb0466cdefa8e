// Phones: the header's links fold behind one menu button, so the page starts right under a one-row header.
(() => {
  const header = document.querySelector(".topbar");
  const button = header && header.querySelector(".menu-button");
  if (!button) return;

  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  };

  header.classList.add("has-menu");
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
