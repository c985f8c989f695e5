// The visitor site's one script (server/src/central/site/site-page.js, served at /site.js): the join and the booking on
// a branch page, "my tickets and bookings", and a booking's cancel and move. Name and phone → a code by SMS →
// the code → the ticket the branch issued (number, position, wait, tracking link), or the branch's refusal said
// plainly. A booking made with an e-mail only is changed after a code sent to its own address (the page shows it
// masked). The confirmed token is kept for the tab (sessionStorage, until it expires): the next page of the same visit
// asks no new code. Plain ES2017, no framework: it must run on old phones over 3G.
/* global document, location */
(function () {
  'use strict';
  var init = JSON.parse(document.getElementById('sq-init').textContent);
  var S = init.strings;
  var $ = function (id) { return document.getElementById(id); };
  var join = $('join'), book = $('book'), mine = $('mine'), who = $('who'), verify = $('verify'), result = $('result'), msg = $('msg');
  /** mode: which form asked for the code (join, book, mine or manage); the verify step is shared. */
  var state = { mode: 'join', via: 'sms', codeId: null, phone: null, email: null, key: null, token: null };
  /** The form the visitor came from, shown again after a refusal. */
  function back() { if (verify) verify.hidden = true; ({ book: book, mine: mine, manage: who }[state.mode] || join).hidden = false; }

  var KEPT = 'sq-visitor';
  /** sessionStorage may be refused (private mode, old browsers): then the visitor just gets a new code next time. */
  function stored(fn) { try { return fn(); } catch (e) { return e && null; } }
  function keep() {
    stored(function () {
      if (state.token) sessionStorage.setItem(KEPT, JSON.stringify({ token: state.token, phone: state.phone, email: state.email, expiresAt: state.expiresAt }));
      else sessionStorage.removeItem(KEPT);
    });
  }
  var kept = stored(function () { return JSON.parse(sessionStorage.getItem(KEPT) || 'null'); });
  if (kept && Date.parse(kept.expiresAt) > Date.now()) { state.token = kept.token; state.phone = kept.phone; state.email = kept.email || null; state.expiresAt = kept.expiresAt; }
  function forget() { state.token = null; keep(); }

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
    // Why a code no longer works: too many wrong tries, or its 10 minutes are over (else: already used).
    var why = e.code === 'CODE_EXPIRED' && e.details && { tries: S.CODE_TOO_MANY_TRIES, expired: S.CODE_TIMED_OUT }[e.details.reason];
    if (why) return why;
    // A contact given as an e-mail address: the address's words, not the number's (a bad address, no e-mail channel).
    if (state.via === 'email' && S[e.code + '_EMAIL']) return S[e.code + '_EMAIL'];
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
        if (j.status === 401) forget();
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
    var slot = $('bookSlot'), parts = slot.value.split('|'), byMail = state.via === 'email';
    var body = { branchId: init.branchId, serviceId: parts[0], startsAt: parts[1], name: $('bookName').value, language: init.lang, visitorToken: state.token };
    // The booking holds the one contact that was confirmed: the phone, or the e-mail address alone.
    if (byMail) body.email = state.email; else body.phone = state.phone;
    return post('/api/public/bookings', body).then(function (b) {
      busy(button, false);
      if (b.status !== 201) { back(); if (b.status === 401) forget(); return say(explain(b.status, b.body)); }
      say('');
      verify.hidden = true;
      book.hidden = true;
      $('booked').hidden = false;
      $('bookedAt').textContent = slot.options[slot.selectedIndex].text;
      $('bookedCode').textContent = b.body.booking.displayCode;
      if (byMail && S.bookingHintEmail) $('bookedHint').textContent = S.bookingHintEmail;
      $('bookedPage').href = '/r/' + encodeURIComponent(b.body.booking.code) + (init.lang === 'fr' ? '' : '?lang=' + init.lang);
    });
  }

  /** The verify step's words for the channel the code went by (the branch page's booking may go by e-mail). */
  function codeWords(via, sentTo) {
    var label = document.querySelector('label[for="code"]');
    if (label && S.codeEmail) label.textContent = via === 'email' ? S.codeEmail : S.code;
    $('sentTo').textContent = fill(via === 'email' && S.codeSentEmail ? S.codeSentEmail : S.codeSent, { to: sentTo });
  }
  /**
   * Ask for a code for the contact of `form`: `contact()` gives { via: 'sms', value: phone } or { via: 'email', value:
   * address } (or go on at once with the token this contact already has).
   */
  /**
   * The verify step and the messages are shared by the page's forms: they go right after the form that asked, so that
   * a visitor booking at the bottom of the page reads the answer there, not in the join section above.
   */
  function beside(form) {
    var parent = form.parentNode, after = form.nextSibling;
    if (verify) { parent.insertBefore(verify, after); after = verify.nextSibling; }
    parent.insertBefore(msg, after);
  }
  function askCode(mode, form, contact, button, go) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      beside(form);
      var c = contact();
      busy(button, true);
      if (state.token && (c.via === 'email' ? state.email : state.phone) === c.value) {
        state.mode = mode;
        state.via = c.via;
        state.key = newKey();
        go(button).catch(function () { busy(button, false); say(S.network); });
        return;
      }
      state.via = c.via;
      var ask = c.via === 'email' ? { email: c.value, language: init.lang } : { phone: c.value, language: init.lang };
      post('/api/public/visitor-codes', ask).then(function (r) {
        busy(button, false);
        if (r.status !== 201) return say(explain(r.status, r.body));
        state = {
          mode: mode, via: c.via, codeId: r.body.codeId, phone: c.via === 'sms' ? c.value : null, email: c.via === 'email' ? c.value : null,
          key: newKey(), token: null, expiresAt: null,
        };
        say('');
        form.hidden = true;
        verify.hidden = false;
        codeWords(c.via, r.body.sentTo);
        $('code').value = '';
        $('code').focus();
      }, function () { busy(button, false); say(S.network); });
    });
  }
  function byPhone(input) { return function () { return { via: 'sms', value: input.value }; }; }
  /**
   * A code to the booking's own e-mail address (an e-mail-only booking's page): central sends it there; the page holds
   * only the masked address and shows where it went.
   */
  function askMailCode(form, button, path) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      beside(form);
      busy(button, true);
      post(path, { language: init.lang }).then(function (r) {
        busy(button, false);
        if (r.status !== 201) return say(explain(r.status, r.body));
        state = { mode: 'manage', via: 'email', codeId: r.body.codeId, phone: null, email: null, key: null, token: null, expiresAt: null };
        say('');
        form.hidden = true;
        verify.hidden = false;
        $('sentTo').textContent = fill(S.codeSent, { to: r.body.sentTo });
        $('code').value = '';
        $('code').focus();
      }, function () { busy(button, false); say(S.network); });
    });
  }
  function item(list, href, text) {
    var li = document.createElement('li'), a = document.createElement('a');
    a.href = href;
    a.textContent = text;
    li.appendChild(a);
    list.appendChild(li);
  }
  /** The confirmed phone's remote tickets, each with its tracking link, and its bookings, each with its page. */
  function doMine(button) {
    var q = '?lang=' + init.lang, body = { visitorToken: state.token }, byMail = state.via === 'email';
    // An e-mail address has bookings only (remote tickets are a phone's): no ticket list for it.
    var ticketsOf = byMail ? Promise.resolve({ status: 200, body: [] }) : post('/api/public/my-tickets' + q, body);
    return Promise.all([ticketsOf, post('/api/public/my-bookings' + q, body)]).then(function (r) {
      busy(button, false);
      var bad = r[0].status !== 200 ? r[0] : r[1].status !== 200 ? r[1] : null;
      if (bad) { back(); if (bad.status === 401) forget(); return say(explain(bad.status, bad.body)); }
      say('');
      verify.hidden = true;
      var tickets = $('mineList'), bookings = $('mineBookings');
      tickets.textContent = '';
      bookings.textContent = '';
      r[0].body.forEach(function (t) {
        item(tickets, t.trackPath + '&lang=' + init.lang, t.displayNumber + ' · ' + t.branchName + (t.serviceName ? ' · ' + t.serviceName : ''));
      });
      r[1].body.forEach(function (b) {
        item(bookings, b.pagePath + (init.lang === 'fr' ? '' : '?lang=' + init.lang), b.displayCode + ' · ' + b.serviceName + ' · ' + b.branchName + ' · ' + b.when);
      });
      $('mineNone').hidden = r[0].body.length > 0;
      $('mineTickets').hidden = byMail;
      if (S.noBookingsEmail) $('mineNoBookings').textContent = byMail ? S.noBookingsEmail : S.noBookings;
      $('mineNoBookings').hidden = r[1].body.length > 0;
      $('mineLists').hidden = false;
    });
  }

  /**
   * A booking's cancel or move (its page), with the token of its phone (or of its e-mail address for an e-mail-only
   * booking); without one, the phone (or address) is confirmed first.
   */
  var pending = null;
  function change(kind, button) {
    var bk = init.booking, body = { visitorToken: state.token };
    if (kind === 'move') body.startsAt = $('moveSlot').value;
    return post(kind === 'move' ? bk.movePath : bk.cancelPath, body).then(function (r) {
      busy(button, false);
      if (r.status === 200) { location.href = bk.page; return; }
      if (r.status === 401 || r.status === 403) {
        // Not this booking's phone (or no longer confirmed): confirm it, then the same change goes on.
        forget();
        pending = kind;
        if (!who) return say(S.noSms);
        if (verify) verify.hidden = true;
        who.hidden = false;
        if (r.status === 403) say(explain(r.status, r.body));
        else say('');
        return;
      }
      say(explain(r.status, r.body));
    });
  }
  function onChange(form, kind, button) {
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      busy(button, true);
      if (!state.token) {
        busy(button, false);
        pending = kind;
        if (!who) return say(S.noSms);
        who.hidden = false;
        ($('whoPhone') || $('whoCode')).focus();
        return;
      }
      change(kind, button).catch(function () { busy(button, false); say(S.network); });
    });
  }
  if ($('cancelForm')) onChange($('cancelForm'), 'cancel', $('cancelButton'));
  if ($('moveForm')) onChange($('moveForm'), 'move', $('moveButton'));

  if (join) askCode('join', join, byPhone($('phone')), $('sendCode'), doJoin);
  /**
   * A form that confirms a phone (SMS) or an e-mail address (e-mail), ids `<p>Phone`, `<p>Email` and their fields: the
   * radio choice when central sends both, else the one it sends; the button says which way the code goes.
   */
  function byChoice(form, p, button, phoneLabel) {
    var chosen = function () { var r = form.querySelector('input[name="via"]:checked'); return r ? r.value : form.getAttribute('data-via'); };
    var shown = function () {
      var via = chosen();
      if ($(p + 'PhoneField')) $(p + 'PhoneField').hidden = via !== 'sms';
      if ($(p + 'EmailField')) $(p + 'EmailField').hidden = via !== 'email';
      if (S.sendCodeEmail) button.textContent = via === 'email' ? S.sendCodeEmail : phoneLabel;
    };
    Array.prototype.forEach.call(form.querySelectorAll('input[name="via"]'), function (r) { r.addEventListener('change', function () { say(''); shown(); }); });
    shown();
    return function () { var via = chosen(); return { via: via, value: $(p + (via === 'email' ? 'Email' : 'Phone')).value.trim() }; };
  }
  if (mine) askCode('mine', mine, byChoice(mine, 'mine', $('mineCode'), S.sendCode), $('mineCode'), doMine);
  if (book) askCode('book', book, byChoice(book, 'book', $('bookCode'), S.bookButton), $('bookCode'), doBook);
  if (who && init.booking.emailCodePath) askMailCode(who, $('whoCode'), init.booking.emailCodePath);
  else if (who) askCode('manage', who, byPhone($('whoPhone')), $('whoCode'), function (button) { return change(pending || 'cancel', button); });

  if (verify) verify.addEventListener('submit', function (ev) {
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
      state.expiresAt = r.body.expiresAt;
      keep();
      if (state.mode === 'manage') { verify.hidden = true; return change(pending || 'cancel', button); }
      return state.mode === 'book' ? doBook(button) : state.mode === 'mine' ? doMine(button) : doJoin(button);
    }).catch(function () { busy(button, false); say(S.network); });
  });
})();
