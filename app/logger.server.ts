// Structured JSON logs (English), one line per event.
import { pino } from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "warn" : "info"),
  base: { service: "utvecklingsmedel" },
  redact: ["password", "*.password", "cookie", "*.cookie"],
});
