// The ballot without page reloads. Progressive enhancement only: without this file every
// button is a plain form post that the server answers with the updated ballot page.
(function () {
  "use strict";
  var ballot = document.querySelector("[data-ballot]");
  if (!ballot || !window.fetch || !window.DOMParser || !window.FormData) { return; }

  function replaceAll(selector, doc) {
    var current = document.querySelectorAll(selector);
    var fresh = doc.querySelectorAll(selector);
    if (current.length !== fresh.length) { return false; }
    for (var i = 0; i < current.length; i++) {
      current[i].replaceWith(document.importNode(fresh[i], true));
    }
    return true;
  }

  function showMessages(doc) {
    var current = document.querySelector(".flashes");
    var fresh = doc.querySelector(".flashes");
    if (current) { current.remove(); }
    if (fresh) { ballot.parentNode.insertBefore(document.importNode(fresh, true), ballot); }
  }

  function refocus(itemId) {
    var item = itemId && document.getElementById(itemId);
    if (!item) { return; }
    var button = item.querySelector("button:not([disabled])");
    (button || item.querySelector("h2")).focus({preventScroll: true});
  }

  ballot.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (!form.classList.contains("pb-item-form") || !submitter) { return; }
    event.preventDefault();
    var data = new FormData(form);
    data.append(submitter.name, submitter.value);
    var item = form.closest(".pb-item");
    var itemId = item ? item.id : null;
    // getAttribute: the buttons are named "action", which shadows form.action.
    var target = form.getAttribute("action");
    ballot.setAttribute("aria-busy", "true");
    fetch(target, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok || response.url.indexOf(target) === -1) {
          window.location.assign(response.url);
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null) { return; }
        var doc = new DOMParser().parseFromString(html, "text/html");
        var total = document.getElementById("pb-total");
        var freshTotal = doc.getElementById("pb-total");
        if (!total || !freshTotal || !replaceAll("[data-ballot-list]", doc)) {
          window.location.reload();
          return;
        }
        total.innerHTML = freshTotal.innerHTML;  // in place, so screen readers hear it
        replaceAll("[data-review-slot]", doc);
        showMessages(doc);
        refocus(itemId);
      })
      .catch(function () {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = submitter.name;
        hidden.value = submitter.value;
        form.appendChild(hidden);
        form.submit();
      })
      .then(function () { ballot.removeAttribute("aria-busy"); });
  });
})();
