// bpc index: sort the table by a column (click its heading; click again to reverse).
(function () {
  "use strict";
  var table = document.getElementById("r-index");
  if (!table) { return; }
  var body = table.tBodies[0];
  table.querySelectorAll("th[data-column]").forEach(function (th) {
    th.querySelector("button").addEventListener("click", function () {
      var column = Number(th.getAttribute("data-column"));
      var numeric = th.getAttribute("data-numeric") === "true";
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[aria-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].getAttribute("data-sort");
        var y = b.cells[column].getAttribute("data-sort");
        var order;
        if (numeric) {
          var nx = x === "" ? Infinity : Number(x);
          var ny = y === "" ? Infinity : Number(y);
          order = nx === ny ? 0 : (nx < ny ? -1 : 1);
        } else {
          order = x.localeCompare(y);
        }
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
