// Content Security Policies of the shell. App pages (kiosk, agent, display) come from the branch
// server: the shell adds a policy to its responses, on top of any the server sends (browsers
// enforce every policy they get, so the server can only make it stricter). Local pages (setup, PIN
// prompt, status, offline) carry LOCAL_PAGE_CSP in a <meta> tag.

/** Policy for pages served by the branch server at `serverOrigin` (http://host:port). */
export function appContentSecurityPolicy(serverOrigin: string): string {
  const origin = new URL(serverOrigin);
  if (origin.protocol !== 'http:' && origin.protocol !== 'https:') throw new Error(`not an http(s) origin: ${serverOrigin}`);
  // Socket.IO upgrades to ws(s) on the same host; 'self' covers it in CSP3 but older engines need it spelled out.
  const socket = `${origin.protocol === 'https:' ? 'wss' : 'ws'}://${origin.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    // React's style props go through CSSOM, which CSP does not restrict; no inline <style> needed.
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${socket}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Policy of the shell's own HTML files (kept in sync with the <meta> tags: a test checks it). */
export const LOCAL_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export type ResponseHeaders = Record<string, string | string[]>;

/** Returns the headers with `csp` added as one more Content-Security-Policy (case-insensitive name). */
export function withContentSecurityPolicy(headers: ResponseHeaders | undefined, csp: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  let key = 'Content-Security-Policy';
  for (const [name, value] of Object.entries(headers ?? {})) {
    result[name] = Array.isArray(value) ? [...value] : [value];
    if (name.toLowerCase() === 'content-security-policy') key = name;
  }
  result[key] = [...(result[key] ?? []), csp];
  return result;
}
