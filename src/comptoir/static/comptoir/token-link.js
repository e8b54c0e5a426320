// Links that hold a secret (a shared cart, an invitation) carry it in the fragment: /path/#<token>.
// Browsers never send the fragment, so no server or proxy log holds it. This page takes it out of
// the address bar and the history, then hands it to the server in a POST body.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-token-from-fragment]");
  const token = window.location.hash.slice(1);
  if (!form || !token) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.link.value = token;
  form.submit();
});
