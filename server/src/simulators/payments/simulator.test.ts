// Simulator housekeeping the adapter tests do not reach.
import { expect, it } from 'vitest';
import { WaveSimulator } from './wave-simulator.js';

it('closes without waiting for webhooks still delayed, and never sends them', async () => {
  const sim = new WaveSimulator({ apiKey: 'k', webhookSecret: 's', webhookUrl: 'http://127.0.0.1:9/unused' });
  await sim.start();
  const response = await fetch(`${sim.url}/v1/checkout/sessions`, {
    method: 'POST',
    headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
    body: JSON.stringify({ amount: '10', currency: 'XOF', success_url: 'https://example.org/ok', error_url: 'https://example.org/error' }),
  });
  const session = (await response.json()) as { id: string };
  const delivery = sim.complete(session.id, { delayMs: 600_000 });
  await sim.close();
  await expect(delivery).resolves.toEqual([]);
  expect(sim.deliveries).toHaveLength(0);
});
