// The ideas pages' script: supporting an idea without leaving the page. The support buttons are forms (templates/ideas/_macros.html)
// that work without this script: they post, and the page comes back at the same idea. With it, the form is
// sent in the background, asking for JSON (samen/ideas/blueprint.py, _support_state), and the answer is put in
// place: the buttons, the count, the member's supports used; the status is announced (role="status"), a
// refusal is shown next to the button, and the keyboard focus moves to the new button. When anything else
// comes back (a refusal page, a sign-in page, no connection), the form is posted the ordinary way.
(function () {
  "use strict";

  if (!window.fetch || !window.FormData) {
    return;
  }

  function announce(message) {
    var status = document.getElementById("support-status");
    if (status) {
      // Cleared first, so that the same message twice is announced twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  function showError(box, message) {
    var old = box.querySelector(".support-error");
    if (old) {
      old.parentNode.removeChild(old);
    }
    var error = document.createElement("p");
    error.className = "alert alert--error support-error";
    error.textContent = message;
    box.insertBefore(error, box.firstChild);
  }

  function apply(id, data) {
    var box = document.querySelector('[data-support-controls="' + id + '"]');
    if (box) {
      box.innerHTML = data.controls;
      if (!data.ok) {
        showError(box, data.message);
      }
      var button = box.querySelector("button");
      if (button) {
        button.focus();
      } else {
        box.setAttribute("tabindex", "-1");
        box.focus();
      }
    }
    var counts = document.querySelectorAll('[data-support-count="' + id + '"]');
    Array.prototype.forEach.call(counts, function (count) {
      count.textContent = count.getAttribute("data-count-form") === "long" ? data.count_long : data.count_short;
    });
    var used = document.querySelector("[data-supports-used]");
    if (used) {
      used.innerHTML = data.supports_used;
    }
    announce(data.message);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-support")) {
      return;
    }
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return;  // one request at a time per button
    }
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        throw new Error("not an answer for this script");
      }
      return response.json();
    }).then(function (data) {
      form.removeAttribute("aria-busy");
      apply(form.getAttribute("data-support"), data);
    }).catch(function () {
      form.removeAttribute("aria-busy");
      form.submit();  // the ordinary way: the page says what happened
    });
  });
}());
