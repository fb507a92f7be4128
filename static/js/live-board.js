/*
 * Samen — the live meeting board: the chair's console, the participant's view and the projector.
 *
 * The server renders each page complete from the board snapshot, with plain forms for every control; this
 * script makes it live. It joins the Socket.IO namespace /live, takes the snapshot from the `join` ack, and
 * keeps the page in step with the broadcast events (docs/live-protocol.md). Every event carries the board's
 * version: an event more than one ahead means something was missed, so the script joins again for a fresh
 * snapshot; the same happens after every reconnect. A control's form is sent as its socket event instead of
 * being posted; an idea typed while the connection is down stays in the form (and in sessionStorage, across a
 * reload) and is sent once the connection is back. The connection's state is said in words (aria-live).
 *
 * The markup built here mirrors templates/meetings/board/_macros.html: keep the two in step.
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
  var view = config.view;
  var meetingId = config.meeting_id;
  var state = view === "projector" ? publicBoard(config.board) : config.board;
  var lang = document.documentElement.lang || "nl";
  var TIMEOUT = 10000;
  var DRAFT_KEY = "samen-board-idea-" + meetingId;

  var statusElement = document.getElementById("board-connection");
  var announcer = document.getElementById("board-announce");
  var csrfInput = document.querySelector("input[name=csrf_token]");

  var socket = null;
  var joined = false;
  var joining = false;
  var joins = 0;
  var pending = []; // commands waiting for the connection: [{form, event, payload}]

  // ------------------------------------------------------------------ small helpers

  function fmt(template, values) {
    return String(template).replace(/%\((\w+)\)[sd]/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function plural(one, many, n) {
    return fmt(n === 1 ? one : many, { num: n });
  }

  function $(id) {
    return document.getElementById(id);
  }

  /* Build an element: h("li", {class: "x", "data-idea": 3}, [child, "text"]). */
  function h(tag, attrs, children) {
    var element = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (name === "text") {
        element.textContent = value;
      } else if (value === true) {
        element.setAttribute(name, "");
      } else {
        element.setAttribute(name, String(value));
      }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) {
        return;
      }
      element.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return element;
  }

  function announce(text) {
    if (!announcer || !text) {
      return;
    }
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 100);
  }

  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var rest = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function isChair() {
    return state.you && state.you.role === "chair" && view !== "projector";
  }

  /* What the room sees: the projector never shows hidden results, names or the queue of hands. */
  function publicBoard(board) {
    var copy = JSON.parse(JSON.stringify(board));
    if (copy.ballot && !copy.results_visible) {
      copy.ballot.tally = null;
    }
    copy.presence = { count: (copy.presence || {}).count || 0 };
    delete copy.hands;
    return copy;
  }

  // ------------------------------------------------------------------ which controls show (data-when)

  function flags() {
    var ballot = state.ballot || {};
    var round = state.round || {};
    var timer = state.timer || {};
    var you = state.you || {};
    var set = {};
    set["state-" + state.meeting.state] = true;
    set[round.open ? "round-open" : "round-none"] = true;
    set[ballot.open ? "ballot-open" : "ballot-none"] = true;
    set[state.ballot ? "ballot-shown" : "ballot-hidden"] = true;
    set[state.results_visible ? "results-shown" : "results-hidden"] = true;
    set[timer.running ? "timer-running" : "timer-stopped"] = true;
    set[you.hand_raised ? "hand-up" : "hand-down"] = true;
    set["role-" + you.role] = true;
    // Set: running, or paused part-way. A timer reset to its full length counts as not set (start it afresh).
    var paused = !timer.running && !!timer.remaining && timer.remaining !== timer.duration;
    set[timer.running || paused ? "timer-set" : "timer-unset"] = true;
    if (paused) {
      set["timer-paused"] = true;
    }
    if (you.role === "participant" || you.role === "chair") {
      set["can-participate"] = true;
    }
    if (state.current !== null && state.current !== undefined) {
      set["item-current"] = true;
    }
    return set;
  }

  function holdsText(form) {
    return Array.prototype.some.call(form.querySelectorAll("input[type=text], textarea"), function (field) {
      return field.value.trim() !== "";
    });
  }

  function applyWhen() {
    var now = flags();
    root.querySelectorAll("[data-when]").forEach(function (element) {
      var words = element.getAttribute("data-when").split(/\s+/).filter(Boolean);
      var show = words.every(function (word) {
        return now[word];
      });
      // An idea being typed stays on screen when the round closes: the text is never taken away.
      if (!show && element.getAttribute("data-event") === "idea:submit" && holdsText(element)) {
        show = true;
      }
      element.hidden = !show;
    });
  }

  // ------------------------------------------------------------------ rendering the regions

  function renderState() {
    var badge = $("board-state");
    if (!badge) {
      return;
    }
    var meetingState = state.meeting.state;
    var words = { scheduled: S.state_scheduled, live: S.state_live, closed: S.state_closed };
    badge.className = "badge board-state board-state--" + meetingState +
      (meetingState === "live" ? " badge--ok" : meetingState === "closed" ? " badge--muted" : "");
    badge.setAttribute("data-state", meetingState);
    badge.replaceChildren(h("span", { class: "visually-hidden", text: S.state_label + " " }),
                          document.createTextNode(words[meetingState] || meetingState));
  }

  function renderPresence() {
    var text = $("board-presence-text");
    if (text) {
      text.textContent = plural(S.present_one, S.present_many, (state.presence || {}).count || 0);
    }
    var people = $("board-people");
    if (people && state.presence && state.presence.people) {
      people.replaceChildren.apply(people, state.presence.people.map(function (name) {
        return h("li", { text: name });
      }));
    }
  }

  function currentItem() {
    return state.current === null || state.current === undefined ? null : state.agenda[state.current] || null;
  }

  function renderItem() {
    var box = $("board-item");
    if (!box) {
      return;
    }
    var level = (box.querySelector(".board-item__title") || { tagName: "H2" }).tagName.toLowerCase();
    var item = currentItem();
    var children = [];
    if (item) {
      children.push(h("p", { class: "board-item__position",
                             text: fmt(S.item_of, { num: item.index + 1, total: state.agenda.length }) }));
      children.push(h(level, { class: "board-item__title", id: "board-item-title", text: item.title }));
      if (item.description_html) {
        var description = h("div", { class: "prose board-item__description" });
        description.innerHTML = item.description_html; // sanitised on the server (samen/core/markdown.py)
        children.push(description);
      }
      if (item.ideas && item.ideas.length) {
        children.push(h("p", { class: "board-item__ideas-label", text: S.item_ideas }));
        children.push(h("ul", { class: "board-item__ideas" }, item.ideas.map(function (idea) {
          return h("li", {}, [h("a", { href: "/ideas/" + idea.id, text: idea.title })]);
        })));
      }
    } else {
      children.push(h(level, { class: "board-item__title", id: "board-item-title", text: S.no_item_title }));
      children.push(h("p", { class: "muted", text: S.no_item }));
    }
    box.replaceChildren.apply(box, children);
  }

  function renderAgenda() {
    var list = $("board-agenda");
    if (!list) {
      return;
    }
    list.querySelectorAll(".board-agenda__item").forEach(function (item) {
      var current = Number(item.getAttribute("data-index")) === state.current;
      item.classList.toggle("is-current", current);
      if (current) {
        item.setAttribute("aria-current", "step");
      } else {
        item.removeAttribute("aria-current");
      }
      var badge = item.querySelector(".board-agenda__current");
      if (badge) {
        badge.hidden = !current;
      }
    });
  }

  // --- the timer counts down here, from the seconds remaining when the server said so

  var tick = null;
  var deadline = null;
  var timeUpSaid = false;

  function renderTimer() {
    var box = $("board-timer");
    if (tick) {
      window.clearInterval(tick);
      tick = null;
    }
    var timer = state.timer || {};
    timeUpSaid = !timer.running;
    if (timer.running) {
      deadline = Date.now() + (timer.remaining || 0) * 1000;
      tick = window.setInterval(showTime, 250);
    }
    if (box) {
      box.setAttribute("data-running", timer.running ? "true" : "false");
    }
    showTime();
  }

  function showTime() {
    var timer = state.timer || {};
    var seconds = timer.running ? Math.max(0, Math.ceil((deadline - Date.now()) / 1000)) : timer.remaining || 0;
    var clockElement = $("board-timer-clock");
    var stateElement = $("board-timer-state");
    var box = $("board-timer");
    if (clockElement && clockElement.textContent !== clock(seconds)) {
      clockElement.textContent = clock(seconds);
    }
    if (stateElement) {
      stateElement.textContent = seconds === 0 ? S.timer_up : timer.running ? "" : S.timer_paused;
    }
    if (box) {
      box.classList.toggle("is-up", seconds === 0);
    }
    if (timer.running && seconds === 0) {
      window.clearInterval(tick);
      tick = null;
      if (!timeUpSaid) {
        timeUpSaid = true;
        announce(S.time_up);
      }
    }
  }

  // --- the ballot

  function tallyTable(ballot) {
    if (ballot.tally === null || ballot.tally === undefined) {
      return h("p", { class: "muted board-tally__hidden", text: S.results_hidden });
    }
    var rows = ballot.kind === "question"
      ? [["yes", S.yes], ["no", S.no], ["abstain", S.abstain]]
      : ballot.options.map(function (option) { return [String(option.id), option.title]; });
    var total = 0;
    Object.keys(ballot.tally).forEach(function (key) {
      total += ballot.tally[key] || 0;
    });
    var caption = h("caption", {}, [S.results]);
    if (!state.results_visible) {
      caption.appendChild(document.createTextNode(" "));
      caption.appendChild(h("span", { class: "board-tally__private", text: "(" + S.results_private + ")" }));
    }
    var question = ballot.kind === "question";
    return h("table", { class: "board-tally" }, [
      caption,
      h("thead", {}, [h("tr", {}, [
        h("th", { scope: "col", text: question ? S.answer : S.idea }),
        h("th", { scope: "col", text: question ? S.votes : S.dots }),
        h("th", { scope: "col", text: S.share })])]),
      h("tbody", {}, rows.map(function (row) {
        var n = ballot.tally[row[0]] || 0;
        var share = total ? Math.round(n * 100 / total) : 0;
        return h("tr", { class: "board-tally__row board-tally__row--" + (question ? row[0] : "option") }, [
          h("th", { scope: "row", text: row[1] }),
          h("td", { class: "board-tally__count", text: String(n) }),
          h("td", { class: "board-tally__share" }, [
            h("progress", { max: "100", value: String(share), "aria-hidden": "true", text: share + "%" }),
            " ", h("span", { text: share + "%" })])]);
      }))]);
  }

  function renderTally() {
    var ballot = state.ballot;
    var votes = $("board-votes");
    var region = $("board-tally");
    if (!ballot) {
      return;
    }
    if (votes) {
      votes.textContent = plural(S.votes_one, S.votes_many, ballot.votes || 0);
    }
    if (region) {
      region.replaceChildren(tallyTable(ballot));
    }
  }

  function yourVoteText(ballot) {
    var vote = state.you && state.you.vote;
    if (!vote || !ballot) {
      return "";
    }
    if (ballot.kind === "question") {
      return fmt(S.your_vote, { choice: { yes: S.yes, no: S.no, abstain: S.abstain }[vote.choice] || vote.choice });
    }
    var given = 0;
    Object.keys(vote.dots || {}).forEach(function (key) {
      given += vote.dots[key];
    });
    return fmt(S.your_dots, { num: given, max: ballot.dots });
  }

  function renderYourVote() {
    var element = $("board-your-vote");
    if (element) {
      element.textContent = yourVoteText(state.ballot);
    }
    var form = root.querySelector("form.board-vote");
    var button = form && form.querySelector("button[type=submit]");
    if (button) {
      button.textContent = state.you && state.you.vote ? S.change_vote : S.cast_vote;
    }
  }

  function hiddenFields(event) {
    return [
      h("input", { type: "hidden", name: "csrf_token", value: csrfInput ? csrfInput.value : "" }),
      h("input", { type: "hidden", name: "event", value: event }),
      h("input", { type: "hidden", name: "next", value: window.location.pathname })];
  }

  function errorLine() {
    return h("p", { class: "board-control__error error", role: "alert", hidden: true });
  }

  function voteForm(ballot) {
    var vote = state.you && state.you.vote;
    var fields;
    if (ballot.kind === "question") {
      fields = h("fieldset", { class: "board-choices" }, [h("legend", { text: S.your_answer })].concat(
        [["yes", S.yes], ["no", S.no], ["abstain", S.abstain]].map(function (choice) {
          var id = "vote-" + ballot.id + "-" + choice[0];
          return h("div", { class: "board-choice" }, [
            h("input", { type: "radio", name: "choice", value: choice[0], id: id, required: true,
                         checked: !!(vote && vote.choice === choice[0]) }),
            h("label", { for: id, text: choice[1] })]);
        })));
    } else {
      var hintId = "vote-" + ballot.id + "-hint";
      fields = h("fieldset", { class: "board-dots", "aria-describedby": hintId }, [
        h("legend", { text: S.your_dots_legend }),
        h("p", { class: "hint", id: hintId, text: plural(S.dots_hint_one, S.dots_hint_many, ballot.dots) })
      ].concat(ballot.options.map(function (option) {
        var id = "vote-" + ballot.id + "-dots-" + option.id;
        var given = vote && vote.dots ? vote.dots[String(option.id)] || 0 : 0;
        return h("div", { class: "board-dot" }, [
          h("label", { for: id, text: option.title }),
          h("input", { type: "number", inputmode: "numeric", min: "0", max: String(ballot.dots), step: "1",
                       name: "dots-" + option.id, id: id, value: String(given) })]);
      })));
    }
    return h("form", { method: "post", action: config.command_url, class: "board-control board-vote",
                       "data-event": "ballot:vote", "data-kind": ballot.kind, "data-dots": ballot.dots },
             hiddenFields("ballot:vote").concat([
               h("input", { type: "hidden", name: "ballot_id", value: String(ballot.id) }),
               fields,
               h("button", { type: "submit", class: "button board-big",
                             text: vote ? S.change_vote : S.cast_vote }),
               errorLine()]));
  }

  function renderBallot() {
    var body = $("board-ballot-body");
    if (!body) {
      return;
    }
    var ballot = state.ballot;
    body.setAttribute("data-ballot", ballot ? ballot.id : "");
    body.setAttribute("data-open", ballot && ballot.open ? "true" : "false");
    if (!ballot) {
      body.replaceChildren(h("p", { class: "muted", text: S.no_ballot }));
      return;
    }
    var question = ballot.kind === "question"
      ? ballot.question : plural(S.dots_question_one, S.dots_question_many, ballot.dots);
    var children = [
      h("p", { class: "board-ballot__question", id: "board-ballot-question", text: question }),
      h("p", { class: "board-ballot__facts" }, [
        h("span", { class: "badge " + (ballot.open ? "badge--ok" : "badge--muted") + " board-ballot__state",
                    text: ballot.open ? S.ballot_open : S.ballot_closed }),
        " ",
        h("span", { id: "board-votes", class: "board-ballot__votes",
                    text: plural(S.votes_one, S.votes_many, ballot.votes || 0) })])];
    if (ballot.open && flags()["can-participate"] && view === "live") {
      children.push(voteForm(ballot));
    }
    if (view === "live") {
      children.push(h("p", { id: "board-your-vote", class: "board-your-vote", text: yourVoteText(ballot) }));
    }
    children.push(h("div", { id: "board-tally", class: "board-tally-region" }, [tallyTable(ballot)]));
    body.replaceChildren.apply(body, children);
  }

  // --- ideas, decisions, hands

  function renderRound() {
    var round = state.round;
    var stateElement = $("board-round-state");
    if (stateElement) {
      var badge = round && round.open
        ? h("span", { class: "badge badge--ok", text: S.round_open })
        : h("span", { class: "badge badge--muted", text: round ? S.round_closed : S.round_none });
      stateElement.replaceChildren(badge);
    }
    var list = $("board-ideas");
    if (list) {
      var ideas = round ? round.ideas : [];
      list.replaceChildren.apply(list, ideas.map(function (idea) {
        return h("li", { class: "board-idea", "data-idea": idea.id }, [
          h("a", { href: idea.url, text: idea.title }),
          idea.author ? " " : null,
          idea.author ? h("span", { class: "board-idea__author", text: fmt(S.by, { name: idea.author }) }) : null]);
      }));
      var empty = $("board-ideas-empty");
      if (empty) {
        empty.hidden = ideas.length > 0;
      }
    }
    renderCandidates();
  }

  /* The console's ideas to vote on or merge: the current item's linked ideas, then the round's. */
  function candidates() {
    var found = [];
    var seen = {};
    var item = currentItem();
    ((item && item.ideas) || []).concat((state.round && state.round.ideas) || []).forEach(function (idea) {
      if (!seen[idea.id]) {
        seen[idea.id] = true;
        found.push({ id: idea.id, title: idea.title });
      }
    });
    return found;
  }

  function renderCandidates() {
    var box = $("board-dot-options");
    var ideas = candidates();
    if (box) {
      var was = {};
      box.querySelectorAll("input[type=checkbox]").forEach(function (input) {
        was[input.value] = input.checked;
      });
      var empty = $("board-dot-options-empty");
      var rows = ideas.map(function (idea) {
        var id = "dot-option-" + idea.id;
        var checked = Object.prototype.hasOwnProperty.call(was, String(idea.id)) ? was[String(idea.id)] : true;
        return h("div", { class: "choice" }, [
          h("input", { type: "checkbox", name: "idea_ids", value: String(idea.id), id: id, checked: checked }),
          " ", h("label", { for: id, text: idea.title })]);
      });
      if (empty) {
        empty.hidden = ideas.length > 0;
        rows.push(empty);
      }
      box.replaceChildren.apply(box, rows);
    }
    root.querySelectorAll("select.board-idea-select").forEach(function (select) {
      var chosen = select.value;
      var first = select.options[0];
      var options = [first].concat(ideas.map(function (idea) {
        return h("option", { value: String(idea.id), text: idea.title });
      }));
      select.replaceChildren.apply(select, options);
      select.value = chosen;
      if (select.value !== chosen) {
        select.value = "";
      }
    });
  }

  function renderDecisions() {
    var list = $("board-decisions");
    if (!list) {
      return;
    }
    list.replaceChildren.apply(list, (state.decisions || []).map(function (decision) {
      var children = [h("span", { class: "board-decision__text", text: decision.text })];
      if (decision.action) {
        children.push(h("br"));
        children.push(h("a", { class: "board-decision__action", href: decision.action.url,
                               text: fmt(S.action, { title: decision.action.title }) }));
      }
      return h("li", { class: "board-decision", "data-decision": decision.id }, children);
    }));
    var empty = $("board-decisions-empty");
    if (empty) {
      empty.hidden = (state.decisions || []).length > 0;
    }
  }

  function renderHands() {
    var list = $("board-hands");
    if (!list || !state.hands) {
      return;
    }
    var hadFocus = list.contains(document.activeElement);
    list.replaceChildren.apply(list, state.hands.map(function (hand) {
      return h("li", { class: "board-hand", "data-user": hand.user_id }, [
        h("span", { class: "board-hand__name", text: hand.name }),
        " ",
        h("form", { method: "post", action: config.command_url,
                    class: "board-control board-control--button", "data-event": "hand:lower" },
          hiddenFields("hand:lower").concat([
            h("input", { type: "hidden", name: "user_id", value: String(hand.user_id) }),
            h("button", { type: "submit", class: "button button--secondary" }, [
              S.lower, h("span", { class: "visually-hidden", text: " " + fmt(S.lower_whom, { name: hand.name }) })]),
            errorLine()]))]);
    }));
    var empty = $("board-hands-empty");
    if (empty) {
      empty.hidden = state.hands.length > 0;
    }
    var count = $("board-hands-count");
    if (count) {
      count.textContent = plural(S.hands_one, S.hands_many, state.hands.length);
    }
    if (hadFocus) {
      var first = list.querySelector("button");
      var heading = $("board-hands-title");
      if (!first && heading) {
        heading.setAttribute("tabindex", "-1");
      }
      (first || heading || root).focus();
    }
  }

  function renderAll() {
    renderState();
    renderPresence();
    renderItem();
    renderAgenda();
    renderTimer();
    renderBallot();
    renderRound();
    renderDecisions();
    renderHands();
    applyWhen();
  }

  // ------------------------------------------------------------------ the connection

  function setStatus(name, text) {
    if (!statusElement) {
      return;
    }
    if (statusElement.getAttribute("data-state") === name && !text) {
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
    socket.timeout(TIMEOUT).emit("join", { meeting_id: meetingId }, function (error, ack) {
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
      state = view === "projector" ? publicBoard(ack.board) : ack.board;
      waiting = [];
      if (gapTimer) {
        window.clearTimeout(gapTimer);
        gapTimer = null;
      }
      joined = true;
      joins += 1;
      root.setAttribute("data-joins", String(joins)); // for the curious (and the browser tests)
      root.setAttribute("data-version", String(state.version));
      renderAll();
      setStatus("connected");
      sendPending();
    });
  }

  /*
   * Versions: an event one ahead is applied; one of the same version (the chairs' copy of an event) too; an older
   * one is stale. An event further ahead waits up to a second for the missing ones (with several server processes
   * they may arrive out of order); if they don't come, the script joins again for a fresh snapshot.
   */
  var GAP_WAIT = 1000;
  var waiting = []; // [{version, name, data}] events that came early
  var gapTimer = null;

  function accept(name, data) {
    if (!joined) {
      return; // the snapshot of the join under way covers it
    }
    var version = data.version;
    if (typeof version !== "number" || version === state.version + 1 || version === state.version) {
      apply(name, data);
      drain();
    } else if (version > state.version + 1) {
      waiting.push({ version: version, name: name, data: data });
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
    var progress = true;
    while (progress && waiting.length) {
      progress = false;
      waiting.sort(function (a, b) { return a.version - b.version; });
      while (waiting.length && waiting[0].version <= state.version + 1) {
        var next = waiting.shift();
        if (next.version >= state.version) {
          apply(next.name, next.data);
          progress = true;
        }
      }
    }
    if (!waiting.length && gapTimer) {
      window.clearTimeout(gapTimer);
      gapTimer = null;
    }
  }

  function apply(name, data) {
    if (typeof data.version === "number" && data.version > state.version) {
      state.version = data.version;
    }
    takeCommon(data);
    handlers[name](data);
    renderState();
    applyWhen();
    root.setAttribute("data-version", String(state.version));
  }

  function takeCommon(data) {
    if (typeof data.results_visible === "boolean") {
      state.results_visible = data.results_visible;
    }
    if (typeof data.state === "string" && /^(scheduled|live|closed)$/.test(data.state)) {
      state.meeting.state = data.state;
    }
  }

  function takeBallot(ballot, fromChairs) {
    if (ballot && view === "projector" && !state.results_visible) {
      ballot.tally = null;
    }
    var old = state.ballot;
    if (ballot && old && old.id === ballot.id && isChair() && !fromChairs && ballot.tally === null &&
        old.tally !== null) {
      ballot.tally = old.tally; // the chairs' room brings the full tally; the room's copy hides it
    }
    if (!ballot || !old || old.id !== ballot.id) {
      state.you.vote = null;
    }
    var sameForm = ballot && old && old.id === ballot.id && old.open === ballot.open;
    state.ballot = ballot;
    if (sameForm && root.querySelector("form.board-vote, #board-ballot-body")) {
      renderTally();
      var stateBadge = root.querySelector(".board-ballot__state");
      if (stateBadge) {
        stateBadge.textContent = ballot.open ? S.ballot_open : S.ballot_closed;
      }
    } else {
      renderBallot();
    }
    if (ballot && (!old || old.id !== ballot.id) && ballot.open) {
      announce(S.ballot_opened + " " + (ballot.kind === "question" ? ballot.question : ""));
    } else if (ballot && old && old.id === ballot.id && old.open && !ballot.open) {
      announce(S.ballot_closed);
    }
  }

  var handlers = {
    agenda: function (data) {
      if (data.agenda) {
        state.agenda = data.agenda;
      }
      if ("current" in data) {
        state.current = data.current;
      }
      renderItem();
      renderAgenda();
      if ("round" in data) {
        state.round = data.round;
        renderRound();
      } else {
        renderCandidates();
      }
      if ("ballot" in data) {
        takeBallot(data.ballot, !!data.chairs);
      }
      if (data.timer) {
        state.timer = data.timer;
        renderTimer();
      }
      var item = currentItem();
      if (item) {
        announce(fmt(S.now_on, { title: item.title }));
      }
    },
    round: function (data) {
      var wasOpen = !!(state.round && state.round.open);
      state.round = data.round;
      renderRound();
      if (data.round && data.round.open && !wasOpen) {
        announce(S.round_open);
      } else if (wasOpen && !(data.round && data.round.open)) {
        announce(S.round_closed);
      }
    },
    idea: function (data) {
      var idea = data.idea;
      if (!idea || !state.round || (data.round_id && data.round_id !== state.round.id)) {
        return;
      }
      var known = state.round.ideas.some(function (other) {
        return other.id === idea.id;
      });
      if (!known) {
        state.round.ideas.push(idea);
        renderRound();
      }
    },
    ballot: function (data) {
      takeBallot(data.ballot || null, !!data.chairs);
    },
    tally: function (data) {
      // Votes don't move the board's version; tallies have a sequence number of their own (seq). The chairs'
      // copy of a tally has the same seq as the room's: a chair takes it too, for the full counts.
      var ballot = state.ballot;
      if (!ballot || ballot.id !== data.ballot_id) {
        return;
      }
      if (typeof data.seq === "number" && typeof ballot.seq === "number" &&
          (data.seq < ballot.seq || (data.seq === ballot.seq && !(data.chairs && isChair())))) {
        return;
      }
      if (typeof data.seq === "number") {
        ballot.seq = data.seq;
      }
      ballot.votes = data.votes;
      var tally = data.tally === undefined ? null : data.tally;
      if (view === "projector" && !state.results_visible) {
        tally = null;
      }
      if (tally !== null || !isChair() || data.chairs) {
        ballot.tally = tally; // a chair keeps the full tally when the room's copy (tally hidden) comes second
      }
      renderTally();
    },
    timer: function (data) {
      state.timer = data.timer;
      renderTimer();
    },
    decision: function (data) {
      var decision = data.decision;
      var known = (state.decisions || []).some(function (other) {
        return other.id === decision.id;
      });
      if (!known) {
        state.decisions = (state.decisions || []).concat([decision]);
        renderDecisions();
        announce(fmt(S.decision_recorded, { text: decision.text }));
      }
    },
    presence: function (data) {
      state.presence = state.presence || {};
      if (typeof data.count === "number") {
        state.presence.count = data.count;
      }
      if (data.people && view !== "projector") {
        state.presence.people = data.people;
      }
      renderPresence();
    },
    hands: function (data) {
      if (data.hands && view !== "projector") {
        state.hands = data.hands;
        renderHands();
      }
      if (state.you && state.you.user_id && data.user_id === state.you.user_id && typeof data.raised === "boolean") {
        state.you.hand_raised = data.raised;
      }
    },
    closed: function () {
      state.meeting.state = "closed";
      if (state.ballot) {
        state.ballot.open = false;
      }
      if (state.round) {
        state.round.open = false;
      }
      if (state.timer) {
        state.timer.running = false;
      }
      renderState();
      renderBallot();
      renderRound();
      renderTimer();
      announce(S.closed);
    }
  };

  function connect() {
    socket = window.io("/live", { query: { lang: lang } });
    socket.on("connect", function () {
      setStatus("connecting");
      join();
    });
    socket.on("disconnect", function (reason) {
      joined = false;
      setStatus("disconnected");
      if (reason === "io server disconnect") {
        // The server ended the connection (a restart, say): socket.io leaves reconnecting to us.
        window.setTimeout(function () {
          socket.connect();
        }, 1000 + Math.random() * 2000);
      }
    });
    socket.on("connect_error", function () {
      setStatus("disconnected");
    });
    // This process missed broadcasts while its message queue was away (samen/core/live_queue.py): fetch the board
    // again, as after a reconnection.
    socket.on("resync", function () {
      join();
    });
    Object.keys(handlers).forEach(function (name) {
      socket.on(name, function (data) {
        data = data || {};
        if (name === "tally") {
          if (joined) {
            handlers.tally(data); // ordered by its own seq, never a version gap
          }
          return;
        }
        accept(name, data);
      });
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
  function payloadOf(event, form) {
    var payload = {};
    if (event === "agenda:goto") {
      payload.index = whole(field(form, "index"));
    } else if (event === "ballot:open") {
      if (field(form, "kind") === "dots") {
        payload.idea_ids = Array.prototype.filter.call(form.querySelectorAll("input[name=idea_ids]"), function (box) {
          return box.checked;
        }).map(function (box) {
          return whole(box.value);
        });
        payload.dots = whole(field(form, "dots"));
      } else {
        payload.question = field(form, "question");
      }
    } else if (event === "timer:start") {
      if (form.elements.minutes && field(form, "minutes")) {
        payload.seconds = whole(field(form, "minutes")) * 60;
      }
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
    } else if (event === "ballot:vote") {
      payload.ballot_id = whole(field(form, "ballot_id"));
      if (form.getAttribute("data-kind") === "question") {
        var checked = form.querySelector("input[name=choice]:checked");
        payload.choice = checked ? checked.value : null;
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
    }
    return payload;
  }

  function showError(form, text) {
    var line = form.querySelector(".board-control__error");
    if (line) {
      line.textContent = text || "";
      line.hidden = !text;
    }
  }

  function showStatus(form, text) {
    var line = form.querySelector(".board-control__status");
    if (line) {
      line.textContent = text || "";
    }
  }

  /* A form waiting for its answer ignores another press; its button keeps the focus (no `disabled`). */
  function busy(form, on) {
    form.setAttribute("aria-busy", on ? "true" : "false");
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", on ? "true" : "false");
    });
  }

  /* Commands that wait for the connection instead of failing: an idea typed on a phone is never lost. */
  var QUEUED = { "idea:submit": true, "ballot:vote": true, "hand:raise": true, "hand:lower": true };

  function send(form, event, payload) {
    showError(form, "");
    if (!socket || !socket.connected || !joined) {
      pending = pending.filter(function (entry) {
        return entry.form !== form;
      });
      pending.push({ form: form, event: event, payload: payload });
      showStatus(form, S.queued);
      showError(form, event === "idea:submit" ? "" : S.queued);
      return;
    }
    busy(form, true);
    showStatus(form, S.sending);
    socket.timeout(TIMEOUT).emit(event, payload, function (error, ack) {
      busy(form, false);
      showStatus(form, "");
      if (error) {
        showError(form, S.timeout);
        return;
      }
      if (!ack || !ack.ok) {
        showError(form, fmt(S.error, { message: ack && ack.error ? ack.error.message : "?" }));
        return;
      }
      done(form, event, payload, ack);
    });
  }

  function sendPending() {
    var queued = pending;
    pending = [];
    queued.forEach(function (entry) {
      send(entry.form, entry.event, entry.payload); // also when the form was rebuilt meanwhile: the vote counts
    });
  }

  /* A control that did its work often hides itself (the "close the vote" button, once the vote is closed):
     keep the keyboard where it was — on the next visible control of the same panel, else on its heading. */
  function keepFocus(form) {
    window.setTimeout(function () {
      var active = document.activeElement;
      var lost = !active || active === document.body || !document.body.contains(active) ||
                 !!active.closest("[hidden]");
      if (!lost) {
        return;
      }
      var own = form.querySelector("button[type=submit]");
      if (own && document.body.contains(form) && !form.closest("[hidden]")) {
        own.focus();
        return;
      }
      var panel = form.boardPanel || form.closest(".board-panel") || root;
      var controls = panel.querySelectorAll("button, input:not([type=hidden]), select, textarea, summary, a[href]");
      var next = Array.prototype.find.call(controls, function (control) {
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
    if (event === "idea:submit") {
      form.reset();
      forgetDraft();
      applyWhen();
      showStatus(form, S.idea_sent);
      announce(S.idea_sent);
    } else if (event === "ballot:vote") {
      state.you.vote = ack.vote || (payload.choice ? { choice: payload.choice } : { dots: payload.dots });
      renderYourVote();
      announce(S.vote_saved);
    } else if (event === "hand:raise" || event === "hand:lower") {
      if (!payload.user_id || payload.user_id === state.you.user_id) {
        state.you.hand_raised = event === "hand:raise";
        applyWhen();
      }
    } else if (event === "ballot:open" || event === "decision:record" || event === "idea:merge" ||
               event === "meeting:close") {
      form.reset();
      renderCandidates();
    }
  }

  root.addEventListener("submit", function (submitEvent) {
    var form = submitEvent.target;
    var event = form.getAttribute && form.getAttribute("data-event");
    if (!event) {
      return;
    }
    if (!QUEUED[event] && (!socket || !socket.connected || !joined)) {
      return; // no live connection: the form posts as it would without this script (a chair's command still works)
    }
    submitEvent.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return;
    }
    form.boardPanel = form.closest(".board-panel"); // the form may be rebuilt before its answer comes
    var payload = payloadOf(event, form);
    if (event === "ballot:vote" && payload.dots) {
      var total = 0;
      Object.keys(payload.dots).forEach(function (key) {
        total += payload.dots[key];
      });
      var most = whole(form.getAttribute("data-dots") || "0");
      if (total > most) {
        showError(form, fmt(S.too_many_dots, { max: most }));
        return;
      }
    }
    send(form, event, payload);
  });

  // ------------------------------------------------------------------ the idea draft survives a reload

  function ideaForm() {
    return root.querySelector("form[data-event='idea:submit']");
  }

  function forgetDraft() {
    try {
      window.sessionStorage.removeItem(DRAFT_KEY);
    } catch (ignored) { /* storage may be off: the form still holds the text */ }
  }

  function keepDrafts() {
    var form = ideaForm();
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
  keepDrafts();
  renderTimer();
  setStatus("connecting");
  connect();
})();
