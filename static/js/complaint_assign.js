// A complaint's assign and hand-over forms: the person list offers only the chosen
// department's people (its optgroup). Without the script every department's people are
// listed under their department, and the server still refuses a person of another one.
(function () {
  "use strict";
  document.querySelectorAll("select[data-department-field]").forEach(function (people) {
    var department = document.getElementById(people.getAttribute("data-department-field"));
    if (!department) return;
    function narrow() {
      var label = department.value ? department.options[department.selectedIndex].text : "";
      people.querySelectorAll("optgroup").forEach(function (group) {
        var shown = !label || group.label === label;
        group.hidden = !shown;
        group.disabled = !shown;
      });
      var chosen = people.options[people.selectedIndex];
      if (chosen && chosen.parentElement.disabled) people.value = "";
    }
    department.addEventListener("change", narrow);
    narrow();
  });
})();
