// Pipeline board: drag a card to another column to move the deal through the API's rules.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var dialogEl = document.getElementById("gd-dialog");
  var dialog = bootstrap.Modal.getOrCreateInstance(dialogEl);

  function board() { return document.getElementById("gd-board"); }

  function moveUrl(dealId) {
    return board().dataset.moveUrl.replace(/\/0\/move\/$/, "/" + dealId + "/move/");
  }

  function updateTotals(columns) {
    (columns || []).forEach(function (c) {
      var col = board().querySelector('.gd-column[data-stage-id="' + c.stage_id + '"]');
      if (!col) { return; }
      col.querySelector('[data-role="count"]').textContent = c.count;
      col.querySelector('[data-role="amount"]').textContent = c.amount;
    });
  }

  function placeCard(dealId, stageId, html) {
    var card = board().querySelector('[data-deal-id="' + dealId + '"]');
    if (card && html) {  // the card drawn again, with the values the move dialog gave
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var drawn = holder.querySelector(".gd-deal-card");
      if (drawn) { card.replaceWith(drawn); card = drawn; }
    }
    var target = board().querySelector('.gd-cards[data-stage-id="' + stageId + '"]');
    if (card && target) { target.insertBefore(card, target.firstChild); card.classList.add("just-moved"); }
  }

  function revert(evt) {
    var ref = evt.from.children[evt.oldIndex] || null;
    evt.from.insertBefore(evt.item, ref);
  }

  function showError(message) {
    var box = document.getElementById("gd-board-error");
    box.textContent = message;
    box.classList.remove("d-none");
    setTimeout(function () { box.classList.add("d-none"); }, 6000);
  }

  function onEnd(evt) {
    if (evt.from === evt.to) { return; }
    var dealId = evt.item.dataset.dealId;
    var stageId = evt.to.dataset.stageId;
    var body = new URLSearchParams({ stage_id: stageId });
    evt.item.classList.add("is-moving");
    fetch(moveUrl(dealId), {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      evt.item.classList.remove("is-moving");
      var type = response.headers.get("Content-Type") || "";
      if (response.ok) {
        return response.json().then(function (data) { updateTotals(data.columns); });
      }
      revert(evt);
      if (response.status === 422 && type.indexOf("text/html") === 0) {
        return response.text().then(function (html) {
          var target = document.getElementById("gd-dialog-body");
          target.innerHTML = html;
          htmx.process(target);
          dialog.show();
        });
      }
      return response.json().then(function (data) { showError(data.detail || response.statusText); });
    }).catch(function () { revert(evt); showError(board().dataset.errorText || "Error"); });
  }

  function init() {
    board().querySelectorAll(".gd-cards").forEach(function (el) {
      if (el.dataset.sortable) { return; }
      el.dataset.sortable = "1";
      new Sortable(el, {
        group: "deals", animation: 150, draggable: ".gd-deal-card",
        ghostClass: "is-ghost", forceFallback: true, fallbackTolerance: 4,
        delay: 150, delayOnTouchOnly: true, onEnd: onEnd
      });
    });
  }

  document.body.addEventListener("dealMoved", function (event) {
    var d = event.detail;
    placeCard(d.deal_id, d.stage_id, d.card);
    updateTotals(d.columns);
    dialog.hide();
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && (event.detail.target.id === "gd-board" || event.detail.target.closest && event.detail.target.closest("#gd-board"))) { init(); }
  });
  init();
})();
