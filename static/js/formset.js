// "Add a line" for Django formsets: <button data-formset-add="prefix"> clones <template id="prefix-empty">
// into [data-formset="prefix"] and counts it in prefix-TOTAL_FORMS. Without script the extra empty
// rows the page already has are enough; the button stays hidden.
(function () {
  "use strict";
  document.querySelectorAll("[data-formset-add]").forEach(function (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var prefix = button.getAttribute("data-formset-add");
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById(prefix + "-empty");
      var box = document.querySelector('[data-formset="' + prefix + '"]');
      if (!total || !template || !box) return;
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      box.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = box.lastElementChild && box.lastElementChild.querySelector("select, input");
      if (first) first.focus();
    });
  });
  // A paid line's unit price box shows the listed price of the item chosen (as a placeholder:
  // left empty, the listed price is charged).
  document.querySelectorAll("[data-prices]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-prices"));
    if (!source) return;
    var prices = JSON.parse(source.textContent);
    function show(select) {
      var row = select.closest(".paid-line");
      var price = row && row.querySelector("input[name$='-unit_price']");
      if (price) price.placeholder = prices[select.value] || "";
    }
    box.querySelectorAll("select[name$='-fee_item']").forEach(show);
    box.addEventListener("change", function (event) {
      if (event.target.matches("select[name$='-fee_item']")) show(event.target);
    });
  });
})();
