// Liveness: the process is up. No database call, so a slow database never restarts a healthy process.
export const loader = () => Response.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
