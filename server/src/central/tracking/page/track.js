// The tracking page's script: renders the ticket from the embedded view at once, then follows it live over
// Socket.IO. Plain ES2017, no framework: it must load fast on a 3G phone. Text comes from the page's strings.
/* global document, window, Notification, io */
(function () {
  'use strict';
  var init = JSON.parse(document.getElementById('sq-init').textContent);
  var S = init.strings;
  var view = init.view;
  // ?branch= picks among branches that hold the same ticket id (the page lists them when there are several).
  var branch = new URLSearchParams(window.location.search).get('branch');
  var qs = function (sep) { return branch ? sep + 'branch=' + encodeURIComponent(branch) : ''; };
  var offset = 0; // server clock minus ours
  var connected = true;
  var $ = function (id) { return document.getElementById(id); };
  var fill = function (t, v) { return t.replace(/\{\{(\w+)\}\}/g, function (_, k) { return v[k]; }); };
  var show = function (el, on) { el.hidden = !on; };
  var text = function (id, t) { $(id).textContent = t || ''; };
  var time = function (iso) {
    return new Date(iso).toLocaleTimeString(init.locale, { hour: '2-digit', minute: '2-digit', timeZone: init.timeZone });
  };

  function ageSeconds() {
    if (!view.freshness.dataAsOf) return null;
    return Math.max(0, (Date.now() + offset - Date.parse(view.freshness.dataAsOf)) / 1000);
  }

  function render() {
    var age = ageSeconds();
    var stale = age === null || age > view.staleAfterSeconds;
    var st = view.status;
    var waiting = init.waitingStatuses.indexOf(st) >= 0;
    text('num', view.displayNumber || '…');
    text('branch', view.branch ? view.branch.name : '');
    text('svc', view.serviceName ? view.serviceName[init.lang] : '');
    var status = '';
    if (!view.known) status = S.unknown;
    else if (st === 'called') status = view.counterNumber ? fill(S.called, { counter: view.counterNumber }) : S.calledNoCounter;
    else if (st === 'serving') status = S.serving;
    else if (st === 'served') status = S.served;
    else if (!waiting) status = S.ended;
    else if (view.position === 1 && !stale) status = S.next;
    text('status', status);
    $('status').className = st === 'called' ? 'status hot' : 'status';
    var nums = view.known && waiting && view.position !== null;
    show($('nums'), nums && !stale);
    if (nums) {
      text('pos', String(view.position));
      text('wait', view.estimatedWaitMinutes === null ? '—' : fill(S.minutes, { n: view.estimatedWaitMinutes }));
    }
    // Old numbers are never shown as current: past the threshold the notice replaces them.
    show($('stale'), view.known && stale && st !== 'served');
    if (stale) {
      text('staleAge', age === null ? S.neverSynced : age < 60 ? fill(S.staleAgeSeconds, { n: Math.round(age) }) : fill(S.staleAge, { n: Math.round(age / 60) }));
      text('lastKnown', nums && age !== null ? fill(S.lastKnown, { position: view.position, time: time(view.freshness.dataAsOf) }) : '');
    }
    text('upd', view.freshness.dataAsOf && !stale ? fill(S.updated, { time: time(view.freshness.dataAsOf) }) : '');
    show($('conn'), !connected);
    show($('alerts'), view.known && waiting);
    // The check-in code serves only while the ticket waits (drawn by the server; absent on other tickets).
    if ($('arrive')) show($('arrive'), view.known && waiting);
    text('notifyAt', fill(S.notifyAt, { n: view.notifyAtPosition }));
    show($('notify'), !!view.channels.push && !!view.vapidPublicKey);
    show($('contact'), view.channels.sms || view.channels.email);
    show($('travel'), !!(view.branch && view.branch.hasLocation && waiting && navigator.geolocation));
    var holders = view.holders || [];
    show($('holders'), holders.length > 0);
    var list = $('holderList');
    list.textContent = '';
    holders.forEach(function (h) {
      var a = document.createElement('a');
      a.href = '?branch=' + encodeURIComponent(h.branchId) + '&lang=' + init.lang;
      a.textContent = h.branchName + ' · ' + h.number;
      var li = document.createElement('li');
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  function update(v) {
    var wasCalled = view.status === 'called';
    // Travel advice was given against the old wait: the visitor asks again.
    if (v.estimatedWaitMinutes !== view.estimatedWaitMinutes || v.freshness.stale || v.status !== view.status) text('travelMsg', '');
    view = v;
    offset = Date.parse(v.serverTime) - Date.now();
    render();
    if (v.status === 'called' && !wasCalled && navigator.vibrate) navigator.vibrate([300, 150, 300]);
  }

  function api(path, opts) {
    var url = '/api/track/' + encodeURIComponent(view.ticketId) + path;
    return fetch(url + qs(url.indexOf('?') < 0 ? '?' : '&'), opts).then(function (r) {
      return r.json().then(function (body) { if (!r.ok) throw body.error || {}; return body; });
    });
  }
  function post(path, body) {
    return api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  function errorText(e) {
    return { INVALID_PHONE: S.invalidPhone, INVALID_EMAIL: S.invalidEmail, CHANNEL_DISABLED: S.channelOff }[e && e.code] || (e && e.message) || S.notifyFailed;
  }

  $('notifyBtn').onclick = function () {
    var key = view.vapidPublicKey.replace(/-/g, '+').replace(/_/g, '/');
    var bytes = Uint8Array.from(window.atob(key + '==='.slice((key.length + 3) % 4)), function (c) { return c.charCodeAt(0); });
    Promise.resolve(window.Notification ? Notification.requestPermission() : 'denied').then(function (p) {
      if (p !== 'granted') throw { message: S.notifyDenied };
      return navigator.serviceWorker.register('/t/sw.js');
    }).then(function (reg) {
      return reg.pushManager.getSubscription().then(function (s) {
        return s || reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: bytes });
      });
    }).then(function (sub) {
      return post('/subscriptions', { channel: 'push', subscription: sub.toJSON(), language: init.lang });
    }).then(function () { text('notifyMsg', S.notifyOn); }, function (e) { text('notifyMsg', e && e.message === S.notifyDenied ? S.notifyDenied : S.notifyFailed); });
  };
  if (!('serviceWorker' in navigator) || !window.PushManager) $('notifyBtn').hidden = true;

  $('contactForm').onsubmit = function (ev) {
    ev.preventDefault();
    var value = $('contactInput').value.trim();
    var channel = value.indexOf('@') >= 0 ? 'email' : 'sms';
    post('/subscriptions', { channel: channel, address: value, language: init.lang })
      .then(function () { text('contactMsg', S.contactSaved); }, function (e) { text('contactMsg', errorText(e)); });
  };

  $('travelBtn').onclick = function () {
    text('travelMsg', S.travelConsent);
    navigator.geolocation.getCurrentPosition(function (p) {
      api('/travel?lat=' + p.coords.latitude + '&lon=' + p.coords.longitude).then(function (t) {
        var v = { minutes: t.travelMinutes, leave: t.leaveInMinutes };
        text('travelMsg', fill(t.hint === 'leave_now' ? S.leaveNow : t.hint === 'you_have_time' ? S.youHaveTime : S.travelOnly, v));
      }, function (e) { text('travelMsg', errorText(e)); });
    }, function () { text('travelMsg', S.geoDenied); }, { maximumAge: 60000, timeout: 20000 });
  };

  render();
  setInterval(render, 15000);

  // Socket.IO's client comes after the first paint.
  var s = document.createElement('script');
  s.src = '/socket.io/socket.io.min.js';
  s.onload = function () {
    var socket = io('/track');
    var join = function () {
      socket.emit('track:join', { ticketId: view.ticketId, branchId: branch }, function (res) { if (res && res.ok) update(res.data); });
    };
    socket.on('connect', function () { connected = true; join(); });
    socket.on('disconnect', function () { connected = false; render(); });
    socket.on('track:update', update);
  };
  document.body.appendChild(s);
})();
