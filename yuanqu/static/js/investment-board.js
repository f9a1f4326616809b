// The investment board: dropping a card on another column posts the move through HTMX;
// the server records the stage event and answers with the redrawn board. A skip or a move
// back asks for the reason the rule requires.
(function () {
  let dragged = null;
  document.addEventListener("dragstart", (event) => {
    const card = event.target.closest && event.target.closest(".card[data-move-url]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.setData("text/plain", card.id);
    event.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", (event) => {
    if (dragged && event.target.closest(".column[data-stage]")) event.preventDefault();
  });
  document.addEventListener("dragend", () => {
    dragged = null;
  });
  document.addEventListener("drop", (event) => {
    const column = event.target.closest(".column[data-stage]");
    const card = dragged;
    dragged = null;
    if (!card || !column) return;
    event.preventDefault();
    const to = column.dataset.stage;
    if (to === card.dataset.stage) return;
    const values = { to: to };
    if (to !== card.dataset.next) {
      const reason = window.prompt("跳过或退回阶段须填写原因：");
      if (!reason) return;
      values.reason = reason;
    }
    htmx.ajax("POST", card.dataset.moveUrl, { target: "#board", swap: "outerHTML", values: values });
  });
})();
