// A share link is /cart/shared/#<token>: the token sits in the fragment, which browsers never send,
// so no server or proxy log holds it. This page hands it to the server in a POST body, and takes it
// out of the address bar and the history first.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("open-shared-cart");
  const token = window.location.hash.slice(1);
  if (!form || !token) return;
  history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.link.value = token;
  form.submit();
});
