import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCAL_PAGES } from './app-paths.js';
import { appContentSecurityPolicy, LOCAL_PAGE_CSP, withContentSecurityPolicy } from './csp.js';

const staticDir = join(dirname(fileURLToPath(import.meta.url)), 'static');

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name as string, values]));
}

describe('app page CSP', () => {
  it('allows only the branch server, with its websocket', () => {
    const csp = directives(appContentSecurityPolicy('http://192.168.1.10:3000'));
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws://192.168.1.10:3000']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
  });

  it('never allows inline or evaluated code', () => {
    const csp = appContentSecurityPolicy('https://branch.example.sn');
    expect(csp).not.toMatch(/unsafe-|\*|https?:(?!\/\/)/);
    expect(directives(csp).get('connect-src')).toEqual(["'self'", 'wss://branch.example.sn']);
  });

  it('refuses non-http origins', () => {
    expect(() => appContentSecurityPolicy('file:///tmp')).toThrow();
  });

  it('adds the policy next to one the server sends, whatever the header case', () => {
    const headers = withContentSecurityPolicy({ 'content-security-policy': ["default-src 'none'"], 'Content-Type': 'text/html' }, 'X');
    expect(headers).toEqual({ 'content-security-policy': ["default-src 'none'", 'X'], 'Content-Type': ['text/html'] });
    expect(withContentSecurityPolicy(undefined, 'X')).toEqual({ 'Content-Security-Policy': ['X'] });
  });
});

describe('local pages', () => {
  const htmlFiles = readdirSync(staticDir).filter((f) => f.endsWith('.html'));

  it('are the pages the shell opens', () => {
    expect(htmlFiles.sort()).toEqual(LOCAL_PAGES.map((p) => `${p}.html`).sort());
  });

  it.each(htmlFiles)('%s carries the local CSP and no inline code', (file) => {
    const html = readFileSync(join(staticDir, file), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    expect(meta?.[1]).toBe(LOCAL_PAGE_CSP);
    // Every script is a file next to the page; no inline handlers or style attributes.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body?.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes ?? '')?.[1];
      expect(src).toBeDefined();
      expect(readdirSync(staticDir)).toContain(src);
    }
    expect(html).not.toMatch(/\son[a-z]+=|\sstyle=/i);
  });
});
