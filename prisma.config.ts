import { defineConfig } from "prisma/config";

// The CLI reads this file; the app itself builds its own connection (app/db.server.ts).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
