// The enterprise portal's month form: 本年累计 and 同比 follow what is typed.
(function () {
  var table = document.getElementById("portal-table");
  if (!table) return;
  // as the shared |number filter: thousands separated, whole values without decimals, else two
  var format = function (n) {
    var places = Number.isInteger(n) ? 0 : 2;
    return n.toLocaleString("zh-CN", {minimumFractionDigits: places, maximumFractionDigits: places});
  };
  var number = function (text) {
    var t = (text || "").replace(/[,，\s]/g, "");
    return t === "" || isNaN(Number(t)) ? null : Number(t);
  };
  function update(row) {
    var inputs = row.querySelectorAll("input");
    var month = number(inputs[0] && inputs[0].value);
    var typedYtd = inputs.length > 1 ? number(inputs[1].value) : null;
    var ytd = null;
    if (row.dataset.stock) ytd = month;
    else if (typedYtd !== null) ytd = typedYtd;
    else if (row.dataset.base !== undefined && month !== null) ytd = Number(row.dataset.base) + month;
    var ytdCell = row.querySelector(".js-ytd");
    if (ytdCell && ytd !== null) ytdCell.textContent = format(ytd);
    var growth = row.querySelector(".js-growth");
    var last = row.dataset.last !== undefined ? Number(row.dataset.last) : null;
    if (growth && ytd !== null && last > 0) {
      var g = (ytd / last - 1) * 100;
      growth.textContent = (g > 0 ? "+" : "") + g.toFixed(1) + "%";
      growth.className = "js-growth " + (g >= 0 ? "up" : "down");
    }
  }
  table.querySelectorAll("tbody tr").forEach(function (row) {
    row.querySelectorAll("input").forEach(function (input) {
      input.addEventListener("input", function () { update(row); });
    });
  });
})();
