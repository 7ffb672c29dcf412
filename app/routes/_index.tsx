import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { db } from "~/db.server";

export const loader = async (_: LoaderFunctionArgs) => {
  return { counties: await db().county.count() };
};

export default function Index() {
  const data = useLoaderData<typeof loader>();
  return <main className="page"><h1>Utvecklingsmedel</h1><p>{data.counties} län</p></main>;
}
