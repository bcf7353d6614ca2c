// Ideas: progressive enhancement only. Without this file every form posts and reloads the page.
// - support / follow buttons and comment forms post with fetch and update the page in place
//   (the server answers JSON when asked with Accept: application/json);
// - the district list shows only the chosen area's districts;
// - choosing an answer template fills the status form at once.
(function () {
  "use strict";

  function announce(message) {
    var region = document.querySelector("[data-async-status]");
    if (region) {
      region.textContent = "";
      window.setTimeout(function () { region.textContent = message; }, 50);
    }
  }

  function postForm(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) {
        throw new Error("not json");
      }
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  function fallback(form) {
    // Anything unexpected (expired form, rate limit, network): let the browser post normally.
    form.removeAttribute("data-enhanced");
    HTMLFormElement.prototype.submit.call(form);
  }

  function busy(form, state) {
    Array.prototype.forEach.call(form.querySelectorAll("button"), function (button) {
      button.disabled = state;
    });
  }

  function fromHTML(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function enhanceSupportBox(box) {
    Array.prototype.forEach.call(box.querySelectorAll("form[data-ideas-async]"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        busy(form, true);
        postForm(form).then(function (result) {
          if (!result.data.html) { return fallback(form); }
          var fresh = fromHTML(result.data.html);
          var wasFollow = form.classList.contains("follow-form");
          box.replaceWith(fresh);
          enhanceSupportBox(fresh);
          var focusTarget = fresh.querySelector(wasFollow ? ".follow-form button" : "form button");
          if (focusTarget) { focusTarget.focus(); }
          announce(result.data.message);
        }).catch(function () { fallback(form); });
      });
    });
  }

  function showFormMessage(form, messages) {
    var box = form.querySelector("[data-form-message]");
    if (!box) { return; }
    box.textContent = messages.join(" ");
    box.hidden = !messages.length;
    var textarea = form.querySelector("textarea");
    if (textarea) {
      if (messages.length) {
        if (!box.id) { box.id = (textarea.id || "comment") + "-message"; }
        textarea.setAttribute("aria-invalid", "true");
        textarea.setAttribute("aria-describedby", box.id);
        textarea.focus();
      } else {
        textarea.removeAttribute("aria-invalid");
      }
    }
  }

  function insertComment(form, data) {
    var node = fromHTML(data.html);
    var list;
    if (data.parent_id) {
      list = document.querySelector('[data-replies-for="' + data.parent_id + '"]');
      var item = document.createElement("li");
      item.appendChild(node);
      list.appendChild(item);
    } else {
      list = document.querySelector("[data-comment-list]");
      var thread = document.createElement("li");
      thread.className = "comment-thread";
      thread.appendChild(node);
      var replies = document.createElement("ol");
      replies.className = "replies";
      replies.setAttribute("data-replies-for", data.comment_id);
      thread.appendChild(replies);
      list.appendChild(thread);
    }
    var empty = document.querySelector("[data-no-comments]");
    if (empty) { empty.remove(); }
    var count = document.querySelector("[data-comment-count]");
    if (count) { count.textContent = "(" + data.comment_count + ")"; }
    node.setAttribute("tabindex", "-1");
    node.focus();
  }

  function enhanceCommentForm(form) {
    form.addEventListener("submit", function (event) {
      var textarea = form.querySelector("textarea");
      event.preventDefault();
      busy(form, true);
      postForm(form).then(function (result) {
        busy(form, false);
        if (result.data.ok) {
          showFormMessage(form, []);
          textarea.value = "";
          var details = form.closest("details");
          if (details) { details.open = false; }
          insertComment(form, result.data);
          announce(result.data.message);
        } else if (result.data.errors) {
          showFormMessage(form, result.data.errors);
        } else {
          fallback(form);
        }
      }).catch(function () { fallback(form); });
    });
  }

  function enhanceDistricts(select) {
    var area = document.getElementById("area");
    if (!area) { return; }
    function update() {
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        var match = group.getAttribute("data-area") === area.value;
        group.hidden = !match;
        group.disabled = !match;
      });
      var chosen = select.options[select.selectedIndex];
      if (chosen && chosen.parentElement.tagName === "OPTGROUP" && chosen.parentElement.disabled) {
        select.value = "";
      }
    }
    area.addEventListener("change", update);
    update();
  }

  function enhanceTemplatePicker(picker) {
    var form = document.querySelector("[data-status-form]");
    if (!form) { return; }
    picker.addEventListener("change", function () {
      var option = picker.options[picker.selectedIndex];
      if (!option || !option.value) { return; }
      var status = form.querySelector("#status");
      var reason = form.querySelector("#reason");
      if (status) { status.value = option.getAttribute("data-status"); }
      if (reason) { reason.value = option.getAttribute("data-text"); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.fetch && window.FormData) {
      var box = document.querySelector("[data-support-box]");
      if (box) { enhanceSupportBox(box); }
      Array.prototype.forEach.call(document.querySelectorAll("form[data-comment-form]"),
        enhanceCommentForm);
    }
    var districts = document.querySelector("[data-district-select]");
    if (districts) { enhanceDistricts(districts); }
    var picker = document.querySelector("[data-status-template]");
    if (picker) { enhanceTemplatePicker(picker); }
  });
})();
