// The attempt page's helpers. Progressive: without JavaScript the "Save answers" button
// saves, the time bar says by when to submit, and the server checks the word limits.
// - Saves each answer as the learner goes. Each save carries a rising number; the server
//   refuses an older one. A save whose answer was lost (no connection, or any 5xx: a
//   proxy's 502 or 504, a 503 while the database is out of reach) is sent again as it
//   was, under the same number: the server acknowledges a save it already has instead of
//   refusing it as stale, so resending is safe even when the first one did arrive. After
//   the Retry-After the server gave (2 to 30 s), for as long as it gives one; without one,
//   after 1 s and 3 s, and then the learner is told. Never an older save over a newer one:
//   a lost save that a newer one has overtaken, or that one is about to (a save is due),
//   is not sent again; its questions go with that newer save, read from the page then.
//   The same when the server refuses a save as stale because a newer one reached it
//   first. Nothing is sent again once the form is submitted (the submit carries it all).
// - Keeps what was typed since the last save in this browser (localStorage, by attempt), so
//   that an ended session or a lost connection loses nothing; puts it back on the next load.
// - Counts down a time limit, and tells screen readers at 5 minutes and 1 minute left.
// - Counts an essay's words against its limits.
// Times shown are the server's, in the learner's profile time zone, never the browser's.
// Its words come from the page (#autosave-strings, in the page's language), with %(name)s
// placeholders filled in here; a message with a count has one form per plural category.
(function () {
  "use strict";
  var PREFIX = "trainhub-attempt-";

  function storage() {
    try { return window.localStorage; } catch (error) { return null; }
  }

  // The review page of a finished attempt: nothing it kept is needed any more.
  var finished = document.querySelector("[data-finished-attempt]");
  if (finished && storage()) { storage().removeItem(PREFIX + finished.dataset.finishedAttempt); }

  var form = document.getElementById("attempt-form");
  if (!form) { return; }
  var words = JSON.parse(document.getElementById("autosave-strings").textContent);
  var plurals = null;
  try { plurals = new Intl.PluralRules(words.language); } catch (error) { plurals = null; }

  // The message with its %(name)s placeholders replaced by `values`.
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  // The form of a counted message for `count` (its plural category in the page's language).
  function counted(forms, count) {
    var category = plurals ? plurals.select(count) : (count === 1 ? "one" : "other");
    return forms[category] || forms.other || forms[Object.keys(forms)[0]];
  }
  var status = document.getElementById("save-status");
  var seq = document.getElementById("seq");
  var storeKey = PREFIX + form.dataset.attempt;
  var lastSaved = form.dataset.loadedAt;  // "14:02" on the learner's own clock
  var timer = null;
  var pending = {};
  var sessionEnded = false;
  var lastSent = null;  // the number of the newest save sent
  var unsettled = 0;  // saves sent and neither answered for good nor given up on yet
  var leaving = false;  // the form was submitted: no save or resend from this page now
  var RESEND_AFTER_MS = [1000, 3000];  // then the learner is told it was not saved

  function say(text) {
    status.textContent = text;
    status.classList.remove("session-ended");
  }

  function answerFields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name.indexOf("q-") === 0 && !/-present$/.test(el.name);
    });
  }

  // --- what was typed, kept in this browser until the server has it -----------------------

  function keep() {
    var store = storage();
    if (!store) { return; }
    var values = {};
    answerFields().forEach(function (el) {
      values[el.name] = values[el.name] || [];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      values[el.name].push(el.value);
    });
    try {
      store.setItem(storeKey, JSON.stringify({seq: Number(seq.value), since: lastSaved,
                                              values: values}));
    } catch (error) { /* storage full or refused: the server copy is all there is */ }
  }

  // Only once nothing is left to send: not while a save waits to be sent again either.
  function forget() {
    if (storage() && !Object.keys(pending).length && !timer && !unsettled) {
      storage().removeItem(storeKey);
    }
  }

  function restore() {
    var store = storage();
    var kept = null;
    try { kept = store && JSON.parse(store.getItem(storeKey) || "null"); } catch (error) { kept = null; }
    if (!kept || !kept.values) { return; }
    // A save at that number or later reached the server since: what is kept is older.
    if (kept.seq < Number(seq.value)) { store.removeItem(storeKey); return; }
    answerFields().forEach(function (el) {
      var values = kept.values[el.name];
      if (!values) { return; }
      if (el.type === "radio" || el.type === "checkbox") { el.checked = values.indexOf(el.value) !== -1; }
      else { el.value = values[0] || ""; }
      pending[el.name] = true;
    });
    countAllWords();
    say(kept.since ? fill(words.restoredSince, {time: kept.since}) : words.restored);
    save();
  }

  // --- saving -------------------------------------------------------------------------------

  // `message` holds %(link)s where the link goes, in whatever place its language puts it.
  function sayWithLink(message, linkText, href) {
    var parts = message.split("%(link)s");
    say(parts[0]);
    status.classList.add("session-ended");  // stays in sight wherever the learner is
    var link = document.createElement("a");
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = linkText;
    status.appendChild(link);
    status.appendChild(document.createTextNode(parts.slice(1).join("")));
  }

  function save() {
    timer = null;
    var names = Object.keys(pending);
    if (!names.length || leaving) { return; }
    pending = {};
    var data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    data.append("seq", seq.value);
    seq.value = String(Number(seq.value) + 1);
    names.forEach(function (name) {
      data.append(name + "-present", "1");
      answerFields().forEach(function (el) {
        if (el.name !== name) { return; }
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
        data.append(name, el.value);
      });
    });
    lastSent = data.get("seq");
    unsettled += 1;
    say(words.saving);
    send(data, names, 0);
  }

  // This save is done with: answered, given up on, or its questions handed to the next.
  function settle() { unsettled = Math.max(0, unsettled - 1); }

  // A save's questions, to go with the next save (800 ms from now, or the one already due).
  function later(names) {
    names.forEach(function (name) { pending[name] = true; });
    if (!timer && !sessionEnded && !leaving) { timer = setTimeout(save, 800); }
  }

  // No answer from the app itself: a proxy's 502 or 504, the app's 503 while its database
  // is out of reach, or another server error. The save may or may not have been stored.
  function lost(status) { return status >= 500; }

  // The same save again, unless a newer one went out since or is due: that one is the
  // answer's now, and this one's questions go with the next save instead of racing it (sent
  // together, the older could arrive last and be refused as stale, its other questions too).
  function resend(data, names, tries) {
    if (leaving) { settle(); return; }
    if (data.get("seq") !== lastSent || timer) {
      settle();
      later(names);
      return;
    }
    send(data, names, tries);
  }

  function send(data, names, tries) {
    fetch(form.dataset.autosave, {method: "POST", body: data, credentials: "same-origin",
                                  headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (lost(response.status)) {
          // A server error may come from the proxy as a page, not JSON: its status and
          // Retry-After say enough.
          var failure = new Error("lost: " + response.status);
          failure.status = response.status;
          failure.retryAfter = Number(response.headers.get("Retry-After")) || 0;
          throw failure;
        }
        // A 4xx that is not the app's JSON (a proxy's own page) is an answer all the same.
        return response.json().catch(function () { return {}; }).then(function (body) {
          body = body || {};
          return {ok: response.ok && "saved_at" in body, status: response.status, body: body};
        });
      })
      .then(function (result) {
        settle();
        if (result.ok) {
          lastSaved = result.body.saved_at;
          say(fill(words.saved, {time: result.body.saved_at}));
          forget();
          return;
        }
        // The submit on its way shows the result; a reload now would cancel it.
        if (result.body.finished) { if (!leaving) { window.location.reload(); } return; }
        if (result.body.stale && data.get("seq") !== lastSent) {
          // A newer save of this page reached the server first: nothing is wrong, but the
          // questions of this one that the newer did not carry are not stored yet.
          keep();
          later(names);
          return;
        }
        if (result.status === 401 || result.body.session_ended || result.body.expired) {
          // Not saved, and kept here: saved again once the learner is back.
          names.forEach(function (name) { pending[name] = true; });
          sessionEnded = true;
          keep();
          if (result.status === 401 || result.body.session_ended) {
            sayWithLink(fill(words.sessionEnded, {time: lastSaved}), words.logInAgain,
                        form.dataset.login);
          } else {
            say(result.body.error);
          }
          return;
        }
        // Refused (a proxy's page rather than the app's answer included): kept here, and
        // sent with the next change.
        names.forEach(function (name) { pending[name] = true; });
        keep();
        say(result.body.error || words.notSaved);
      })
      .catch(function (failure) {
        var status = (failure && failure.status) || 0;
        var retryAfter = (failure && failure.retryAfter) || 0;
        if (leaving) { settle(); return; }
        if (retryAfter || tries < RESEND_AFTER_MS.length) {
          // Kept here meanwhile; a 5xx says so (the database out of reach: for a moment).
          keep();
          if (status) { say(status === 503 ? words.unavailable : words.notSavedRetrying); }
          var wait = retryAfter ? Math.min(Math.max(retryAfter, 2), 30) * 1000
                                : RESEND_AFTER_MS[tries];
          window.setTimeout(function () { resend(data, names, tries + 1); }, wait);
          return;
        }
        settle();
        names.forEach(function (name) { pending[name] = true; });
        keep();
        say(words.offline);
      });
  }

  form.addEventListener("input", function (event) {
    var name = event.target.name;
    if (!name || name.indexOf("q-") !== 0) { return; }
    pending[name] = true;
    keep();
    if (event.target.dataset.wordsMin) { countWords(event.target); }
    if (sessionEnded) { return; }  // saving waits until the learner is back
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 800);
  });
  form.addEventListener("submit", function () {
    keep();  // cleared by the review page once the submit went through
    leaving = true;
    if (timer) { clearTimeout(timer); timer = null; }
  });
  // Back on this page from the browser's history cache, after a submit that did not leave.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { leaving = false; }
  });
  // Back from logging in again in the other tab: the page is loaded again, with a fresh
  // form token, and puts back what was kept here.
  window.addEventListener("focus", function () {
    if (sessionEnded) { window.location.reload(); }
  });

  // --- essay word counts --------------------------------------------------------------------

  function countWords(field) {
    var out = document.getElementById(field.id + "-count");
    if (!out) { return; }
    var count = field.value.trim() ? field.value.trim().split(/\s+/).length : 0;
    var low = Number(field.dataset.wordsMin), high = Number(field.dataset.wordsMax);
    var forms = words.wordsWithin;
    if (count && count < low) { forms = words.wordsBelow; }
    else if (count > high) { forms = words.wordsAbove; }
    out.textContent = fill(counted(forms, count), {count: count, low: low, high: high});
    out.classList.toggle("word-count-off", count > high || (count > 0 && count < low));
  }

  function countAllWords() {
    Array.prototype.forEach.call(form.querySelectorAll("textarea[data-words-min]"), countWords);
  }

  // --- the time limit -----------------------------------------------------------------------

  var bar = document.getElementById("time-bar");
  if (bar) {
    var countdown = document.getElementById("countdown");
    var announce = document.getElementById("time-announce");
    // Seconds left as the server counted them when it sent the page: the browser's own
    // clock may be wrong, its elapsed time is not.
    var endsAt = Date.now() + Number(bar.dataset.remaining) * 1000;
    var told = {};
    var marks = [[300, words.fiveMinutesLeft], [60, words.oneMinuteLeft]];
    var tick = function () {
      var left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      var minutes = Math.floor(left / 60), seconds = left % 60;
      countdown.textContent = fill(words.timeLeft, {
        time: (minutes < 10 ? "0" : "") + minutes + ":" + (seconds < 10 ? "0" : "") + seconds});
      bar.classList.toggle("time-short", left <= 60);
      marks.forEach(function (mark) {
        if (left <= mark[0] && !told[mark[0]]) {
          told[mark[0]] = true;
          // Only the mark just passed, not those a late page load passed long ago.
          if (left > mark[0] - 30) { announce.textContent = mark[1]; }
        }
      });
      if (left === 0) {
        announce.textContent = words.timeUp;
        save();
        window.setTimeout(function () { window.location.reload(); }, 1500);
        return;
      }
      // Next when the whole seconds left change.
      window.setTimeout(tick, ((endsAt - Date.now()) % 1000) || 1000);
    };
    countdown.hidden = false;
    tick();
  }

  countAllWords();
  restore();
}());
