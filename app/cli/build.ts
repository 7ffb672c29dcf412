// Is the production build older than its sources? The server bundle includes
// app/ and the statecharts in workflows/, so both count.
import { existsSync, readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";

function newestMtime(dir: string): number {
  let newest = statSync(dir).mtimeMs; // a deleted or renamed file changes only its folder's time
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function serverBuildIsFresh(root: string): boolean {
  const serverBuild = path.join(root, "build/index.js");
  if (!existsSync(serverBuild)) return false;
  const sources = Math.max(newestMtime(path.join(root, "app")), newestMtime(path.join(root, "workflows")), statSync(path.join(root, "remix.config.js")).mtimeMs);
  return statSync(serverBuild).mtimeMs >= sources;
}

export function buildApp(root: string, stdio: "inherit" | "pipe" = "inherit"): void {
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    cwd: root,
    stdio,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.status !== 0) throw new Error(`remix build failed (exit ${r.status})${stdio === "pipe" ? `:\n${r.stdout}\n${r.stderr}` : ""}`);
}
