// Where a window may go. App windows stay on the branch server's origin; local pages never
// navigate by themselves (the main process loads them). Everything else is refused.

/** True when `target` is on `allowedOrigin` over http(s). `allowedOrigin` null (local pages): nothing is allowed. */
export function isNavigationAllowed(target: string, allowedOrigin: string | null): boolean {
  if (allowedOrigin === null) return false;
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === allowedOrigin;
}

/** Permissions an app page may be granted, per window role; every other request is denied. */
export function allowedPermissions(role: 'kiosk' | 'agent' | 'display'): ReadonlySet<string> {
  switch (role) {
    case 'agent':
      // Copying a ticket number, a desktop notification when a transfer arrives.
      return new Set(['fullscreen', 'clipboard-sanitized-write', 'notifications']);
    case 'kiosk':
    case 'display':
      return new Set(['fullscreen']);
  }
}
