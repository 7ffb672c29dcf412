// Counts writes to sockets (the database connections): each wakes the server process, and
// pipelined statements may share one. Used by the pipelining tests and bench:workflow.
import net from "node:net";

type WriteFn = (this: net.Socket, ...a: unknown[]) => unknown;

/** Starts counting; `stop()` restores the socket methods and returns the count. */
export function countSocketWrites(): { readonly writes: number; stop(): number } {
  const proto = net.Socket.prototype as unknown as Record<"_write" | "_writev", WriteFn>;
  const originals = { _write: proto._write, _writev: proto._writev };
  let writes = 0;
  for (const k of ["_write", "_writev"] as const) {
    proto[k] = function (this: net.Socket, ...a: unknown[]) {
      // Database connections: loopback TCP, or the embedded server's unix socket (no port); not stdio.
      if (this !== process.stdout && this !== process.stderr) writes++;
      return originals[k].apply(this, a);
    };
  }
  return {
    get writes() {
      return writes;
    },
    stop() {
      Object.assign(proto, originals);
      return writes;
    },
  };
}
