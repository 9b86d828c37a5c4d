// Small behaviours declared by data attributes: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
  // A page that comes back with form errors puts the keyboard on the first wrong field; its
  // message is tied to it by aria-describedby, so a screen reader reads it out (WCAG 3.3.1).
  document.addEventListener("DOMContentLoaded", function () {
    // Icons stand beside their words (templates keep it so): screen readers skip the glyphs.
    document.querySelectorAll("i.bi:not([aria-label]):not([aria-hidden])").forEach(function (icon) {
      icon.setAttribute("aria-hidden", "true");
    });
    var wrong = document.querySelector("main [aria-invalid=true], main .is-invalid");
    if (wrong && typeof wrong.focus === "function") wrong.focus();
  });
  // <form data-confirm="..."> asks before it is sent (withdraw, cancel, void).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-confirm")) message = submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
