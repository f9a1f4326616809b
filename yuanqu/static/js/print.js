// A "打印" button on a printable page (no inline handlers under the Content-Security-Policy).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
