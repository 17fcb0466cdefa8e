// HTMX swaps 4xx/5xx responses too, so validation errors and readable error fragments reach the page.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status >= 400) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
