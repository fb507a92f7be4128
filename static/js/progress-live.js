/*
 * Samen — live public progress pages.
 *
 * The page is complete without this script. With it, the page listens on the read-only Socket.IO namespace
 * /public (rooms named in #progress-live's data-rooms) and, when the server says that public data changed,
 * fetches the same URL again and swaps the content of <main>: focus stays on the same element (or goes to
 * <main> if that element is gone), open <details> stay open, and "Updated" is announced politely.
 * The server only ever pushes; this script sends nothing but its handshake.
 */
(function () {
  "use strict";

  var status = document.getElementById("progress-live");
  var main = document.getElementById("content");
  if (!status || !main || typeof window.io !== "function" || !window.fetch || !window.DOMParser) {
    return;
  }

  var rooms = (status.getAttribute("data-rooms") || "progress").split(/\s+/).filter(Boolean);
  var updatedText = status.getAttribute("data-updated") || "Updated";
  var DELAY = 1500; // several changes in a row (an update and its action) become one reload
  var timer = null;
  var loading = false;
  var again = false;

  function schedule() {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(function () {
      timer = null;
      if (document.hidden) {
        document.addEventListener("visibilitychange", onVisible);
      } else {
        reload();
      }
    }, DELAY);
  }

  function onVisible() {
    if (!document.hidden) {
      document.removeEventListener("visibilitychange", onVisible);
      reload();
    }
  }

  /* A way to find the focused element again in the new content: its id, or its place among equal links. */
  function focusKey(element) {
    if (!element || element === main || !main.contains(element)) {
      return null;
    }
    if (element.id) {
      return { id: element.id };
    }
    var href = element.getAttribute("href");
    if (href) {
      var same = main.querySelectorAll('a[href="' + CSS.escape(href) + '"]');
      return { href: href, index: Array.prototype.indexOf.call(same, element) };
    }
    return { inside: true };
  }

  function findAgain(key) {
    if (key.id) {
      return document.getElementById(key.id);
    }
    if (key.href) {
      var same = main.querySelectorAll('a[href="' + CSS.escape(key.href) + '"]');
      return same[key.index] || same[0] || null;
    }
    return null;
  }

  function openDetails() {
    var ids = [];
    main.querySelectorAll("details[open]").forEach(function (details, index) {
      var article = details.closest("[id]");
      ids.push(article ? article.id : "#" + index);
    });
    return ids;
  }

  function reopen(ids) {
    main.querySelectorAll("details").forEach(function (details, index) {
      var article = details.closest("[id]");
      if (ids.indexOf(article ? article.id : "#" + index) !== -1) {
        details.open = true;
      }
    });
  }

  function announce() {
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = updatedText;
    }, 100);
  }

  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var content = fresh.getElementById("content");
    if (!content) {
      return;
    }
    if (content.innerHTML === main.innerHTML) {
      return; // the change was not on this page (or the page was current already): nothing to announce
    }
    var key = focusKey(document.activeElement);
    var opened = openDetails();
    main.replaceChildren.apply(main, Array.prototype.map.call(content.childNodes, function (node) {
      return document.importNode(node, true);
    }));
    reopen(opened);
    if (fresh.title) {
      document.title = fresh.title;
    }
    if (key) {
      var target = findAgain(key) || main;
      target.focus({ preventScroll: true });
    }
    announce();
  }

  function reload() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    // "no-cache": the page may sit in the HTTP cache for a minute; ask the server, which answers 304 or news.
    window.fetch(window.location.href,
                 { credentials: "same-origin", cache: "no-cache", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html) {
          swap(html);
        }
      })
      .catch(function () { /* offline for a moment: the next change tries again */ })
      .then(function () {
        loading = false;
        if (again) {
          again = false;
          reload();
        }
      });
  }

  var socket = window.io("/public", { auth: { rooms: rooms } });
  var connected = false;
  socket.on("connect", function () {
    if (connected) {
      schedule(); // back after a break: changes may have been missed
    }
    connected = true;
  });
  socket.on("disconnect", function (reason) {
    if (reason === "io server disconnect") {
      // The server ended the connection (a restart, say): socket.io leaves reconnecting to us. Spread out, so
      // that every open page does not come back at the same moment.
      window.setTimeout(function () {
        socket.connect();
      }, 1000 + Math.random() * 2000);
    }
  });
  socket.on("progress", schedule);
  socket.on("resync", schedule); // this process missed updates while its message queue was away
})();
