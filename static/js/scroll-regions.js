// A table wider than the screen scrolls inside its box; keyboard users must be able to reach that box to scroll it,
// and screen readers hear what it is (the label comes from <body data-scroll-label>, in the page's language).
(() => {
  const label = () => document.body.dataset.scrollLabel || "";

  const markScrollRegions = () => {
    document.querySelectorAll(".table-wrap").forEach((box) => {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label());
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
      }
    });
  };

  document.addEventListener("DOMContentLoaded", markScrollRegions);
  document.addEventListener("htmx:afterSettle", markScrollRegions);
  window.addEventListener("resize", markScrollRegions);
})();
