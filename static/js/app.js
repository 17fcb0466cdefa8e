// HTMX swaps 4xx/5xx responses too, so validation errors and readable error fragments reach the page.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status >= 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// Pages carry no inline script (the Content-Security-Policy forbids it); these behaviours are declared with data-*.
// <form data-confirm="question"> asks before it is sent.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// <button data-remove-closest="selector"> removes the nearest enclosing element matching the selector.
document.addEventListener("click", (event) => {
  const button = event.target.closest && event.target.closest("[data-remove-closest]");
  if (button) {
    button.closest(button.dataset.removeClosest)?.remove();
  }
});
