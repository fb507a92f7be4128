// The main menu folds behind a "Menu" button on narrow screens, so that the closed header takes one line there.
// Without this script the menu simply stays open. The button says whether the menu is open (aria-expanded);
// Escape closes it and gives the focus back to the button.
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) {
    return;
  }
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("site-nav--closed", !open);
  }
  document.documentElement.classList.add("has-menu-toggle");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
}());
