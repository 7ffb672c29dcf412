// A local SMTP server that accepts every message and keeps it in memory: the
// default mail sink for `npm start` when SMTP_URL is not set, and the helper
// the tests use. Mail received by `startCaptureSmtp` is listed by
// `capturedMail()` in mail.server.ts.
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import type { AddressInfo } from "node:net";
import { parseRawMail, type ParsedMail } from "./mime";

export type CaptureSmtp = { port: number; url: string; close: () => Promise<void> };

export type CaptureOptions = {
  port?: number;
  host?: string;
  /** Called with each received message (after parsing). */
  onMessage: (mail: ParsedMail & { envelopeFrom: string; envelopeTo: string[] }) => void;
  /** Hooks for tests: may delay or reject. Return an Error to reject with it (set `responseCode` for the SMTP code). */
  beforeAccept?: (raw: string) => Promise<Error | void> | Error | void;
  /** Extra smtp-server options (e.g. onRcptTo for a delayed response). */
  serverOptions?: Partial<SMTPServerOptions>;
};

export async function startCaptureSmtp(opts: CaptureOptions): Promise<CaptureSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    size: 10 * 1024 * 1024,
    ...opts.serverOptions,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        void Promise.resolve(opts.beforeAccept?.(raw))
          .then((rejection) => {
            if (rejection) return callback(rejection);
            const parsed = parseRawMail(raw);
            opts.onMessage({
              ...parsed,
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            });
            callback(null);
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
