// HTTP requests from a chosen loopback source address (127.0.0.0/8): what many machines on a LAN look like to a
// server, for limits counted per address and per target.
import http from 'node:http';

export interface FromResponse<T = unknown> { status: number; headers: http.IncomingHttpHeaders; body: T }

export function requestFrom<T = unknown>(localAddress: string, url: string, method: string, body?: unknown, token?: string): Promise<FromResponse<T>> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, localAddress, agent: false,
      headers: { ...(payload !== undefined && { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }), ...(token && { authorization: `Bearer ${token}` }) },
      timeout: 30_000,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T });
      });
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}
