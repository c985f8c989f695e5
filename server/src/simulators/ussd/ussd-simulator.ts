// A stand-in for a USSD aggregator (the Africa's Talking style of session callback): a phone dials the service code,
// each choice is sent to the application's callback as a form (sessionId, serviceCode, phoneNumber, text = every
// choice so far joined by "*"), and the text/plain answer is the next screen ("CON …") or the last ("END …").
// Tests and the demo play whole sessions; replay() sends a session's steps again, as a network that retries does.
import { randomUUID } from 'node:crypto';

export interface UssdScreen {
  /** The text sent with this step. */
  text: string;
  status: number;
  /** The answer as the aggregator got it ("CON …" / "END …"). */
  answer: string;
  /** The session goes on (CON) or is over (END, or an error). */
  open: boolean;
}

export class UssdSession {
  readonly screens: UssdScreen[] = [];
  private readonly choices: string[] = [];

  constructor(private readonly sim: UssdSimulator, readonly phoneNumber: string, readonly sessionId: string = randomUUID()) {}

  /** Dial the service code: the first screen. */
  dial(): Promise<UssdScreen> {
    return this.send('');
  }

  /** Answer the current screen with a choice (a menu number, or typed text such as a branch code). */
  choose(choice: string): Promise<UssdScreen> {
    const last = this.screens[this.screens.length - 1];
    if (!last?.open) throw new Error('this USSD session is over (or was never dialled)');
    this.choices.push(choice);
    return this.send(this.choices.join('*'));
  }

  private async send(text: string): Promise<UssdScreen> {
    const screen = await this.sim.post({ sessionId: this.sessionId, serviceCode: this.sim.serviceCode, phoneNumber: this.phoneNumber, text });
    this.screens.push(screen);
    return screen;
  }
}

export class UssdSimulator {
  constructor(readonly callbackUrl: string, readonly serviceCode = '*123#') {}

  session(phoneNumber: string, sessionId?: string): UssdSession {
    return new UssdSession(this, phoneNumber, sessionId);
  }

  /** Dial and make every choice in turn; the screens, the first one included. */
  async play(phoneNumber: string, choices: string[], sessionId?: string): Promise<UssdScreen[]> {
    const s = this.session(phoneNumber, sessionId);
    await s.dial();
    for (const c of choices) {
      if (!s.screens[s.screens.length - 1]?.open) break;
      await s.choose(c);
    }
    return s.screens;
  }

  /** One callback, as the aggregator makes it. */
  async post(fields: { sessionId: string; serviceCode: string; phoneNumber: string; text: string }): Promise<UssdScreen> {
    const res = await fetch(this.callbackUrl, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(30_000),
    });
    const answer = await res.text();
    return { text: fields.text, status: res.status, answer, open: res.status === 200 && answer.startsWith('CON ') };
  }
}
