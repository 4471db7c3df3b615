// What the pages' modules need of a browser when node runs them in the
// unit tests (assets/js_test.go): fetch answers /static/... from the files
// the server embeds, so i18n.js loads the real translations.
import { readFile } from "node:fs/promises";

const web = new URL("../web/", import.meta.url);

globalThis.fetch = async (path) => {
  const rel = String(path).replace(/^\/static\//, "").replace(/^\//, "");
  try {
    const body = await readFile(new URL(rel, web), "utf8");
    return { ok: true, status: 200, json: async () => JSON.parse(body) };
  } catch {
    return { ok: false, status: 404, json: async () => ({}) };
  }
};

/** The JSON file the Go test wrote for this run, from the server's own types. */
export async function fixtures(name) {
  const path = process.env[name];
  if (!path) throw new Error(`${name} is not set: run these through go test ./assets`);
  return JSON.parse(await readFile(path, "utf8"));
}
