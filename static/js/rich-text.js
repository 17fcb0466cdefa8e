// A small rich-text editor over the notice's textarea: the textarea stays the form field (and works without
// JavaScript); the server sanitises whatever arrives.
(() => {
  document.querySelectorAll("[data-rich-text]").forEach((root) => {
    const textarea = root.querySelector("textarea");
    const editor = root.querySelector("[data-editor]");
    const toolbar = root.querySelector("[data-toolbar]");
    editor.innerHTML = textarea.value;
    editor.hidden = false;
    toolbar.hidden = false;
    textarea.hidden = true;
    textarea.required = false;
    const sync = () => { textarea.value = editor.innerHTML; };
    editor.addEventListener("input", sync);
    toolbar.querySelectorAll("[data-command]").forEach((button) => {
      button.addEventListener("click", () => {
        let value = button.dataset.value || null;
        if (button.dataset.prompt) {
          value = window.prompt(button.dataset.prompt, "https://");
          if (!value) return;
        }
        editor.focus();
        document.execCommand(button.dataset.command, false, value);
        sync();
      });
    });
    root.closest("form").addEventListener("submit", sync);
  });
})();
