// A large NetLog for the bench: a lab NetLog's events written over and over, each copy's source
// ids (and the ids its events point to) moved past the last copy's and its times later, so that
// every copy is a connection of its own, until the file reaches the size asked for. Chrome writes
// one event a line, as here; the constants are the lab log's own.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Writes `file` of about `bytes` bytes from the NetLog `from` (plain or gzip); returns its copies and events. */
export function writeSyntheticNetlog(file, { from, bytes, cut = false }) {
  const raw = readFileSync(from);
  const log = JSON.parse((raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw).toString('utf8'));
  const events = log.events.filter((e) => e && typeof e.type === 'number');
  const span = Math.max(...events.map((e) => e.source.id)) + 1;
  const duration = Number(events[events.length - 1].time) - Number(events[0].time) + 10;
  const fd = openSync(file, 'w');
  let written = 0;
  const write = (s) => {
    written += writeSync(fd, s);
  };
  write(`{"constants":${JSON.stringify(log.constants)},\n"events": [\n`);
  let copies = 0;
  let count = 0;
  while (written < bytes) {
    const shift = copies * span;
    const later = copies * duration;
    for (const e of events) {
      const moved = { ...e, time: String(Number(e.time) + later), source: { ...e.source, id: e.source.id + shift, start_time: String(Number(e.source.start_time) + later) } };
      const dep = e.params?.source_dependency;
      if (dep) moved.params = { ...e.params, source_dependency: { ...dep, id: dep.id + shift } };
      write(`${JSON.stringify(moved)},\n`);
      count++;
    }
    copies++;
  }
  // A browser that is killed leaves the list open; one that stops logging closes it.
  if (!cut) write(`{"phase":0,"source":{"id":0,"type":0},"time":"0","type":0}\n],\n"polledData": {}}\n`);
  closeSync(fd);
  return { copies, events: count, bytes: written };
}
