import { db } from "~/db.server";
import { checkReadiness } from "~/health.server";

export const loader = async () => {
  const readiness = await checkReadiness(db());
  return Response.json(readiness, { status: readiness.ready ? 200 : 503 });
};
