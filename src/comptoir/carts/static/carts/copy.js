// "Copy the link" buttons: <button data-copy="input-id">; shown only where the clipboard can be used.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-copy]").forEach((button) => {
    const field = document.getElementById(button.dataset.copy);
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(field.value);
      const status = button.parentElement.querySelector(".copied");
      if (status) status.hidden = false;
    });
  });
});
