// The floor's server: a bare node:http + Socket.IO server in its own process (like the branch server), with no
// application work at all; plain JavaScript run by plain node, like the server under test (branch-server.mjs).
// POST /echo answers its JSON body; the Socket.IO "echo" event acknowledges its payload; "fanout" broadcasts a
// payload to every other socket and then acknowledges. First stdout line: {"url"}.
// @ts-check
import http from 'node:http';
import { Server } from 'socket.io';

const server = http.createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (/** @type {Buffer} */ c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
const io = new Server(server, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('echo', (/** @type {unknown} */ payload, /** @type {unknown} */ ack) => {
    if (typeof ack === 'function') ack(payload);
  });
  socket.on('fanout', (/** @type {unknown} */ payload, /** @type {unknown} */ ack) => {
    socket.broadcast.emit('fanned', payload);
    if (typeof ack === 'function') ack(true);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  io.close();
  server.close(() => process.exit(0));
});
