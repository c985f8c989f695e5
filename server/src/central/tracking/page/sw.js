// Service worker of the tracking page: shows the pushes central sends ("your turn is near", "it's your turn") and
// opens the ticket's page when the notification is tapped.
/* global self, clients */
self.addEventListener('push', function (event) {
  var d = {};
  try { d = event.data ? event.data.json() : {}; } catch { d = { body: event.data ? event.data.text() : '' }; }
  event.waitUntil(self.registration.showNotification(d.title || 'SmartQueue', {
    body: d.body || '',
    tag: d.tag || 'smartqueue',
    renotify: true,
    requireInteraction: d.kind === 'called',
    vibrate: d.kind === 'called' ? [300, 150, 300, 150, 300] : [200],
    data: { url: d.url || null },
  }));
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = event.notification.data && event.notification.data.url;
  event.waitUntil(clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
    for (var i = 0; i < list.length; i++) if (list[i].url === url && 'focus' in list[i]) return list[i].focus();
    return url ? clients.openWindow(url) : undefined;
  }));
});
