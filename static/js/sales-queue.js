// County queue: one checkbox chooses every unverified line on this page for a bulk decision.
// Progressive enhancement only: without it the checkbox stays hidden and each line is ticked by hand.
(function () {
  "use strict";
  var all = document.getElementById("pick-all");
  var table = all && all.closest("table");
  if (!table) { return; }
  var boxes = Array.prototype.slice.call(table.querySelectorAll("tbody input[type=checkbox][name=sale_ids]"));
  if (!boxes.length) { return; }
  function reflect() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    reflect();
  });
  table.addEventListener("change", function (event) {
    if (event.target !== all && event.target.name === "sale_ids") { reflect(); }
  });
  reflect();
}());
