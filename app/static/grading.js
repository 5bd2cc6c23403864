// The grading screen's running total: the sum of the levels chosen for each essay, as the
// assessor goes. Progressive: without JavaScript the total shown is the one last saved, and
// the server computes the grade itself from what is posted either way. Its words come from
// the page (`data-still-to-grade`), in the page's language.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-essay]"), function (essay) {
    var output = essay.querySelector("[data-total]");
    var note = essay.querySelector("[data-total-note]");
    if (!output) { return; }
    var stillToGrade = note ? note.getAttribute("data-still-to-grade") || "" : "";
    var groups = essay.querySelectorAll("fieldset.criterion");
    // Written as the page's language writes numbers (French "8,5"), like the server's total.
    var number = new Intl.NumberFormat(document.documentElement.lang || "en",
                                       { maximumFractionDigits: 3 });

    function update() {
      var total = 0, missing = 0;
      Array.prototype.forEach.call(groups, function (group) {
        var picked = group.querySelector("input[type=radio]:checked");
        if (picked) { total += Number(picked.getAttribute("data-points")); } else { missing += 1; }
      });
      output.textContent = number.format(Math.round(total * 100) / 100);
      if (note) { note.textContent = missing ? " " + stillToGrade : ""; }
    }

    essay.addEventListener("change", update);
    update();
  });
}());
