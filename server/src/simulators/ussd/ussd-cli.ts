// `npx tsx server/src/simulators/ussd/ussd-cli.ts <callback URL> <phone> [choice…]`: dial the USSD menu as a phone
// would and print each screen (docs/remote.md). Without choices, it asks for each one on the terminal.
import { createInterface } from 'node:readline/promises';
import { UssdSimulator } from './ussd-simulator.js';

const [url, phone, ...choices] = process.argv.slice(2);
if (!url || !phone) {
  console.error('usage: ussd-cli.ts <central>/api/remote/ussd?key=<SMARTQUEUE_USSD_KEY> +221XXXXXXXXX [choice…]');
  process.exit(2);
}
const session = new UssdSimulator(url).session(phone);
const show = (answer: string) => console.log(`\n${answer}\n`);
let screen = await session.dial();
show(screen.answer);
const ask = choices.length ? null : createInterface({ input: process.stdin, output: process.stdout });
while (screen.open) {
  const choice = ask ? await ask.question('> ') : choices.shift();
  if (choice === undefined) break;
  if (!ask) console.log(`> ${choice}`);
  screen = await session.choose(choice);
  show(screen.answer);
}
ask?.close();
