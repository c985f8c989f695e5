// The visitor site's one script (server/src/central/site/site-page.js, served at /site.js): the join and the booking on
// a branch page. Name and phone → a code by SMS →
// the code → the ticket the branch issued (number, position, wait, tracking link), or the branch's refusal said
// plainly. Plain ES2017, no framework: it must run on old phones over 3G.
/* global document */
(function () {
  'use strict';
  var init = JSON.parse(document.getElementById('sq-init').textContent);
  var S = init.strings;
  var $ = function (id) { return document.getElementById(id); };
  var join = $('join'), book = $('book'), mine = $('mine'), verify = $('verify'), result = $('result'), msg = $('msg');
  /** mode: which form asked for the code (join or book); the verify step is shared. */
  var state = { mode: 'join', codeId: null, phone: null, key: null, token: null };
  /** The form the visitor came from, shown again after a refusal. */
  function back() { verify.hidden = true; ({ book: book, mine: mine }[state.mode] || join).hidden = false; }

  function fill(t, v) { return String(t).replace(/\{\{(\w+)\}\}/g, function (_, k) { return v[k] === undefined ? '' : String(v[k]); }); }
  function say(text, kind) { msg.textContent = text; msg.className = kind || (text ? 'err' : ''); }
  /** One key per attempt (a retry of the same attempt gives the same ticket); randomUUID needs https, this does not. */
  function newKey() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }
  function explain(status, body) {
    var e = (body && body.error) || {};
    if (e.code === 'CODE_WRONG') return fill(S.CODE_WRONG, { n: e.details && e.details.attemptsLeft });
    if (S[e.code]) return S[e.code];
    return fill(S.other, { message: e.message || String(status) });
  }
  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (res) { return res.json().catch(function () { return {}; }).then(function (b) { return { status: res.status, body: b }; }); });
  }
  function busy(button, on) { button.disabled = on; if (on) say(S.working, 'small'); }

  /** The join itself, with the token of the confirmed phone (kept for its half hour: a second try needs no new code). */
  function doJoin(button) {
    return post('/api/remote/joins', {
      branchId: init.branchId, serviceId: $('service').value, name: $('name').value, phone: state.phone, language: init.lang,
      idempotencyKey: state.key, visitorToken: state.token,
    }).then(function (j) {
      busy(button, false);
      if (j.status !== 200) {
        back();
        if (j.status === 401) state.token = null;
        state.key = newKey();
        return say(explain(j.status, j.body));
      }
      say('');
      join.hidden = true;
      verify.hidden = true;
      result.hidden = false;
      $('num').textContent = j.body.displayNumber;
      $('pos').textContent = j.body.position === null ? '—' : String(j.body.position);
      $('wait').textContent = j.body.estimatedWaitMinutes === null ? '—' : fill(S.minutes, { n: j.body.estimatedWaitMinutes });
      $('track').href = j.body.trackPath + (j.body.trackPath.indexOf('?') < 0 ? '?' : '&') + 'lang=' + init.lang;
    });
  }

  /** A booking of the chosen slot with the confirmed phone's token; the booking code is what the kiosk reads. */
  function doBook(button) {
    var slot = $('bookSlot'), parts = slot.value.split('|');
    return post('/api/public/bookings', {
      branchId: init.branchId, serviceId: parts[0], startsAt: parts[1], name: $('bookName').value, phone: state.phone, language: init.lang,
      visitorToken: state.token,
    }).then(function (b) {
      busy(button, false);
      if (b.status !== 201) { back(); if (b.status === 401) state.token = null; return say(explain(b.status, b.body)); }
      say('');
      verify.hidden = true;
      book.hidden = true;
      $('booked').hidden = false;
      $('bookedAt').textContent = slot.options[slot.selectedIndex].text;
      $('bookedCode').textContent = b.body.booking.displayCode;
    });
  }

  /** Ask for a code for the phone of `form` (or go on at once with the token this phone already has). */
  function askCode(mode, form, phoneInput, button, go) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      busy(button, true);
      if (state.token && state.phone === phoneInput.value) {
        state.mode = mode;
        state.key = newKey();
        go(button).catch(function () { busy(button, false); say(S.network); });
        return;
      }
      post('/api/public/visitor-codes', { phone: phoneInput.value, language: init.lang }).then(function (r) {
        busy(button, false);
        if (r.status !== 201) return say(explain(r.status, r.body));
        state = { mode: mode, codeId: r.body.codeId, phone: phoneInput.value, key: newKey(), token: null };
        say('');
        form.hidden = true;
        verify.hidden = false;
        $('sentTo').textContent = fill(S.codeSent, { to: r.body.sentTo });
        $('code').focus();
      }, function () { busy(button, false); say(S.network); });
    });
  }
  /** The confirmed phone's remote tickets, each with its tracking link. */
  function doMine(button) {
    return post('/api/public/my-tickets?lang=' + init.lang, { visitorToken: state.token }).then(function (r) {
      busy(button, false);
      if (r.status !== 200) { back(); if (r.status === 401) state.token = null; return say(explain(r.status, r.body)); }
      say(r.body.length ? '' : S.noTickets, 'small');
      verify.hidden = true;
      var list = $('mineList');
      list.textContent = '';
      r.body.forEach(function (t) {
        var li = document.createElement('li'), a = document.createElement('a');
        a.href = t.trackPath + '&lang=' + init.lang;
        a.textContent = t.displayNumber + ' · ' + t.branchName + (t.serviceName ? ' · ' + t.serviceName : '');
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
    });
  }

  if (join) askCode('join', join, $('phone'), $('sendCode'), doJoin);
  if (mine) askCode('mine', mine, $('minePhone'), $('mineCode'), doMine);
  if (book) askCode('book', book, $('bookPhone'), $('bookCode'), doBook);

  verify.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var button = $('confirm');
    busy(button, true);
    post('/api/public/visitor-codes/' + encodeURIComponent(state.codeId) + '/verify', { code: $('code').value }).then(function (r) {
      if (r.status !== 200) {
        busy(button, false);
        say(explain(r.status, r.body));
        if (r.status === 410) back();
        return;
      }
      state.token = r.body.token;
      return state.mode === 'book' ? doBook(button) : state.mode === 'mine' ? doMine(button) : doJoin(button);
    }).catch(function () { busy(button, false); say(S.network); });
  });
})();
