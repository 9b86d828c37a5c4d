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
  // <form data-confirm="..."> asks before it is sent (withdraw, cancel, void).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    var submitter = event.submitter;
    if (submitter && submitter.hasAttribute("data-confirm")) message = submitter.getAttribute("data-confirm");
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);
})();
