/*
 * Samen — the live meeting board: the chair's console, the participant's view and the projector.
 *
 * The server renders every page complete, with a plain form for every control, and renders every change the same
 * way: this script joins the Socket.IO namespace /live with the page's view, and the server sends each change as
 * the board's regions rendered from the same Jinja macros (samen/meetings/regions.py; docs/live-board.md). The
 * script swaps them in by id, keeps the keyboard focus where it was, shows and hides controls by the board's state
 * words (data-when), counts the timer down and announces news in a polite live region. It builds no markup.
 *
 * Every event carries the board's version (tallies their own `seq`): one more than one ahead means something was
 * missed, so the script joins again, and the server sends the regions as they stand. A control's form is sent as
 * its socket event instead of being posted; an idea, a vote or a hand sent while the connection is down waits and
 * is sent once the connection is back; the idea being typed survives a reload (sessionStorage).
 */
(function () {
  "use strict";

  var dataElement = document.getElementById("board-data");
  var root = document.getElementById("board");
  if (!dataElement || !root || typeof window.io !== "function") {
    return;
  }

  var config = JSON.parse(dataElement.textContent);
  var S = config.strings;
  var meetingId = config.meeting_id;
  var version = config.version;
  var seq = config.seq;
  var flags = config.flags || [];
  var handRaised = !!config.hand_raised;
  var lang = document.documentElement.lang || "nl";
  var TIMEOUT = 10000;
  var GAP_WAIT = 1000;
  var DRAFT_KEY = "samen-board-idea-" + meetingId;
  var FOCUSABLE = "button, input:not([type=hidden]), select, textarea, summary, a[href]";

  var statusElement = document.getElementById("board-connection");
  var announcer = document.getElementById("board-announce");
  var csrfInput = document.querySelector("input[name=csrf_token]");
  var csrf = csrfInput ? csrfInput.value : "";

  var socket = null;
  var joined = false;
  var joining = false;
  var joins = 0;
  var pending = []; // commands waiting for the connection: [{form, event, payload}]
  var waiting = []; // board events that came early: [{version, data}]
  var gapTimer = null;

  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)[sd]/g, function (match, key) {
      return values[key] === undefined ? match : String(values[key]);
    });
  }

  function announce(text) {
    if (!announcer || !text) {
      return;
    }
    announcer.textContent = ""; // cleared first, so that the same news twice is announced twice
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 50);
  }

  function markVersion() {
    root.setAttribute("data-version", String(version)); // for the curious (and the browser tests)
    root.setAttribute("data-joins", String(joins));
  }

  // ------------------------------------------------------------------ which controls show (data-when)

  function stateWords() {
    var words = {};
    flags.forEach(function (word) {
      if (word.indexOf("hand-") !== 0) {
        words[word] = true;
      }
    });
    words[handRaised ? "hand-up" : "hand-down"] = true; // a person's own hand is theirs, not the audience's
    return words;
  }

  function holdsText(element) {
    return Array.prototype.some.call(element.querySelectorAll("input[type=text], textarea"), function (field) {
      return field.value.trim() !== "";
    });
  }

  function applyWhen() {
    var words = stateWords();
    root.querySelectorAll("[data-when]").forEach(function (element) {
      var show = element.getAttribute("data-when").split(/\s+/).every(function (word) {
        return !word || words[word];
      });
      // A form with text typed in it stays (an idea being written when the chair closes the round).
      element.hidden = !show && !holdsText(element);
    });
  }

  // ------------------------------------------------------------------ swapping rendered regions in

  function focusKey(element) {
    if (!element || element === document.body) {
      return null;
    }
    return { id: element.id, name: element.getAttribute("name"), value: element.getAttribute("value") };
  }

  function refocus(fresh, key) {
    var target = key.id ? document.getElementById(key.id) : null;
    if (!target && key.name) {
      target = Array.prototype.find.call(fresh.querySelectorAll("[name]"), function (element) {
        return element.getAttribute("name") === key.name && element.getAttribute("value") === key.value;
      });
    }
    if (!target || target.closest("[hidden]")) {
      target = Array.prototype.find.call(fresh.querySelectorAll(FOCUSABLE), function (element) {
        return !element.closest("[hidden]");
      });
    }
    if (target) {
      target.focus();
    }
  }

  /* Put rendered regions in place of the elements with the same ids. An element marked data-keep stays as it is
     while its key is unchanged (the vote form of the same open ballot: a half-made choice stays), unless the
     regions are the person's own (`own`: an answer to their vote, a join). */
  function swap(html, own) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var active = document.activeElement;
    Array.prototype.slice.call(template.content.children).forEach(function (fresh) {
      var old = fresh.id ? document.getElementById(fresh.id) : null;
      if (!old) {
        return;
      }
      if (!own) {
        if (fresh.hasAttribute("data-keep") && fresh.getAttribute("data-keep") === old.getAttribute("data-keep")) {
          return;
        }
        fresh.querySelectorAll("[data-keep][id]").forEach(function (node) {
          var mine = document.getElementById(node.id);
          if (mine && old.contains(mine) && mine.getAttribute("data-keep") === node.getAttribute("data-keep")) {
            node.replaceWith(mine);
          }
        });
      }
      fresh.querySelectorAll("input[name=csrf_token]").forEach(function (input) {
        input.value = csrf; // rendered once for everyone: the page's own token goes in
      });
      var key = active && old.contains(active) ? focusKey(active) : null;
      old.replaceWith(fresh);
      if (key) {
        refocus(fresh, key);
      }
    });
  }

  function swapAll(regions, own) {
    Object.keys(regions || {}).forEach(function (name) {
      swap(regions[name], own);
    });
    applyWhen();
    startTimer();
  }

  // ------------------------------------------------------------------ the timer counts down here

  var timerEnds = null;
  var timerTick = null;

  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  /* From the seconds remaining when the server said so (the page's own clock may be off). */
  function startTimer() {
    var timer = document.getElementById("board-timer");
    if (!timer || timer.getAttribute("data-counted") === "true") {
      return;
    }
    timer.setAttribute("data-counted", "true");
    var remaining = parseInt(timer.getAttribute("data-remaining") || "0", 10);
    timerEnds = timer.getAttribute("data-running") === "true" ? Date.now() + remaining * 1000 : null;
    if (timerEnds && !timerTick) {
      timerTick = window.setInterval(showTime, 250);
    }
  }

  function showTime() {
    var clockElement = document.getElementById("board-timer-clock");
    if (!timerEnds || !clockElement) {
      window.clearInterval(timerTick);
      timerTick = null;
      return;
    }
    var left = Math.max(0, Math.round((timerEnds - Date.now()) / 1000));
    clockElement.textContent = clock(left);
    if (left === 0) {
      timerEnds = null;
      var stateElement = document.getElementById("board-timer-state");
      if (stateElement) {
        stateElement.textContent = S.timer_up;
      }
      announce(S.time_up); // once, and in words
    }
  }

  // ------------------------------------------------------------------ the connection

  function setStatus(name, text) {
    if (!statusElement) {
      return;
    }
    statusElement.setAttribute("data-state", name);
    var label = statusElement.querySelector(".board-connection__text");
    if (label) {
      label.textContent = text || S[name];
    }
  }

  function join() {
    if (joining || !socket.connected) {
      return;
    }
    joining = true;
    joined = false;
    var hello = { meeting_id: meetingId, view: config.view, version: version, seq: seq };
    socket.timeout(TIMEOUT).emit("join", hello, function (error, ack) {
      joining = false;
      if (error) {
        if (socket.connected) {
          window.setTimeout(join, 1000 + Math.random() * 2000);
        }
        return;
      }
      if (!ack || !ack.ok) {
        setStatus("failed", ack && ack.error ? ack.error.message : S.disconnected);
        return;
      }
      if (flags.indexOf("can-participate") >= 0 && (ack.flags || []).indexOf("can-participate") < 0) {
        window.location.reload(); // no longer a participant (a removed guest): the page shows what is left
        return;
      }
      waiting = [];
      window.clearTimeout(gapTimer);
      gapTimer = null;
      version = ack.version;
      seq = ack.seq;
      flags = ack.flags || flags;
      handRaised = !!ack.hand_raised;
      joined = true;
      joins += 1;
      markVersion();
      swapAll(ack.regions, true);
      setStatus("connected");
      sendPending();
    });
  }

  function apply(data) {
    if (data.kind === "tally") {
      seq = data.seq;
    } else {
      version = data.version;
      flags = data.flags || flags;
    }
    markVersion();
    swapAll(data.regions, false);
    announce(data.announce);
  }

  /* An event one ahead is applied, one of the same version too (presence), an older one is stale. One further
     ahead waits up to a second for the missing ones (two server processes can cross); then the page joins again.
     Tallies are ordered by their own seq. */
  function receive(data) {
    if (!joined || !data) {
      return;
    }
    if (data.kind === "tally") {
      if (seq === null || seq === undefined || data.seq > seq) {
        apply(data);
      }
      return;
    }
    if (data.version === version + 1 || data.version === version) {
      apply(data);
      drain();
    } else if (data.version > version + 1) {
      waiting.push(data);
      if (!gapTimer) {
        gapTimer = window.setTimeout(function () {
          gapTimer = null;
          waiting = [];
          join();
        }, GAP_WAIT);
      }
    }
  }

  function drain() {
    waiting.sort(function (a, b) { return a.version - b.version; });
    while (waiting.length && waiting[0].version <= version + 1) {
      var next = waiting.shift();
      if (next.version >= version) {
        apply(next);
      }
    }
    if (!waiting.length && gapTimer) {
      window.clearTimeout(gapTimer);
      gapTimer = null;
    }
  }

  function connect() {
    socket = window.io("/live", { query: { lang: lang } });
    socket.on("connect", function () {
      setStatus("connecting");
      join();
    });
    socket.on("disconnect", function (reason) {
      joined = false;
      setStatus("disconnected");
      if (reason === "io server disconnect") { // the server ended it (a restart): reconnecting is ours to do
        window.setTimeout(function () {
          socket.connect();
        }, 1000 + Math.random() * 2000);
      }
    });
    socket.on("connect_error", function () {
      setStatus("disconnected");
    });
    socket.on("board", receive);
    // This process missed broadcasts while its message queue was away (samen/core/live_queue.py): join again,
    // with the page's version and seq, and get the regions that changed, as after a reconnection.
    socket.on("resync", function () {
      join();
    });
  }

  // ------------------------------------------------------------------ sending the controls

  function field(form, name) {
    var element = form.elements[name];
    return element ? String(element.value || "").trim() : "";
  }

  function whole(text) {
    return /^-?\d+$/.test(text) ? parseInt(text, 10) : NaN;
  }

  /* The socket event's payload from a control's form — the same one samen/meetings/board.py builds. */
  function payloadOf(event, form, submitter) {
    var payload = {};
    if (event === "agenda:goto") {
      payload.index = whole(field(form, "index"));
    } else if (event === "ballot:open" && field(form, "kind") === "dots") {
      payload.idea_ids = Array.prototype.filter.call(form.querySelectorAll("input[name=idea_ids]"), function (box) {
        return box.checked;
      }).map(function (box) { return whole(box.value); });
      payload.dots = whole(field(form, "dots"));
    } else if (event === "ballot:open") {
      payload.question = field(form, "question");
    } else if (event === "timer:start" && form.elements.minutes && field(form, "minutes")) {
      payload.seconds = whole(field(form, "minutes")) * 60;
    } else if (event === "decision:record") {
      payload.text = field(form, "text");
      if (field(form, "action_title")) {
        payload.action = { title: field(form, "action_title"),
                           owner_id: field(form, "owner_id") ? whole(field(form, "owner_id")) : null,
                           due_date: field(form, "due_date") || null };
      }
    } else if (event === "idea:submit") {
      payload.title = field(form, "title");
      payload.body = field(form, "body");
    } else if (event === "idea:merge") {
      payload.idea_id = whole(field(form, "idea_id"));
      payload.into_id = whole(field(form, "into_id"));
    } else if (event === "inbox:assign") {
      payload.inbox_id = whole(field(form, "inbox_id"));
      payload.thinktank = field(form, "thinktank");
    } else if (event === "ballot:vote") {
      payload.ballot_id = whole(field(form, "ballot_id"));
      if (form.getAttribute("data-kind") === "question") {
        // One tap votes: the answer is the button that sent the form.
        payload.choice = submitter && submitter.name === "choice" ? submitter.value : null;
      } else {
        payload.dots = {};
        form.querySelectorAll("input[name^='dots-']").forEach(function (input) {
          var n = whole(String(input.value || "0").trim() || "0");
          if (n) {
            payload.dots[input.name.slice(5)] = n;
          }
        });
      }
    } else if (event === "hand:lower" && form.elements.user_id) {
      payload.user_id = whole(field(form, "user_id"));
    } else if ((event === "hand:lower" || event === "guest:remove") && form.elements.guest_id) {
      payload.guest_id = whole(field(form, "guest_id"));
    }
    return payload;
  }

  function showLine(form, selector, text) {
    var line = form.querySelector(selector);
    if (line) {
      line.textContent = text || "";
      if (selector === ".board-control__error") {
        line.hidden = !text;
      }
    }
  }

  /* A form waiting for its answer ignores another press; its button keeps the focus (no `disabled`). */
  function busy(form, on) {
    form.setAttribute("aria-busy", on ? "true" : "false");
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", on ? "true" : "false");
    });
  }

  /* Commands that wait for the connection instead of failing: what a phone sends is never lost. */
  var QUEUED = { "idea:submit": true, "ballot:vote": true, "hand:raise": true, "hand:lower": true };
  var sending = false; // the queue goes out one command at a time, in order
  var queued = false; // something waited: say so when all of it is confirmed

  /* Every command carries an id of its own: sent again (after a lost answer, a second press, a reconnect) it is
     answered as the first time and changes nothing on the server (docs/live-protocol.md, "Exactly once"). */
  function commandId() {
    var random = window.crypto && window.crypto.getRandomValues ?
      Array.prototype.map.call(window.crypto.getRandomValues(new Uint32Array(2)), function (n) {
        return n.toString(36);
      }).join("") : String(Math.random()).slice(2);
    return Date.now().toString(36) + "-" + random;
  }

  function showQueue() {
    var line = document.getElementById("board-queue");
    if (line) {
      line.textContent = pending.length ? fmt(pending.length === 1 ? S.waiting_one : S.waiting_many,
                                              { num: pending.length }) : "";
      line.hidden = !pending.length;
    }
  }

  function enqueue(form, event, payload) {
    pending = pending.filter(function (entry) { return entry.form !== form; }); // the latest of a form counts
    pending.push({ form: form, event: event, payload: payload });
    queued = true;
    showLine(form, ".board-control__status", S.queued);
    showLine(form, ".board-control__error", event === "idea:submit" ? "" : S.queued);
    showQueue();
  }

  function send(form, event, payload) {
    showLine(form, ".board-control__error", "");
    if (!socket || !socket.connected || !joined || sending) {
      enqueue(form, event, payload);
      return;
    }
    sending = true;
    busy(form, true);
    showLine(form, ".board-control__status", S.sending);
    socket.timeout(TIMEOUT).emit(event, payload, function (error, ack) {
      sending = false;
      busy(form, false);
      showLine(form, ".board-control__status", "");
      if (error) {
        // No answer: the command may have been done. It keeps its id, so sending it again is safe.
        if (QUEUED[event]) {
          enqueue(form, event, payload);
        } else {
          var same = JSON.parse(JSON.stringify(payload));
          delete same.id;
          form.lastCommand = { key: event + JSON.stringify(same), id: payload.id };
          showLine(form, ".board-control__error", S.timeout);
        }
      } else if (!ack || !ack.ok) {
        showLine(form, ".board-control__error",
                 fmt(S.error, { message: ack && ack.error ? ack.error.message : "?" }));
      } else {
        form.lastCommand = null;
        done(form, event, payload, ack);
      }
      sendPending();
    });
  }

  function sendPending() {
    if (!pending.length || sending || !socket || !socket.connected || !joined) {
      return;
    }
    var next = pending.shift();
    showQueue();
    send(next.form, next.event, next.payload); // also when the form was swapped meanwhile: the vote counts
  }

  /* A control that did its work often hides itself (the "close the vote" button, once the vote is closed): keep
     the keyboard where it was — on the next visible control of the same panel, else on its heading. */
  function keepFocus(form) {
    window.setTimeout(function () {
      var active = document.activeElement;
      if (active && active !== document.body && document.body.contains(active) && !active.closest("[hidden]")) {
        return;
      }
      var own = form.querySelector("button[type=submit]");
      if (own && document.body.contains(form) && !form.closest("[hidden]")) {
        own.focus();
        return;
      }
      var panel = form.boardPanel || root;
      if (!document.body.contains(panel)) {
        panel = root;
      }
      var next = Array.prototype.find.call(panel.querySelectorAll(FOCUSABLE), function (control) {
        return !control.disabled && !control.closest("[hidden]") && control.getClientRects().length > 0;
      });
      var heading = panel.querySelector("h2, h3");
      if (!next && heading) {
        heading.setAttribute("tabindex", "-1");
        next = heading;
      }
      if (next) {
        next.focus();
      }
    }, 50);
  }

  function done(form, event, payload, ack) {
    keepFocus(form);
    var line = document.getElementById("board-queue");
    if (queued && !pending.length && line) {
      queued = false;
      line.textContent = S.confirmed; // what waited has been sent, and the server confirmed it
      line.hidden = false;
    }
    if (event === "idea:submit") {
      form.reset();
      forgetDraft();
      applyWhen();
      showLine(form, ".board-control__status", S.idea_sent);
      announce(S.idea_sent);
    } else if (event === "ballot:vote") {
      form.querySelectorAll("button[name=choice]").forEach(function (button) {
        button.setAttribute("aria-pressed", button.value === payload.choice ? "true" : "false");
      });
      swapAll(ack.regions, true); // the voter's own form and "your vote", rendered by the server
      announce(S.vote_saved);
    } else if ((event === "hand:raise" || event === "hand:lower") &&
               (!payload.user_id || payload.user_id === config.user_id)) {
      handRaised = event === "hand:raise";
      applyWhen();
    } else if (event === "ballot:open" || event === "decision:record" || event === "idea:merge") {
      form.reset();
    }
  }

  root.addEventListener("submit", function (submitEvent) {
    var form = submitEvent.target;
    var event = form.getAttribute && form.getAttribute("data-event");
    if (!event || (!QUEUED[event] && (!socket || !socket.connected || !joined))) {
      return; // no live connection: the form posts as it would without this script (a chair's command still works)
    }
    submitEvent.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return;
    }
    form.boardPanel = form.closest(".board-panel"); // the form may be swapped before its answer comes
    var payload = payloadOf(event, form, submitEvent.submitter);
    // Pressed again after "no answer from the server", unchanged: the same command, with the same id.
    var key = event + JSON.stringify(payload);
    payload.id = form.lastCommand && form.lastCommand.key === key ? form.lastCommand.id : commandId();
    if (event === "ballot:vote" && payload.dots) {
      var total = Object.keys(payload.dots).reduce(function (sum, key) { return sum + payload.dots[key]; }, 0);
      var most = whole(form.getAttribute("data-dots") || "0");
      if (total > most) {
        showLine(form, ".board-control__error", fmt(S.too_many_dots, { max: most }));
        return;
      }
    }
    send(form, event, payload);
  });

  // ------------------------------------------------------------------ the idea draft survives a reload

  function forgetDraft() {
    try {
      window.sessionStorage.removeItem(DRAFT_KEY);
    } catch (ignored) { /* storage may be off: the form still holds the text */ }
  }

  function keepDrafts() {
    var form = root.querySelector("form[data-event='idea:submit']");
    if (!form) {
      return;
    }
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(DRAFT_KEY) || "null");
      if (saved && !form.elements.title.value && !form.elements.body.value) {
        form.elements.title.value = saved.title || "";
        form.elements.body.value = saved.body || "";
      }
    } catch (ignored) { /* nothing saved, or storage off */ }
    form.addEventListener("input", function () {
      try {
        window.sessionStorage.setItem(DRAFT_KEY, JSON.stringify({ title: form.elements.title.value,
                                                                 body: form.elements.body.value }));
      } catch (ignored) { /* storage full or off */ }
    });
  }

  // ------------------------------------------------------------------ start

  root.classList.add("board--scripted");
  markVersion();
  keepDrafts();
  startTimer();
  setStatus("connecting");
  connect();
})();
