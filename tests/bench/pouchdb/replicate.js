'use strict';
// Benchmark baseline for server/benches/sync_first.rs: CouchDB-style
// replication of the same synthetic cases with PouchDB 9.
//
//   node replicate.js CASES.json
//
// CASES.json (written by the Rust benchmark) holds every case as plain JSON
// documents, one per revision: {"cases": [{"id": "...", "revisions": [doc, ...]}]}.
// The script loads every revision into an in-memory PouchDB served over HTTP
// by express-pouchdb on 127.0.0.1, replicates it into an empty in-memory
// PouchDB with the default replication settings, checks the replica, and
// prints one JSON line: HTTP requests (round trips), bytes each way as they
// crossed the server's sockets (request lines, headers and bodies, gzip where
// the server compressed), seconds, and the same by endpoint.
// Synthetic data only.

const fs = require('fs');
const express = require('express');
const expressPouchDB = require('express-pouchdb');
const PouchDB = require('pouchdb-core')
  .plugin(require('pouchdb-adapter-memory'))
  .plugin(require('pouchdb-adapter-http'))
  .plugin(require('pouchdb-replication'))
  .plugin(require('pouchdb-mapreduce'));

const MemoryPouchDB = PouchDB.defaults({ adapter: 'memory' });

function endpoint(req) {
  // /cases/_local/abc -> GET /db/_local/{id}; /cases/?... -> GET /db/
  const path = req.originalUrl.split('?')[0];
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return `${req.method} /`;
  const rest = parts.slice(1);
  if (rest[0] === '_local') return `${req.method} /db/_local/{id}`;
  if (rest.length === 0) return `${req.method} /db/`;
  if (rest[0].startsWith('_')) return `${req.method} /db/${rest[0]}`;
  return `${req.method} /db/{doc}`;
}

async function main() {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node replicate.js CASES.json');
  const { cases } = JSON.parse(fs.readFileSync(file, 'utf8'));

  // The source: every revision of every case, written in order.
  const source = new MemoryPouchDB('cases');
  const revs = new Map();
  const depth = Math.max(...cases.map((c) => c.revisions.length));
  for (let r = 0; r < depth; r++) {
    const docs = [];
    for (const c of cases) {
      if (r >= c.revisions.length) continue;
      const doc = { ...c.revisions[r], _id: c.id };
      if (revs.has(c.id)) doc._rev = revs.get(c.id);
      docs.push(doc);
    }
    const results = await source.bulkDocs(docs);
    for (const result of results) {
      if (!result.ok) throw new Error(`write failed: ${JSON.stringify(result)}`);
      revs.set(result.id, result.rev);
    }
  }

  // The server, counting requests and socket bytes.
  const sockets = new Set();
  const byEndpoint = {};
  let counting = false;
  const app = express();
  app.use((req, res, next) => {
    if (!counting) return next();
    const key = endpoint(req);
    const socket = req.socket;
    const entry = (byEndpoint[key] = byEndpoint[key] || { requests: 0, sent: 0, received: 0 });
    entry.requests += 1;
    res.on('finish', () => {
      // One request at a time per connection: what the socket moved since
      // the previous response finished belongs to this request.
      entry.sent += socket.bytesRead - (socket.binhanRead || 0);
      entry.received += socket.bytesWritten - (socket.binhanWritten || 0);
      socket.binhanRead = socket.bytesRead;
      socket.binhanWritten = socket.bytesWritten;
    });
    next();
  });
  app.use(expressPouchDB(MemoryPouchDB, { mode: 'minimumForPouchDB', inMemoryConfig: true }));
  const server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.on('connection', (socket) => sockets.add(socket));
  const url = `http://127.0.0.1:${server.address().port}/cases`;

  // Replicate into an empty database, as a new device would.
  const target = new MemoryPouchDB('replica');
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  counting = true;
  const started = process.hrtime.bigint();
  const result = await PouchDB.replicate(url, target);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  counting = false;

  let sent = 0;
  let received = 0;
  for (const socket of sockets) {
    sent += socket.bytesRead;
    received += socket.bytesWritten;
  }
  let requests = 0;
  for (const entry of Object.values(byEndpoint)) requests += entry.requests;

  // Check the replica: every case, at its last revision, with its content.
  const all = await target.allDocs({ include_docs: true });
  if (all.rows.length !== cases.length) throw new Error(`replica has ${all.rows.length} documents`);
  const byId = new Map(all.rows.map((row) => [row.id, row.doc]));
  for (const c of cases) {
    const doc = byId.get(c.id);
    const last = c.revisions[c.revisions.length - 1];
    if (!doc || doc._rev !== revs.get(c.id)) throw new Error(`case ${c.id} is not at its last revision`);
    const { _id, _rev, ...content } = doc;
    if (JSON.stringify(content) !== JSON.stringify(last)) throw new Error(`case ${c.id} differs`);
  }

  server.close();
  for (const socket of sockets) socket.destroy();
  console.log(
    JSON.stringify({
      docs: all.rows.length,
      revisions_per_doc: depth,
      docs_written: result.docs_written,
      round_trips: requests,
      bytes_sent: sent,
      bytes_received: received,
      seconds,
      by_endpoint: byEndpoint,
    }),
  );
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
